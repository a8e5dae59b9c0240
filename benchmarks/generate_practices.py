#!/usr/bin/env python3
"""Fills a Living Together SQLite database with generated, published library records (seeded, so every run makes
the same library), for benchmarks/knowledge.sh.

    python3 benchmarks/generate_practices.py DB.sqlite --count 10000 --seed 2026 --summary summary.json

Each record has texts in English and Dutch made of a fixed vocabulary, tags drawn from the shipped frameworks and
catalogue (read from the database), a country and size bands. The summary says how many records contain the
benchmark's search words and carry its filter, so that the script can check the page's count."""
import argparse, json, random, re, sqlite3, datetime, unicodedata

EN = ("language practice newcomers neighbours volunteers city welcome desk buddy mentoring job employment school youth "
      "sport culture library housing health participation network training discrimination bystander communication "
      "inclusive meeting walk cafe conversation table family children parents women elders association partner "
      "municipality service counter interpreter translation citizenship integration diversity equality cohesion "
      "neighbourhood festival garden kitchen music theatre coaching internship apprenticeship employer business").split()
NL = ("taal oefenen nieuwkomers buren vrijwilligers stad onthaal loket buddy mentoraat werk tewerkstelling school jeugd "
      "sport cultuur bibliotheek wonen gezondheid participatie netwerk opleiding discriminatie omstaander communicatie "
      "inclusief ontmoeting wandeling café gesprek tafel gezin kinderen ouders vrouwen ouderen vereniging partner "
      "gemeente dienst balie tolk vertaling burgerschap integratie diversiteit gelijkheid samenhang "
      "buurt feest tuin keuken muziek theater coaching stage leertraject werkgever bedrijf").split()
COUNTRIES = ["BE", "NL", "DE", "FR", "SE", "FI", "PT", "IT", "ES", "DK", "AT", "PL"]
BANDS = ["xs", "s", "m", "l", "xl"]
SEARCH_WORDS = ("language", "cafe")       # the benchmark's search: both words must occur
FILTER = {"country": "BE"}


def sentence(rng, words, n):
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def text(rng, n_sentences, n_words=12):
    return {"en": " ".join(sentence(rng, EN, n_words) for _ in range(n_sentences)),
            "nl": " ".join(sentence(rng, NL, n_words) for _ in range(n_sentences))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("database")
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--summary", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    db = sqlite3.connect(args.database)
    themes, key_factors = [], []
    for (content,) in db.execute("SELECT content FROM benchmark_frameworks"):
        f = json.loads(content)
        themes.append(f["id"])
        key_factors += [k["id"] for k in f["keyFactors"]]
    actions = []
    for (content,) in db.execute("SELECT content FROM catalogue_versions"):
        c = json.loads(content)
        actions += [a["id"] for o in c["objectives"] for a in o["actions"]]
    themes, key_factors, actions = sorted(set(themes)), sorted(set(key_factors)), sorted(set(actions))
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    today = datetime.date.today().isoformat()
    rows = []
    for i in range(args.count):
        kind = "tool" if rng.random() < 0.2 else "practice"
        title = {"en": f"{sentence(rng, EN, 4)[:-1]} {i}", "nl": f"{sentence(rng, NL, 4)[:-1]} {i}"}
        record = {
            "id": f"generated-{i}", "kind": kind, "title": title,
            "summary": text(rng, 1, 14), "issue": text(rng, 3), "howItWorks": text(rng, 6), "results": text(rng, 3),
            "evaluation": text(rng, 3), "beneficiaries": text(rng, 2), "staff": text(rng, 1, 6), "budgetBand": rng.choice(["small", "medium", "large", "unknown"]),
            "duration": text(rng, 1, 5), "funding": text(rng, 1, 6), "start": str(rng.randint(2005, 2025)), "end": None,
            "stillRunning": True, "organisations": [f"Organisation {rng.randint(1, 3000)}"], "country": rng.choice(COUNTRIES),
            "contact": None, "languages": rng.sample(["nl", "fr", "en", "de", "ar", "tr"], 2),
            "translations": {"en": "human", "nl": "machine"},
            "themes": rng.sample(themes, min(len(themes), rng.randint(0, 2))),
            "keyFactors": rng.sample(key_factors, min(len(key_factors), rng.randint(0, 3))),
            "catalogueActions": rng.sample(actions, min(len(actions), rng.randint(0, 2))),
            "sizeBands": sorted(rng.sample(BANDS, rng.randint(1, 3))), "competences": text(rng, 1),
            "steps": [{"title": text(rng, 1, 3), "text": text(rng, 2)} for _ in range(3)] if kind == "tool" else [],
            "durationMinutes": 60 if kind == "tool" else None, "groupSize": "8-20" if kind == "tool" else None,
            "materials": None, "source": None,
        }
        rows.append((record["id"], kind, "published", json.dumps(record, ensure_ascii=False, sort_keys=True), today, now, now))
    db.executemany("INSERT INTO practices (slug, kind, status, content, last_verified, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("INSERT INTO app_state (key, value) VALUES ('knowledge_generation', 1) "
               "ON CONFLICT(key) DO UPDATE SET value = value + 1")
    db.commit()
    # What the search should find, over every published record (the shipped ones too), folded as the app folds:
    # lower case, accents dropped, words of letters and digits; a search word matches a word it begins.
    def fold_words(value):
        out = set()
        def walk(v):
            if isinstance(v, str):
                plain = "".join(c for c in unicodedata.normalize("NFD", v.lower()) if not unicodedata.combining(c))
                out.update(w for w in re.split(r"[^\w]+", plain) if w)
            elif isinstance(v, dict):
                for x in v.values(): walk(x)
            elif isinstance(v, list):
                for x in v: walk(x)
        walk(value)
        return out
    matching = matching_filtered = 0
    published = 0
    for (content,) in db.execute("SELECT content FROM practices WHERE status = 'published'"):
        published += 1
        r = json.loads(content)
        searched = {k: r.get(k) for k in ("title", "summary", "issue", "howItWorks", "results", "evaluation", "beneficiaries",
                                          "competences", "steps", "materials")}
        words = fold_words(searched)
        if all(any(w.startswith(q) for w in words) for q in SEARCH_WORDS):
            matching += 1
            matching_filtered += r.get("country") == FILTER["country"]
    json.dump({"generated": args.count, "published": published, "search": " ".join(SEARCH_WORDS), "matching": matching,
               "filter": FILTER, "matching_filtered": matching_filtered}, open(args.summary, "w"), indent=1)
    print(f"{args.count} records generated; {published} published in all; '{' '.join(SEARCH_WORDS)}' in {matching}, "
          f"of which {matching_filtered} in {FILTER['country']}")


if __name__ == "__main__":
    main()
