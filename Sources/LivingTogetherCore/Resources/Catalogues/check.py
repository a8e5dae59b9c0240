#!/usr/bin/env python3
"""Validate the action catalogue files in this folder.

Run from anywhere:
    python3 check.py [FILE ...]                    # without FILE: plan-living-together.v1.json
    python3 check.py --directory PLACES.csv        # also look up every mentor municipality in a
                                                   # municipality directory (name and country columns)
    python3 check.py --copy-check SOURCE.txt ...   # warn about runs of 10 or more words copied from a source

Exit status 0 when every file passes. Python 3, no packages needed.

The schema rules are the ones the platform's loader is to apply (see README.md). On top of them this script
checks the content rules of the Plan Living Together catalogue: 7 objectives in the plan's order, 24 actions,
at least 2 per objective, the caps and amounts of the 20 actions in the Flemish subsidy data model, and the
mentor municipalities the sources name.
"""
import argparse
import csv
import datetime
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "nl")
# Lower-case ASCII letters and digits in words joined by single hyphens, starting with a letter.
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

TOP_KEYS = {"id", "version", "title", "summary", "period", "licence", "sources", "eligibility", "objectives"}
SOURCE_KEYS = {"title", "publisher", "year", "url"}
PERIOD_KEYS = {"start", "end"}
OBJECTIVE_KEYS = {"id", "title", "description", "actions"}
ACTION_KEYS = {"id", "title", "description", "targetGroups", "contentPartners", "mentorMunicipalities",
               "funding", "indicators"}
FUNDING_KEYS = {"amountPerUnit", "currency", "cap", "coFinancingPercent"}
INDICATOR_KEYS = {"id", "name", "unit", "direction", "target", "howMeasured"}
# Optional: "scale" ("count" | "percent" | "amount"; a count when absent) and "maximum" (number >= 0 or null).
INDICATOR_OPTIONAL = {"scale", "maximum"}
SCALES = {"count", "percent", "amount"}
DIRECTIONS = {"increase", "decrease"}
CURRENCIES = {"EUR"}

# ---- Content rules of plan-living-together ------------------------------------------------------------
PLAN_FILE = "plan-living-together.v1.json"
PLAN_OBJECTIVES = [  # the plan's seven objectives, in its order
    "safety-and-liveability",
    "dutch-language",
    "competences",
    "labour-market-and-entrepreneurship",
    "citizens-networks",
    "fighting-discrimination-and-exclusion",
    "one-community",
]
PLAN_ACTION_COUNT = 24
MIN_ACTIONS_PER_OBJECTIVE = 2
PLAN_CO_FINANCING = 50
# The 20 actions in the subsidy data model of the local-government portal (SOURCE-FACTS.md; the public
# repository lblod/app-digitaal-loket): objective, EUR per unit, and the cap of each target group in the
# order of the action's indicators. funding.cap is the sum of the caps.
PLAN_TABLE = {
    "polarisation-action-plan": ("safety-and-liveability", 12500, [1]),
    "dutch-practice-opportunities": ("dutch-language", 60, [2250]),
    "shortened-training-for-non-eu-graduates": ("competences", 600, [23]),
    "vulnerable-pupils-to-higher-education": ("competences", 650, [150]),
    "school-leavers-to-qualifying-track": ("competences", 650, [150]),
    "guidance-to-work": ("labour-market-and-entrepreneurship", 650, [150, 38, 75]),
    "guidance-to-entrepreneurship": ("labour-market-and-entrepreneurship", 650, [75, 30, 15]),
    "mentoring-to-work": ("labour-market-and-entrepreneurship", 320, [300]),
    "young-people-and-sport": ("citizens-networks", 210, [150, 30]),
    "young-people-to-training-and-jobs": ("citizens-networks", 210, [180]),
    "bridging-figures": ("citizens-networks", 320, [300]),
    "street-harassment-action-plan": ("fighting-discrimination-and-exclusion", 25000, [1]),
    "bystander-training": ("fighting-discrimination-and-exclusion", 90, [150, 150]),
    "accessibility-action-plan": ("fighting-discrimination-and-exclusion", 25000, [1]),
    "discrimination-testing": ("fighting-discrimination-and-exclusion", 25000, [1]),
    "social-mix-in-schools": ("one-community", 170, [300]),
    "teacher-training-pathways": ("one-community", 650, [15, 8]),
    "square-facilitators": ("one-community", 5800, [4]),
    "young-people-and-youth-work": ("one-community", 210, [150, 30]),
    "young-people-and-culture": ("one-community", 210, [150, 150]),
}
# The four actions the conference proceedings name and the data model lacks; the Flemish government
# finances them through other instruments, so their funding is null.
PLAN_COMPLETED = {
    "strengthened-local-integrated-security-cell": "safety-and-liveability",
    "neighbourhood-improvement-contracts": "safety-and-liveability",
    "summer-schools": "dutch-language",
    "buddies-for-newcomers": "citizens-networks",
}
# Mentor municipalities exactly as the sources name them (SOURCE-FACTS.md and the proceedings); every other
# action has none in version 1. Spelled as the municipality directory spells them.
PLAN_MENTORS = {
    "guidance-to-work": ["Mechelen"],
    "guidance-to-entrepreneurship": ["Ostend"],
    "mentoring-to-work": ["Ostend"],
    "young-people-and-sport": ["Gent"],
    "street-harassment-action-plan": ["Gent"],
    "bystander-training": ["Gent"],
    "square-facilitators": ["Mechelen"],
}


class Checker:
    def __init__(self, name):
        self.name = name
        self.errors = []
        self.warnings = []

    def error(self, path, message):
        self.errors.append(f"{self.name}: {path}: {message}")

    def warn(self, path, message):
        self.warnings.append(f"{self.name}: {path}: {message} (warning)")

    def keys(self, obj, path, required, allowed=None):
        if not isinstance(obj, dict):
            self.error(path, f"must be an object, found {type(obj).__name__}")
            return False
        allowed = allowed or required
        for k in sorted(required - obj.keys()):
            self.error(f"{path}.{k}" if path else k, "is missing")
        for k in sorted(obj.keys() - allowed):
            self.error(f"{path}.{k}" if path else k, "is not a field of the schema")
        return True

    def string(self, value, path):
        if not isinstance(value, str):
            self.error(path, f"must be text, found {type(value).__name__}")
            return False
        if not value.strip():
            self.error(path, "is empty")
        elif value != value.strip():
            self.error(path, "has leading or trailing white space")
        elif "  " in value:
            self.error(path, "has a double space")
        return True

    def text(self, value, path):
        """A translated text: exactly the languages in LANGUAGES, each a non-empty string."""
        if not isinstance(value, dict):
            self.error(path, f"must be an object with {', '.join(LANGUAGES)}, found {type(value).__name__}")
            return
        for lang in LANGUAGES:
            if lang not in value:
                self.error(f"{path}.{lang}", "the translation is missing")
            else:
                self.string(value[lang], f"{path}.{lang}")
        for lang in sorted(value.keys() - set(LANGUAGES)):
            self.error(f"{path}.{lang}", "is not one of the languages " + ", ".join(LANGUAGES))
        en, nl = value.get("en"), value.get("nl")
        if isinstance(en, str) and isinstance(nl, str) and en == nl and len(en) > 40:
            self.warn(path, "the English and Dutch texts are identical: untranslated?")

    def ident(self, value, path):
        if not isinstance(value, str) or not KEBAB.match(value):
            self.error(path, f"{value!r} is not a lower-case kebab-case id starting with a letter")

    def unique(self, items, path):
        seen = {}
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            if item["id"] in seen:
                self.error(f"{path}[{i}].id", f"duplicate id {item['id']!r} (also at {path}[{seen[item['id']]}])")
            else:
                seen[item["id"]] = i

    def array(self, value, path, allow_empty=True):
        if not isinstance(value, list):
            self.error(path, f"must be a list, found {type(value).__name__}")
            return []
        if not allow_empty and not value:
            self.error(path, "must not be empty")
        return value

    def names(self, value, path):
        """A list of unique names (organisations, municipalities); may be empty."""
        items = self.array(value, path)
        seen = set()
        for i, name in enumerate(items):
            if self.string(name, f"{path}[{i}]"):
                if name in seen:
                    self.error(f"{path}[{i}]", f"{name!r} is listed twice")
                seen.add(name)
        return [n for n in items if isinstance(n, str)]

    def number(self, value, path, whole=False, positive=True):
        """JSON numbers only: no strings, no booleans (which Python counts as int)."""
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and whole and not (isinstance(value, int) or float(value).is_integer()):
            ok = False
        if not ok:
            self.error(path, f"must be a {'whole ' if whole else ''}number, found {value!r}")
            return False
        if positive and value <= 0:
            self.error(path, f"must be more than 0, found {value!r}")
            return False
        return True


def reject_duplicate_keys(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise ValueError(f"the key {k!r} appears twice in one object")
        obj[k] = v
    return obj


def check_file(path):
    c = Checker(path.name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=reject_duplicate_keys)
    except FileNotFoundError:
        c.error("", "file not found")
        return c, None
    except json.JSONDecodeError as e:
        c.error(f"line {e.lineno}", f"is not valid JSON: {e.msg}")
        return c, None
    except ValueError as e:
        c.error("", str(e))
        return c, None
    if not c.keys(data, "", TOP_KEYS):
        return c, None

    # The file name is "<id>.v<version>.json".
    c.ident(data.get("id"), "id")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        c.error("version", "must be a whole number of 1 or more")
    m = re.match(r"^(.+)\.v(\d+)\.json$", path.name)
    if not m:
        c.error("", "the file name must be <id>.v<version>.json")
    elif m.group(1) != data.get("id") or int(m.group(2)) != version:
        c.error("id", f"the file name says {m.group(1)!r} version {m.group(2)}, the file says "
                      f"{data.get('id')!r} version {version}")
    c.text(data.get("title"), "title")
    c.text(data.get("summary"), "summary")
    c.text(data.get("eligibility"), "eligibility")
    if data.get("licence") != "CC BY 4.0":
        c.error("licence", f"expected 'CC BY 4.0', found {data.get('licence')!r}")

    period = data.get("period")
    if c.keys(period, "period", PERIOD_KEYS):
        dates = {}
        for k in ("start", "end"):
            v = period.get(k)
            try:
                if not isinstance(v, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", v):
                    raise ValueError
                dates[k] = datetime.date.fromisoformat(v)
            except ValueError:
                c.error(f"period.{k}", f"must be a date written YYYY-MM-DD, found {v!r}")
        if len(dates) == 2 and dates["start"] >= dates["end"]:
            c.error("period", "start must come before end")

    for i, s in enumerate(c.array(data.get("sources"), "sources", allow_empty=False)):
        p = f"sources[{i}]"
        if c.keys(s, p, SOURCE_KEYS):
            c.string(s.get("title"), f"{p}.title")
            c.string(s.get("publisher"), f"{p}.publisher")
            year = s.get("year")
            if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
                c.error(f"{p}.year", "must be a year as a whole number")
            if c.string(s.get("url"), f"{p}.url") and not s["url"].startswith("https://"):
                c.error(f"{p}.url", "must be an https:// address")

    objectives = c.array(data.get("objectives"), "objectives", allow_empty=False)
    c.unique(objectives, "objectives")
    actions_seen = {}  # action id -> path, for ids unique across the whole catalogue
    for i, obj in enumerate(objectives):
        p = f"objectives[{i}]"
        if not c.keys(obj, p, OBJECTIVE_KEYS):
            continue
        c.ident(obj.get("id"), f"{p}.id")
        c.text(obj.get("title"), f"{p}.title")
        c.text(obj.get("description"), f"{p}.description")
        actions = c.array(obj.get("actions"), f"{p}.actions", allow_empty=False)
        for j, act in enumerate(actions):
            ap = f"{p}.actions[{j}]"
            if not c.keys(act, ap, ACTION_KEYS):
                continue
            aid = act.get("id")
            c.ident(aid, f"{ap}.id")
            if isinstance(aid, str):
                if aid in actions_seen:
                    c.error(f"{ap}.id", f"duplicate action id {aid!r} (also at {actions_seen[aid]}); "
                                        "action ids are unique in the whole catalogue")
                else:
                    actions_seen[aid] = ap
            c.text(act.get("title"), f"{ap}.title")
            c.text(act.get("description"), f"{ap}.description")
            for k, tg in enumerate(c.array(act.get("targetGroups"), f"{ap}.targetGroups", allow_empty=False)):
                c.text(tg, f"{ap}.targetGroups[{k}]")
            c.names(act.get("contentPartners"), f"{ap}.contentPartners")
            c.names(act.get("mentorMunicipalities"), f"{ap}.mentorMunicipalities")

            fund = act.get("funding")
            if fund is not None and c.keys(fund, f"{ap}.funding", FUNDING_KEYS):
                fp = f"{ap}.funding"
                c.number(fund.get("amountPerUnit"), f"{fp}.amountPerUnit")
                c.number(fund.get("cap"), f"{fp}.cap", whole=True)
                if fund.get("currency") not in CURRENCIES:
                    c.error(f"{fp}.currency", f"must be one of {sorted(CURRENCIES)}, found {fund.get('currency')!r}")
                co = fund.get("coFinancingPercent")
                if c.number(co, f"{fp}.coFinancingPercent") and co > 100:
                    c.error(f"{fp}.coFinancingPercent", f"must be at most 100, found {co!r}")

            indicators = c.array(act.get("indicators"), f"{ap}.indicators", allow_empty=False)
            c.unique(indicators, f"{ap}.indicators")
            for k, ind in enumerate(indicators):
                ip = f"{ap}.indicators[{k}]"
                if not c.keys(ind, ip, INDICATOR_KEYS, INDICATOR_KEYS | INDICATOR_OPTIONAL):
                    continue
                if "scale" in ind and ind["scale"] not in SCALES:
                    c.error(f"{ip}.scale", f"must be one of {sorted(SCALES)}, found {ind['scale']!r}")
                if ind.get("maximum") is not None:
                    c.number(ind["maximum"], f"{ip}.maximum", positive=False)
                c.ident(ind.get("id"), f"{ip}.id")
                c.text(ind.get("name"), f"{ip}.name")
                c.text(ind.get("unit"), f"{ip}.unit")
                c.text(ind.get("howMeasured"), f"{ip}.howMeasured")
                if ind.get("direction") not in DIRECTIONS:
                    c.error(f"{ip}.direction", f"must be one of {sorted(DIRECTIONS)}, found {ind.get('direction')!r}")
                target = ind.get("target")
                if target is not None:
                    c.number(target, f"{ip}.target", positive=False)
                    if isinstance(target, (int, float)) and not isinstance(target, bool) and target < 0:
                        c.error(f"{ip}.target", f"must not be negative, found {target!r}")
                elif isinstance(fund, dict):
                    c.error(f"{ip}.target", "a funded action needs a number as target for each indicator (its cap)")

            # A funded action's cap is the sum of its indicators' targets (one target per target group).
            if isinstance(fund, dict):
                targets = [ind.get("target") for ind in indicators if isinstance(ind, dict)]
                if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in targets) and targets:
                    if fund.get("cap") != sum(targets):
                        c.error(f"{ap}.funding.cap", f"must equal the sum of the indicator targets "
                                                     f"({sum(targets)}), found {fund.get('cap')!r}")

    if path.name == PLAN_FILE:
        check_plan_content(c, data)
    return c, data


def check_plan_content(c, data):
    objectives = [o for o in data.get("objectives", []) if isinstance(o, dict)]
    ids = [o.get("id") for o in objectives]
    if ids != PLAN_OBJECTIVES:
        c.error("objectives", f"expected the plan's 7 objectives in its order {PLAN_OBJECTIVES}, found {ids}")
    where = {}
    actions = {}
    for o in objectives:
        acts = [a for a in o.get("actions", []) if isinstance(a, dict)]
        if len(acts) < MIN_ACTIONS_PER_OBJECTIVE:
            c.error(f"objectives[{o.get('id')}]", f"expected at least {MIN_ACTIONS_PER_OBJECTIVE} actions, found {len(acts)}")
        for a in acts:
            where[a.get("id")] = o.get("id")
            actions[a.get("id")] = a
    total = sum(len(o.get("actions", [])) for o in objectives)
    if total != PLAN_ACTION_COUNT:
        c.error("objectives", f"expected {PLAN_ACTION_COUNT} actions in total, found {total}")
    expected = set(PLAN_TABLE) | set(PLAN_COMPLETED)
    for aid in sorted(expected - actions.keys()):
        c.error("objectives", f"the action {aid!r} is missing")
    for aid in sorted(actions.keys() - expected):
        c.error(f"actions[{aid}]", "is neither one of the 20 actions of the subsidy table nor one of the 4 completed actions")

    for aid, (objective, amount, caps) in PLAN_TABLE.items():
        a = actions.get(aid)
        if a is None:
            continue
        p = f"actions[{aid}]"
        if where.get(aid) != objective:
            c.error(p, f"belongs under objective {objective!r}, found under {where.get(aid)!r}")
        fund = a.get("funding")
        if not isinstance(fund, dict):
            c.error(f"{p}.funding", "the subsidy table gives this action an amount and a cap: funding must not be null")
            continue
        if fund.get("amountPerUnit") != amount:
            c.error(f"{p}.funding.amountPerUnit", f"the subsidy table says {amount}, found {fund.get('amountPerUnit')!r}")
        if fund.get("cap") != sum(caps):
            c.error(f"{p}.funding.cap", f"the subsidy table says {' + '.join(map(str, caps))} = {sum(caps)}, "
                                        f"found {fund.get('cap')!r}")
        if fund.get("coFinancingPercent") != PLAN_CO_FINANCING:
            c.error(f"{p}.funding.coFinancingPercent", f"the plan asks {PLAN_CO_FINANCING}%, found {fund.get('coFinancingPercent')!r}")
        if fund.get("currency") != "EUR":
            c.error(f"{p}.funding.currency", "the plan pays in EUR")
        targets = [i.get("target") for i in a.get("indicators", []) if isinstance(i, dict)]
        if targets != caps:
            c.error(f"{p}.indicators", f"expected one indicator per target group with the table's caps {caps} "
                                       f"as targets, found {targets}")
        if len(a.get("targetGroups", [])) < len(caps):
            c.error(f"{p}.targetGroups", f"the table has {len(caps)} target group(s) for this action, "
                                         f"found {len(a.get('targetGroups', []))}")
    for aid, objective in PLAN_COMPLETED.items():
        a = actions.get(aid)
        if a is not None and where.get(aid) != objective:
            c.error(f"actions[{aid}]", f"belongs under objective {objective!r}, found under {where.get(aid)!r}")

    for aid, a in actions.items():
        found = a.get("mentorMunicipalities")
        wanted = PLAN_MENTORS.get(aid, [])
        if found != wanted:
            c.error(f"actions[{aid}].mentorMunicipalities",
                    f"the sources name {wanted or 'no mentor'} for this action, found {found}; "
                    "change PLAN_MENTORS in check.py and the README together with the file, citing the source")


def load_directory(path):
    """Names of municipalities from a directory CSV with at least the columns name and country."""
    names = set()
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row.get("name"):
                names.add(row["name"].strip())
    return names


def copy_check(data, source_paths, c, run=10):
    """Warn when a text shares a run of `run` or more consecutive words with a source document."""
    def words(s):
        return re.findall(r"[\w'’-]+", s.lower())

    grams = set()
    for sp in source_paths:
        w = words(Path(sp).read_text(encoding="utf-8", errors="replace"))
        grams.update(tuple(w[i:i + run]) for i in range(len(w) - run + 1))

    def walk(node, path):
        if isinstance(node, dict):
            if set(node.keys()) == set(LANGUAGES):
                for lang in LANGUAGES:
                    w = words(node[lang]) if isinstance(node[lang], str) else []
                    for i in range(len(w) - run + 1):
                        if tuple(w[i:i + run]) in grams:
                            c.warn(f"{path}.{lang}", f"shares {run}+ words with a source: "
                                                     f"'{' '.join(w[i:i + run])}'; write it in the project's own words")
                            break
            else:
                for k, v in node.items():
                    walk(v, f"{path}.{k}" if path else k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(data, "")


def summary(data):
    objectives = data.get("objectives", [])
    actions = [a for o in objectives for a in o.get("actions", [])]
    per = ", ".join(f"{o['id']} {len(o.get('actions', []))}" for o in objectives)
    mentored = sum(1 for a in actions if a.get("mentorMunicipalities"))
    funded = sum(1 for a in actions if a.get("funding") is not None)
    partnered = sum(1 for a in actions if a.get("contentPartners"))
    indicators = sum(len(a.get("indicators", [])) for a in actions)
    return (f"{len(objectives)} objectives, {len(actions)} actions ({per}); {indicators} indicators; "
            f"mentor: {mentored} with, {len(actions) - mentored} without; "
            f"funding data: {funded} with, {len(actions) - funded} without; "
            f"content partner: {partnered} with, {len(actions) - partnered} without")


def main(argv):
    parser = argparse.ArgumentParser(description="Validate action catalogue files.")
    parser.add_argument("files", nargs="*", help=f"catalogue files (default: {PLAN_FILE})")
    parser.add_argument("--directory", help="municipality directory CSV (columns name, country) to look mentors up in")
    parser.add_argument("--copy-check", nargs="+", metavar="SOURCE", help="source texts to compare wording against")
    args = parser.parse_args(argv)

    files = [Path(a) for a in args.files] if args.files else [HERE / PLAN_FILE]
    directory = load_directory(args.directory) if args.directory else None
    errors, warnings = [], []
    for path in files:
        checker, data = check_file(path)
        if data is not None and directory is not None:
            for o in data.get("objectives", []):
                for a in o.get("actions", []) if isinstance(o, dict) else []:
                    for name in a.get("mentorMunicipalities", []) if isinstance(a, dict) else []:
                        if name not in directory:
                            checker.error(f"actions[{a.get('id')}].mentorMunicipalities",
                                          f"{name!r} is not a municipality name in {args.directory}")
        if data is not None and args.copy_check:
            copy_check(data, args.copy_check, checker)
        errors += checker.errors
        warnings += checker.warnings
        if data is not None and not checker.errors:
            print(f"ok    {path.name}: {summary(data)}")
    for w in warnings:
        print(w)
    for e in errors:
        print(e)
    if errors:
        print(f"FAILED: {len(errors)} problem(s)")
        return 1
    print(f"all {len(files)} file(s) pass")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
