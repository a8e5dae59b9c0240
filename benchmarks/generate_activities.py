#!/usr/bin/env python3
"""Fills a Living Together SQLite database with generated, published participation activities across Flanders
(seeded, so every run makes the same activities for the same day), for benchmarks/participation.sh.

    python3 benchmarks/generate_activities.py DB.sqlite --count 50000 --seed 2026 --summary summary.json

Needs a migrated database with the Belgian places imported (`livingtogether import municipalities ...`). Each
activity takes place in a Flemish municipality of the directory (region 'VLG' as imported from the places file;
without regions, the Belgian places inside Flanders' box), chosen by the square root of the population, which is
also its organiser. Categories, levels (a quarter ask none), languages and capacities are drawn at random; six in
ten activities are weekly (most running around today, some ended or not begun, a few skipped days), the others
have a handful of dates from three weeks ago to two months ahead, so that most have dates in the coming 30 days.
Then `participation_generation` is bumped in `app_state`, so that a running server rebuilds its index.

The summary (stdout, and --summary as JSON) gives the benchmark's queries (place, radius, level, category and an
explicit date range) with how many published activities each should find: counted here, over every published
row read back from the database, by the finder's rules written out plainly (not the server's index)."""
import argparse, datetime, json, math, random, sqlite3, unicodedata

CATEGORIES = ["conversationTable", "sport", "culture", "volunteering", "buddy", "introductoryPlacement",
              "communityCentre"]
CATEGORY_WEIGHTS = [30, 15, 15, 12, 10, 8, 10]
LEVELS = ["a1", "a2", "b1", "b2", "c1", "c2"]
LEVEL_WEIGHTS = [25, 25, 20, 12, 6, 2]            # beside the quarter that asks no level
LANGUAGES = ["ar", "tr", "fr", "en", "uk", "ps", "ti", "so", "ru", "es", "fa", "ro"]
FLANDERS_BOX = (50.68, 51.51, 2.54, 5.92)          # latitudes, longitudes: used when the places carry no region
# The benchmark's searches: place, radius (km), level, category. Each place's name must be unique among the
# municipalities with activities (the finder matches the place by its name; "Halle" and "Aalst" are two each).
QUERIES = [
    ("Mechelen", 15, "a2", "conversationTable"),
    ("Gent", 25, "b1", "sport"),
    ("Genk", 10, "a1", "culture"),
    ("Sint-Niklaas", 0, "b2", "volunteering"),
    ("Leuven", 50, "a2", "conversationTable"),
]
WINDOW_DAYS = 30                                   # the searches' date range: today .. today + 30, given explicitly
EN = ("conversation table language cafe walk sport football swimming cycling museum theatre library garden "
      "kitchen cooking volunteers neighbours youth women parents children elders music choir dance crafts "
      "repair cafe buddy welcome community centre market festival history city tour board games").split()
NL = ("praattafel taal café wandeling sport voetbal zwemmen fietsen museum theater bibliotheek tuin keuken koken "
      "vrijwilligers buren jeugd vrouwen ouders kinderen ouderen muziek koor dans knutselen repair café buddy "
      "welkom buurthuis markt feest geschiedenis stadswandeling gezelschapsspelen").split()
STREETS = ["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Markt", "Nieuwstraat", "Schoolstraat", "Molenstraat",
           "Kapelstraat", "Grote Markt", "Kouter", "Veldstraat", "Lindenlaan", "Beekstraat", "Hoogstraat"]


def fold(name):
    """Lower case without accents, as the finder folds a place's name (SearchText.fold)."""
    extra = {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i",
             "ħ": "h"}
    plain = "".join(c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c))
    return "".join(extra.get(c, c) for c in plain)


def words(rng, vocabulary, n):
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def sentence(rng, vocabulary, n):
    return words(rng, vocabulary, n).capitalize() + "."


def schedule(rng, today):
    hour = rng.randint(9, 19)
    start, end = f"{hour:02d}:{rng.choice(['00', '30'])}", f"{min(23, hour + rng.randint(1, 3)):02d}:00"
    if rng.random() < 0.6:
        first = today + datetime.timedelta(days=rng.randint(-180, 0))
        last = today + datetime.timedelta(days=rng.randint(20, 600))
        r = rng.random()
        if r < 0.08:    # ended before today
            first = today - datetime.timedelta(days=rng.randint(200, 400))
            last = today - datetime.timedelta(days=rng.randint(1, 60))
        elif r < 0.16:  # begins later
            first = today + datetime.timedelta(days=rng.randint(5, 90))
            last = first + datetime.timedelta(days=rng.randint(30, 365))
        weekday = rng.randint(1, 7)
        on_weekday = first + datetime.timedelta(days=(weekday - first.isoweekday()) % 7)
        candidates = [on_weekday + datetime.timedelta(days=7 * k) for k in range(0, 60)]
        candidates = [d for d in candidates if d <= last and abs((d - today).days) <= 60]
        skipped = sorted(rng.sample(candidates, min(len(candidates), rng.choice([0, 0, 0, 1, 1, 2, 3]))))
        return {"kind": "weekly", "dates": [], "weekday": weekday, "from": first.isoformat(),
                "until": last.isoformat(),
                "except": [d.isoformat() for d in skipped], "start": start, "end": end}
    days = sorted({today + datetime.timedelta(days=rng.randint(-20, 60)) for _ in range(rng.randint(1, 8))})
    return {"kind": "dates", "dates": [d.isoformat() for d in days], "except": [], "start": start, "end": end}


def municipalities(db):
    """The Flemish municipalities of the directory: (id, name, latitude, longitude, population)."""
    sql = ("SELECT id, name, latitude, longitude, COALESCE(population, 0) FROM organisations "
           "WHERE kind = 'municipality' AND country = 'BE' AND latitude IS NOT NULL AND longitude IS NOT NULL")
    rows = db.execute(sql + " AND region = 'VLG' ORDER BY id").fetchall()
    if not rows:
        lat0, lat1, lon0, lon1 = FLANDERS_BOX
        rows = db.execute(sql + " AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ? ORDER BY id",
                          (lat0, lat1, lon0, lon1)).fetchall()
    return rows


def distance_km(a, b):
    """Great-circle distance (haversine, mean Earth radius 6371.0088 km)."""
    r, rad = 6371.0088, math.pi / 180
    d_lat, d_lon = (b[0] - a[0]) * rad, (b[1] - a[1]) * rad
    h = math.sin(d_lat / 2) ** 2 + math.cos(a[0] * rad) * math.cos(b[0] * rad) * math.sin(d_lon / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def takes_place_between(s, first, last):
    """Whether a schedule has a date in [first, last]: every day of the range looked at, one by one."""
    if s["kind"] == "dates":
        return any(first <= datetime.date.fromisoformat(d) <= last for d in s["dates"])
    if not s.get("weekday") or not s.get("from") or not s.get("until"):
        return False
    begins, ends = datetime.date.fromisoformat(s["from"]), datetime.date.fromisoformat(s["until"])
    skipped = {datetime.date.fromisoformat(d) for d in s["except"]}
    day = first
    while day <= last:
        if begins <= day <= ends and day.isoweekday() == s["weekday"] and day not in skipped:
            return True
        day += datetime.timedelta(days=1)
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("database")
    ap.add_argument("--count", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--summary", help="write the summary here as JSON too")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    db = sqlite3.connect(args.database)
    places = municipalities(db)
    if not places:
        raise SystemExit("error: no Flemish municipalities in the directory: import the places first")
    by_name = {}
    for p in places:
        by_name.setdefault(fold(p[1]), []).append(p)
    for name, *_ in QUERIES:
        if len(by_name.get(fold(name), [])) != 1:
            raise SystemExit(f"error: the benchmark's place {name!r} is not exactly one Flemish municipality "
                             f"({len(by_name.get(fold(name), []))} found)")
    weights = [math.sqrt(max(p[4], 100)) for p in places]
    # Each search's place gets at least one activity (the finder knows a place by the activities held there).
    chosen = [by_name[fold(q[0])][0] for q in QUERIES]
    chosen += rng.choices(places, weights, k=max(0, args.count - len(QUERIES)))
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    rows = []
    for i, (org_id, org_name, _, _, _) in enumerate(chosen[:args.count]):
        category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        level = None if rng.random() < 0.25 else rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
        title = {"en": f"{sentence(rng, EN, 3)[:-1]} in {org_name} {i}",
                 "nl": f"{sentence(rng, NL, 3)[:-1]} in {org_name} {i}"}
        activity = {
            "id": "", "title": title,
            "summary": {"en": sentence(rng, EN, 14), "nl": sentence(rng, NL, 14)},
            "easy": {"en": sentence(rng, EN, 8), "nl": sentence(rng, NL, 8)},
            "category": category, "inGroupOrDuo": rng.random() < 0.9, "dutchSpeakingContext": rng.random() < 0.85,
            "languages": sorted(rng.sample(LANGUAGES, rng.choice([0, 0, 1, 1, 2, 3]))),
            "address": f"{rng.choice(STREETS)} {rng.randint(1, 180)}, {org_name}",
            "capacity": rng.choice([None, rng.randint(4, 40)]),
            "schedule": schedule(rng, today),
        }
        if level is not None:
            activity["level"] = level
        rows.append((org_id, org_id, category, level or "", 1, json.dumps(activity, ensure_ascii=False), now, now))
    db.executemany("INSERT INTO activities (organiser_id, municipality_id, category, level, published, content, "
                   "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("INSERT INTO app_state (key, value) VALUES ('participation_generation', 1) "
               "ON CONFLICT(key) DO UPDATE SET value = value + 1")
    db.commit()

    # What each search should find, over every published activity in the database (read back as stored).
    held = db.execute("SELECT a.content, m.id, m.name, m.latitude, m.longitude FROM activities a "
                      "JOIN organisations m ON m.id = a.municipality_id WHERE a.published = 1").fetchall()
    activities = [(json.loads(c), (lat, lon)) for c, _, _, lat, lon in held]
    places_held = {}
    for _, mid, name, lat, lon in held:
        places_held.setdefault(fold(name), set()).add((mid, name, lat, lon))
    first, last = today, today + datetime.timedelta(days=WINDOW_DAYS)
    queries = []
    for name, radius, level, category in QUERIES:
        matches = places_held.get(fold(name), set())
        if len(matches) != 1:
            raise SystemExit(f"error: {len(matches)} municipalities with activities are called {name!r}")
        _, shown, lat, lon = next(iter(matches))
        asked = LEVELS.index(level)
        found = 0
        for a, where in activities:
            if a["category"] != category:
                continue
            if a.get("level") is not None and LEVELS.index(a["level"]) > asked:
                continue
            if where[0] is None or where[1] is None or distance_km((lat, lon), where) > max(radius, 1):
                continue
            if takes_place_between(a["schedule"], first, last):
                found += 1
        queries.append({"place": shown, "radius": radius, "level": level, "category": category,
                        "from": first.isoformat(), "to": last.isoformat(), "expected": found})
    in_window = sum(1 for a, _ in activities if takes_place_between(a["schedule"], first, last))
    summary = {"generated": len(rows), "published": len(activities), "municipalities": len(places),
               "municipalities_with_activities": len({m for _, m, _, _, _ in held}),
               "with_a_date_in_window": in_window, "queries": queries}
    if args.summary:
        json.dump(summary, open(args.summary, "w"), indent=1, ensure_ascii=False)
    print(f"{len(rows)} activities generated in {summary['municipalities_with_activities']} of {len(places)} Flemish "
          f"municipalities; {len(activities)} published in all, {in_window} with a date from {first} to {last}")
    for q in queries:
        print(f"  {q['place']} within {q['radius']} km, level {q['level']}, {q['category']}: {q['expected']}")


if __name__ == "__main__":
    main()
