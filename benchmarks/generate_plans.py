#!/usr/bin/env python3
"""Fills a Living Together SQLite database with a generated region of action plans, for benchmarks/plans.sh.

    python3 benchmarks/generate_plans.py DATABASE.sqlite [--municipalities 300] [--indicators 10] [--years 5]
        [--first-year 2021] [--seed 2025] [--coordinator-email coordinator@benchmark.example] [--summary out.json]

Needs a database with the directory imported (`livingtogether import municipalities ...`), the shipped action
catalogue stored (`livingtogether serve` stores it at start, as a draft nobody publishes) and the coordinator's
account (`ADMIN_PASSWORD=... livingtogether create-admin --email E`, so that the app hashes its password).
It then, in one transaction:
  * creates the coordinating association (kind 'association', BE, the region of the Flemish municipalities
    in the directory: 'VLG' as imported from the places file) and a few partner organisations;
  * makes the association the publisher of the shipped catalogue version and publishes it;
  * makes the coordinator's account an ordinary one (create-admin made it a platform administrator, who
    sees everything) and an editor of the association, and gives it an API token;
  * picks MUNICIPALITIES municipalities of that region (weighted by the square root of the population) and
    gives each: one uptake request with its items (mostly approved; some pending, declined or with changes
    requested) and history, an action plan, and a plan action for every approved item as the app makes it
    (the catalogue's title, indicators, targets and period; funding_end 2025-12-31 for funded actions),
    chosen so that the plan holds exactly INDICATORS catalogue indicators; quarterly values of every
    indicator over YEARS years (20 values for 5 years), some also reported by a partner organisation;
    yearly progress updates, and recent ones for actions that go on after their funding;
  * bumps `plans_generation` (and `directory_generation`, for the new organisations) in `app_state`.

The figures are made up but shaped like real ones, and the same for the same seed and day: some actions
are taken up far more often than others; values are levels reached so far, rising towards the catalogue's
target (some municipalities pass it, some stay well below); "plan adopted" indicators go from 0 to 1.
The summary (stdout, and --summary as JSON) gives the ids the benchmark needs (catalogue version, user,
token) and the figures the coordinator's overview should show as of --as-of (default: today, UTC): uptake
per action, quiet municipalities, ended funding, and the regional indicator totals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import random
import secrets
import sqlite3
import sys
import time
import unicodedata
from collections import Counter, defaultdict

CATALOGUE_KEY = "plan-living-together"
QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))

MOTIVATIONS = (
    "Our council adopted a diversity plan last year; these actions carry it out.",
    "We want to reach newcomers earlier and work with the associations that already know them.",
    "These actions build on a project that ends this year and that we want to keep going.",
    "Chosen with the advisory council after a round of neighbourhood meetings.",
    "The figures of the benchmark showed gaps here; the actions answer them.",
)
DECLINE_COMMENTS = (
    "Already funded through another programme for this municipality.",
    "The budget asked for is above the cap of the action.",
    "The action does not fit the local situation described in the motivation.",
)
CHANGE_COMMENTS = (
    "Please lower the budget to the cap of the action and say who carries it out.",
    "Please name the partner organisation that will report the figures.",
)
GOALS = (
    "Reach more residents through the partners that already know them.",
    "Make the offer known in every neighbourhood, not only in the centre.",
    "Keep the results after the funding ends.",
)
ACTIVITIES = (
    "Information sessions, home visits and a yearly evaluation with the partners.",
    "A coordinator at the social service, a budget for activities, monthly follow-up.",
    "Working group with schools and associations; figures collected every quarter.",
)
OWNERS = ("Social service", "Diversity officer", "Youth service", "Education department", "Local police", "Integration service")
UPDATES = (
    "On schedule; figures of the quarter entered.",
    "Slower start than planned: recruitment took longer.",
    "New partner on board; more participants expected next quarter.",
    "Evaluated with the partners; the approach is kept.",
    "Fewer activities in the summer; back to normal since September.",
)
CONTINUATIONS = (
    "Continued from the municipality's own budget from 2026 (council decision of December 2025).",
    "Taken over by the partner organisation; the municipality keeps paying the coordinator.",
    "Continued within the regular work of the social service.",
)
PARTNER_NAMES = (
    "Agency for Integration and Civic Integration (benchmark)", "Inter (benchmark)", "Youth Work Network (benchmark)",
    "Community Centres Flanders (benchmark)", "Adult Education Centre (benchmark)", "Public Employment Service (benchmark)",
    "Sports Federation (benchmark)", "Libraries Network (benchmark)", "School Support Centre (benchmark)",
    "Social Housing Company (benchmark)", "Volunteer Centre (benchmark)", "Equal Opportunities Office (benchmark)",
)


def timestamp(day: dt.datetime) -> float:
    """Dates as the app stores them in SQLite: seconds since 1970 as a REAL."""
    return day.replace(tzinfo=dt.timezone.utc).timestamp()


def fold(text: str) -> str:
    """As SearchText.fold for plain names: lower case, accents dropped."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def slug(text: str) -> str:
    words = "".join(c if c.isalnum() and c.isascii() else " " for c in fold(text)).split()
    return "-".join(words)[:80] or "organisation"


def english(text: dict) -> str:
    return text.get("en") or next(iter(text.values()))


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) + months
    y, m = divmod(total, 12)
    m += 1
    last = [31, 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return dt.date(y, m, min(day.day, last))


def pick_actions(rng: random.Random, actions: list[dict], weights: dict[str, float], indicators: int) -> list[dict]:
    """Actions in order of a weighted draw, kept while they fit, until the plan holds exactly `indicators` indicators."""
    keyed = sorted(actions, key=lambda a: rng.random() ** (1.0 / weights[a["id"]]), reverse=True)
    chosen, count = [], 0
    for a in keyed:
        n = len(a["indicators"])
        if count + n <= indicators:
            chosen.append(a)
            count += n
        if count == indicators:
            return chosen
    raise SystemExit(f"error: cannot make a plan of exactly {indicators} indicators from the catalogue's actions")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database")
    parser.add_argument("--municipalities", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=10, help="catalogue indicators in each municipality's plan (default 10)")
    parser.add_argument("--years", type=int, default=5, help="years of quarterly values (default 5)")
    parser.add_argument("--first-year", type=int, default=2021, help="the first year of values (default 2021)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--country", default="BE")
    parser.add_argument("--region", default="VLG", help="the region code of the municipalities, as imported (VLG: Flanders)")
    parser.add_argument("--partners", type=int, default=12, help="partner organisations that report values beside the municipalities")
    parser.add_argument("--coordinator-email", default="coordinator@benchmark.example")
    parser.add_argument("--as-of", help="the day the overview's expected figures are computed for (default: today, UTC)")
    parser.add_argument("--summary", help="also write the summary as JSON to this file")
    args = parser.parse_args()
    if args.indicators < 1 or args.years < 1 or args.municipalities < 1:
        parser.error("--municipalities, --indicators and --years must be 1 or more")

    started = time.perf_counter()
    rng = random.Random(args.seed)
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else dt.datetime.now(dt.timezone.utc).date()
    now = timestamp(dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))

    db = sqlite3.connect(args.database, timeout=30)
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=30000")

    row = db.execute("SELECT id, version, content, status, publisher_id FROM catalogue_versions WHERE catalogue_key = ? "
                     "ORDER BY version DESC LIMIT 1", (CATALOGUE_KEY,)).fetchone()
    if row is None:
        print(f"error: catalogue {CATALOGUE_KEY!r} is not in catalogue_versions: start `livingtogether serve` once first", file=sys.stderr)
        return 2
    version_id, version, content, status, publisher = row
    if status != "draft" or publisher is not None:
        print(f"error: catalogue version {version_id} is already {status} (publisher {publisher}); use a fresh database", file=sys.stderr)
        return 2
    if db.execute("SELECT count(*) FROM uptake_requests").fetchone()[0]:
        print("error: the database already holds uptake requests; use a fresh one", file=sys.stderr)
        return 2
    catalogue = json.loads(content)
    actions = [a for o in catalogue["objectives"] for a in o["actions"]]
    period_end = catalogue["period"]["end"]
    user = db.execute("SELECT id FROM users WHERE email = ?", (args.coordinator_email.lower(),)).fetchone()
    if user is None:
        print(f"error: no account {args.coordinator_email}: create it first with "
              f"`ADMIN_PASSWORD=... livingtogether create-admin --email {args.coordinator_email}`", file=sys.stderr)
        return 2
    user_id = user[0]
    candidates = db.execute("SELECT id, name, population FROM organisations WHERE kind = 'municipality' AND country = ? AND region = ? "
                            "ORDER BY id", (args.country, args.region)).fetchall()
    if len(candidates) < args.municipalities:
        print(f"error: {len(candidates)} municipalities in {args.country}/{args.region}, fewer than {args.municipalities}: "
              "import the directory first", file=sys.stderr)
        return 2
    read_s = time.perf_counter() - started

    # The region: weighted sampling without replacement (Efraimidis-Spirakis), weight sqrt(population).
    keyed = sorted(((rng.random() ** (1.0 / math.sqrt(max(p or 0, 100))), i, n) for i, n, p in candidates), reverse=True)
    region = sorted((i, n) for _, i, n in keyed[: args.municipalities])
    # Some actions are taken up far more often than others.
    popularity = {a["id"]: rng.lognormvariate(0, 0.9) for a in actions}

    next_id = {t: (db.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] or 0) + 1
               for t in ("organisations", "uptake_requests", "uptake_request_items", "action_plans", "plan_actions", "plan_indicators")}
    def new_id(table: str) -> int:
        i = next_id[table]
        next_id[table] += 1
        return i

    organisations, requests, items, events, plans, plan_actions, partners, indicators, values, updates = ([] for _ in range(10))
    association = new_id("organisations")
    association_name = "Association of Flemish Local Governments (benchmark)"
    organisations.append((association, "association", association_name, fold(association_name), slug(association_name),
                          args.country, args.region, now, now))
    partner_ids = []
    for k in range(args.partners):
        name = PARTNER_NAMES[k % len(PARTNER_NAMES)] + ("" if k < len(PARTNER_NAMES) else f" {k // len(PARTNER_NAMES) + 1}")
        pid = new_id("organisations")
        partner_ids.append(pid)
        organisations.append((pid, "partner", name, fold(name), slug(name), args.country, args.region, now, now))

    published_at = dt.datetime(args.first_year - 1, 12, 1, 9, 0)
    quarters = [dt.date(args.first_year + y, m, d) for y in range(args.years) for m, d in QUARTER_ENDS]
    quarters = [q for q in quarters if q <= as_of]
    item_status_counts: dict[str, Counter] = defaultdict(Counter)
    status_counts = Counter()
    # What the overview should show.
    last_activity: dict[int, dt.date] = {}
    funding_ended = Counter()
    regional: dict[tuple[str, str], dict] = {}
    names = dict(region)

    for org_id, _ in region:
        chosen = pick_actions(rng, actions, popularity, args.indicators)
        chosen_ids = {a["id"] for a in chosen}
        others = [a for a in actions if a["id"] not in chosen_ids]
        extra = []
        if others and rng.random() < 0.3:
            weights = [popularity[a["id"]] for a in others]
            for a in {id(a): a for a in rng.choices(others, weights, k=rng.choice((1, 1, 2)))}.values():
                extra.append((a, rng.choices(("pending", "declined", "changes_requested"), (0.4, 0.35, 0.25))[0]))
        lines = [(a, "approved") for a in chosen] + extra
        rng.shuffle(lines)
        request_id = new_id("uptake_requests")
        created = published_at + dt.timedelta(days=rng.randrange(5, 50), seconds=rng.randrange(0, 86_400))
        decided = created + dt.timedelta(days=rng.randrange(7, 30), seconds=rng.randrange(0, 86_400))
        statuses = [s for _, s in lines]
        request_status = ("changes_requested" if "changes_requested" in statuses else "submitted" if "pending" in statuses else "decided")
        status_counts[request_status] += 1
        requests.append((request_id, org_id, version_id, association, request_status, rng.choice(MOTIVATIONS), None,
                         timestamp(created), timestamp(decided if request_status == "decided" else created)))
        events.append((request_id, None, "submitted", None, None, org_id, timestamp(created)))
        plan_id = new_id("action_plans")
        plans.append((plan_id, org_id, 1 if rng.random() < 0.35 else 0, timestamp(created), timestamp(decided)))
        # Municipalities that go on after the funding keep reporting progress; the others went quiet.
        goes_on = rng.random() < 0.7
        start = dt.date(args.first_year, 1, 4) + dt.timedelta(days=rng.randrange(0, 45))
        for a, item_status in lines:
            item_id = new_id("uptake_request_items")
            funding = a.get("funding")
            budget = None
            if funding:
                budget = float(round(funding["amountPerUnit"] * funding["cap"] * rng.uniform(0.4, 1.0), -1))
            comment = (rng.choice(DECLINE_COMMENTS) if item_status == "declined"
                       else rng.choice(CHANGE_COMMENTS) if item_status == "changes_requested" else None)
            items.append((item_id, request_id, a["id"], budget, item_status, comment))
            item_status_counts[a["id"]][item_status] += 1
            if item_status != "pending":
                kind = {"approved": "approve", "declined": "decline", "changes_requested": "request_changes"}[item_status]
                events.append((request_id, a["id"], kind, comment, user_id, association, timestamp(decided)))
            if item_status != "approved":
                continue

            action_id = new_id("plan_actions")
            action_start = start + dt.timedelta(days=rng.randrange(0, 30))
            continuing = goes_on and rng.random() < 0.75
            if continuing:
                action_status = "running"
            else:
                action_status = rng.choices(("done", "stopped", "running"), (0.8, 0.1, 0.1))[0]
            continuation = rng.choice(CONTINUATIONS) if (funding and continuing and rng.random() < 0.8) else ""
            funding_end = period_end if funding else None
            # Yearly progress notes, and a recent one for actions that go on.
            days = [dt.date(args.first_year + y, 12, 1) + dt.timedelta(days=rng.randrange(0, 20)) for y in range(args.years)]
            if continuing:
                days.append(as_of - dt.timedelta(days=rng.randrange(1, 120)))
            days = sorted(d for d in days if action_start <= d <= as_of)
            for k, d in enumerate(days):
                status_then = action_status if k == len(days) - 1 else "running"
                updates.append((action_id, d.isoformat(), rng.choice(UPDATES), status_then, None, timestamp(dt.datetime(d.year, d.month, d.day, 16))))
            action_last = days[-1] if days else None

            action_partners: set[int] = set()
            for ind in a["indicators"]:
                indicator_id = new_id("plan_indicators")
                target = ind.get("target")
                maximum = ind.get("maximum")
                indicators.append((indicator_id, action_id, ind["id"], english(ind["name"]), english(ind["unit"]),
                                   ind.get("scale") or "count", ind["direction"], 0.0, target, maximum, english(ind["howMeasured"])))
                reporters = [org_id]
                if maximum is None and partner_ids and rng.random() < 0.2:
                    partner = rng.choice(partner_ids)
                    action_partners.add(partner)
                    reporters.append(partner)
                latest: dict[int, float] = {}
                for r_index, reporter in enumerate(reporters):
                    if maximum is not None:  # "plan adopted": 0 until the day it is, then 1
                        adopted = rng.randrange(2, len(quarters) + 6)
                        series = [min(maximum, 1.0 if q >= adopted else 0.0) for q in range(len(quarters))]
                    else:
                        goal = target if target else rng.choice((12, 20, 40, 80))
                        final = goal * rng.lognormvariate(-0.1, 0.45) * (0.35 if r_index else 1.0)
                        shape = rng.uniform(0.6, 1.6)
                        series, level = [], 0.0
                        for q in range(len(quarters)):
                            level = max(level, final * ((q + 1) / len(quarters)) ** shape * rng.uniform(0.9, 1.1))
                            series.append(float(round(level)))
                    for q, v in zip(quarters, series):
                        if q >= action_start:
                            values.append((indicator_id, reporter, q.isoformat(), v, "", None, timestamp(dt.datetime(q.year, q.month, q.day, 12))))
                            latest[reporter] = v
                            if action_last is None or q > action_last:
                                action_last = q
                key = (a["id"], ind["id"])
                entry = regional.setdefault(key, {"municipalities": 0, "reporting": 0, "total": 0.0, "reached_target": 0, "target": target})
                entry["municipalities"] += 1
                if latest:
                    total = sum(latest.values())
                    entry["reporting"] += 1
                    entry["total"] += total
                    if target is not None and (total >= target if ind["direction"] == "increase" else total <= target):
                        entry["reached_target"] += 1
            for partner in sorted(action_partners):
                partners.append((action_id, partner))
            plan_actions.append((action_id, plan_id, org_id, version_id, a["id"], item_id, english(a["title"]),
                                 rng.choice(GOALS), rng.choice(ACTIVITIES), rng.choice(OWNERS), action_start.isoformat(), period_end,
                                 budget, action_status, funding_end, continuation,
                                 action_last.isoformat() if action_last else None, timestamp(decided), timestamp(decided)))
            if action_last and action_last > last_activity.get(org_id, dt.date.min):
                last_activity[org_id] = action_last
            if funding_end and dt.date.fromisoformat(funding_end) < as_of:
                funding_ended["with continuation" if continuation.strip() else "without continuation"] += 1

    token_secret = "lt_" + secrets.token_urlsafe(32)
    built_s = time.perf_counter() - started - read_s

    with db:  # one transaction
        db.executemany("INSERT INTO organisations (id, kind, name, search_name, slug, country, region, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", organisations)
        db.execute("UPDATE catalogue_versions SET publisher_id = ?, status = 'published', published_at = ? WHERE id = ?",
                   (association, timestamp(published_at), version_id))
        db.execute("UPDATE users SET is_platform_admin = 0 WHERE id = ?", (user_id,))
        db.execute("INSERT INTO memberships (user_id, organisation_id, role, created_at) VALUES (?, ?, 'editor', ?)", (user_id, association, now))
        db.execute("INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                   (user_id, "benchmark", token_secret[:10], hashlib.sha256(token_secret.encode()).hexdigest(), now))
        db.executemany("INSERT INTO uptake_requests (id, organisation_id, catalogue_version_id, coordinator_id, status, motivation, created_by_id, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", requests)
        db.executemany("INSERT INTO uptake_request_items (id, request_id, action_id, budget, status, comment) VALUES (?, ?, ?, ?, ?, ?)", items)
        db.executemany("INSERT INTO uptake_events (request_id, action_id, kind, comment, user_id, organisation_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       events)
        db.executemany("INSERT INTO action_plans (id, organisation_id, published, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", plans)
        db.executemany("INSERT INTO plan_actions (id, plan_id, organisation_id, catalogue_version_id, catalogue_action_id, request_item_id, title, "
                       "goals, activities, owner, start_day, end_day, budget, status, funding_end, continuation, last_activity, created_at, "
                       "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", plan_actions)
        db.executemany("INSERT INTO plan_action_partners (plan_action_id, organisation_id) VALUES (?, ?)", partners)
        db.executemany("INSERT INTO plan_indicators (id, plan_action_id, catalogue_indicator_id, name, unit, scale, direction, baseline, target, "
                       "maximum, how_measured) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", indicators)
        db.executemany("INSERT INTO indicator_values (indicator_id, reporter_id, day, value, note, entered_by_id, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        db.executemany("INSERT INTO plan_updates (plan_action_id, day, text, status, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)", updates)
        for key in ("plans_generation", "directory_generation"):
            db.execute("INSERT INTO app_state (key, value) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET value = app_state.value + 1", (key,))
    generation = db.execute("SELECT value FROM app_state WHERE key = 'plans_generation'").fetchone()[0]
    insert_s = time.perf_counter() - started - read_s - built_s

    quiet_cutoff = add_months(as_of, -6)  # quiet: last activity more than six months before the day
    quiet = sorted(names[m] for m, _ in region if m not in last_activity or add_months(last_activity[m], 6) < as_of)
    by_action = {a["id"]: dict(item_status_counts[a["id"]]) for a in actions}
    most = max(actions, key=lambda a: (item_status_counts[a["id"]]["approved"], a["id"]))
    per_municipality = Counter(r[2] for r in plan_actions)
    indicators_per_municipality = Counter()
    action_org = {r[0]: r[2] for r in plan_actions}
    for r in indicators:
        indicators_per_municipality[action_org[r[1]]] += 1
    summary = {
        "catalogue": {"id": version_id, "key": CATALOGUE_KEY, "version": version, "actions": len(actions),
                      "indicators": sum(len(a["indicators"]) for a in actions)},
        "association": {"id": association, "name": association_name, "region": args.region},
        "coordinator": {"user_id": user_id, "email": args.coordinator_email.lower(), "role": "editor"},
        "api_token": token_secret,
        "municipalities": len(region),
        "partners": len(partner_ids),
        "uptake_requests": len(requests),
        "request_status": dict(status_counts),
        "request_items": len(items),
        "item_status": dict(Counter(r[4] for r in items)),
        "uptake_events": len(events),
        "plan_actions": len(plan_actions),
        "plan_actions_per_municipality": [min(per_municipality.values()), max(per_municipality.values())],
        "plan_action_partners": len(partners),
        "plan_indicators": len(indicators),
        "indicators_per_municipality": sorted(set(indicators_per_municipality.values())),
        "indicator_values": len(values),
        "values_per_reporter": len(quarters),
        "plan_updates": len(updates),
        "plans_generation": generation,
        "expected_overview": {
            "as_of": as_of.isoformat(),
            "municipalities": len(region),
            "uptake": by_action,
            "action_titles": [english(a["title"]) for a in actions],
            "most_taken_up": {"id": most["id"], "title": english(most["title"]), "approved": item_status_counts[most["id"]]["approved"]},
            "quiet": len(quiet),
            "quiet_since_before": quiet_cutoff.isoformat(),
            "funding_ended": dict(funding_ended),
            "indicators": {f"{k[0]}/{k[1]}": v for k, v in sorted(regional.items())},
        },
        "seconds": {"read": round(read_s, 3), "build": round(built_s, 3), "insert": round(insert_s, 3),
                    "total": round(time.perf_counter() - started, 3)},
    }
    print(f"catalogue {CATALOGUE_KEY} v{version} (id {version_id}) published by organisation {association} ({association_name}, region {args.region}); "
          f"coordinator {summary['coordinator']['email']} (user {user_id}) is its editor, with an API token")
    print(f"municipalities: {len(region)} of {len(candidates)} in {args.country}/{args.region}; requests {len(requests)} {dict(status_counts)}, "
          f"items {len(items)} {summary['item_status']}, history rows {len(events)}")
    print(f"plan actions: {len(plan_actions)} ({summary['plan_actions_per_municipality'][0]}-{summary['plan_actions_per_municipality'][1]} "
          f"per municipality), partners on {len(partners)} of them; indicators: {len(indicators)} "
          f"({', '.join(map(str, summary['indicators_per_municipality']))} per municipality); values: {len(values)} "
          f"({len(quarters)} quarters per reporter, {quarters[0] if quarters else '-'} to {quarters[-1] if quarters else '-'}); progress updates: {len(updates)}")
    print(f"expected overview as of {as_of}: most taken up {most['id']} ({item_status_counts[most['id']]['approved']} approved); "
          f"quiet {len(quiet)}; funding ended {dict(funding_ended)}; plans_generation = {generation}")
    s = summary["seconds"]
    print(f"generator time: {s['total']:.2f} s (read {s['read']:.2f} s, build {s['build']:.2f} s, insert {s['insert']:.2f} s)")
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
