#!/usr/bin/env python3
"""Validate the mentoring programme rules files in this folder.

Run from anywhere:
    python3 check.py [FILE ...]                    # without FILE: every *.json file in this folder
    python3 check.py --copy-check SOURCE.txt ...   # warn about runs of 10 or more words copied from a source

Exit status 0 when every file passes. Python 3, no packages needed.

The schema rules are the ones the platform's loader (ProgrammeRulesLoader) applies (see README.md); this script is
stricter on form (no unknown fields, no stray white space). On top of them it checks the content the sources give:
the DUO for a JOB rules, stages and outcomes (conference proceedings, Mechelen 2024), the five stages of
city-to-city mentoring (VVSG's mentor guide and IncluCities), and that a file's name matches its id and version.
"""
import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "nl")
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
FIELD = re.compile(r"^[a-z][A-Za-z0-9]*$")

TOP_KEYS = {"id", "version", "kind", "title", "description", "licence", "sources", "facts", "menteeRules",
            "mentorRules", "capacity", "stages", "outcomes"}
KINDS = {"cityToCity", "personToPerson"}
SOURCE_KEYS = {"title", "publisher", "year", "url"}
FACT_KEYS = {"id", "type", "label"}
FACT_OPTIONAL = {"unit"}
FACT_TYPES = {"number", "boolean", "text"}
RULE_KEYS = {"id", "field", "message"}
RULE_OPTIONAL = {"min", "max", "equals", "oneOf"}
CAPACITY_KEYS = {"default", "maximum"}
STAGE_KEYS = {"id", "title", "description"}
OUTCOME_KEYS = {"id", "title", "positive"}

# ---- Content rules from the sources ---------------------------------------------------------------------
# DUO for a JOB as the proceedings describe it: mentees 18–33, nationality or origin outside the EU, a permit to
# work; mentors over 50 with professional experience, two hours a week for six months; one mentor per duo.
DUO_FILE = "duo-for-a-job.v1.json"
DUO_MENTEE = {("age", "min"): 18, ("age", "max"): 33, ("originOutsideEU", "equals"): True, ("workPermit", "equals"): True}
DUO_MENTOR = {("age", "min"): 50, ("professionalExperience", "equals"): True, ("hoursPerWeek", "min"): 2,
              ("months", "min"): 6}
DUO_STAGES = ["discover", "train", "match", "guide", "evaluate"]
DUO_OUTCOMES = {"stable-job-3-months": True, "other-positive": True, "none": False}
# City-to-city: common ground and benchmark → preparation → mentoring → action plan → evaluation.
CITY_STAGES = ["common-ground-and-benchmark", "preparation", "mentoring", "action-plan", "evaluation"]


class Checker:
    def __init__(self, name):
        self.name = name
        self.errors = []
        self.warnings = []

    def error(self, path, message):
        self.errors.append(f"{self.name}: {path}: {message}" if path else f"{self.name}: {message}")

    def warn(self, path, message):
        self.warnings.append(f"{self.name}: {path}: {message} (warning)")

    def keys(self, obj, path, required, optional=frozenset()):
        if not isinstance(obj, dict):
            self.error(path, f"must be an object, found {type(obj).__name__}")
            return False
        for k in sorted(required - obj.keys()):
            self.error(f"{path}.{k}" if path else k, "is missing")
        for k in sorted(obj.keys() - required - optional):
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

    def ident(self, value, path, pattern=KEBAB, what="a lower-case kebab-case id starting with a letter"):
        if not isinstance(value, str) or not pattern.match(value):
            self.error(path, f"{value!r} is not {what}")

    def array(self, value, path, allow_empty=True):
        if not isinstance(value, list):
            self.error(path, f"must be a list, found {type(value).__name__}")
            return []
        if not allow_empty and not value:
            self.error(path, "must not be empty")
        return value

    def unique(self, items, path):
        seen = {}
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            if item["id"] in seen:
                self.error(f"{path}[{i}].id", f"duplicate id {item['id']!r} (also at {path}[{seen[item['id']]}])")
            else:
                seen[item["id"]] = i

    def number(self, value, path, whole=False):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and whole and not (isinstance(value, int) or float(value).is_integer()):
            ok = False
        if not ok:
            self.error(path, f"must be a {'whole ' if whole else ''}number, found {value!r}")
        return ok


def no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"key(s) {dupes} appear twice in one object")
    return dict(pairs)


def check_rule(c, rule, path, facts):
    if not c.keys(rule, path, RULE_KEYS, RULE_OPTIONAL):
        return
    c.ident(rule.get("id"), f"{path}.id")
    c.text(rule.get("message"), f"{path}.message")
    has_range = "min" in rule or "max" in rule
    forms = int(has_range) + int("equals" in rule) + int("oneOf" in rule)
    if forms != 1:
        c.error(path, "a rule needs min and/or max, or equals, or oneOf" if forms == 0
                else "a rule has one of: min and/or max, equals, oneOf — not several")
    fact = facts.get(rule.get("field"))
    if fact is None:
        c.error(f"{path}.field", f"{rule.get('field')!r} is not one of the declared facts {sorted(facts)}")
        return
    for bound in ("min", "max"):
        if bound in rule:
            c.number(rule[bound], f"{path}.{bound}")
            if fact != "number":
                c.error(path, f"min and max apply to numbers; {rule['field']!r} is {fact}")
    lo, hi = rule.get("min"), rule.get("max")
    if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
        c.error(f"{path}.max", f"is below min ({lo})")
    if "equals" in rule:
        v = rule["equals"]
        kind = "boolean" if isinstance(v, bool) else "number" if isinstance(v, (int, float)) else "text" if isinstance(v, str) else None
        if kind != fact:
            c.error(f"{path}.equals", f"{rule['field']!r} is {fact}, the rule compares it with {kind or type(v).__name__}")
    if "oneOf" in rule:
        values = c.array(rule["oneOf"], f"{path}.oneOf", allow_empty=False)
        if fact != "text":
            c.error(f"{path}.oneOf", f"oneOf applies to texts; {rule['field']!r} is {fact}")
        for i, v in enumerate(values):
            c.string(v, f"{path}.oneOf[{i}]")
        if len(set(map(str, values))) != len(values):
            c.error(f"{path}.oneOf", "lists a value twice")


def check_file(path):
    c = Checker(path.name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=no_duplicate_keys)
    except (OSError, ValueError) as e:
        c.error("", f"is not valid JSON: {e}")
        return c, None
    if not c.keys(data, "", TOP_KEYS):
        return c, None
    c.ident(data.get("id"), "id")
    if c.number(data.get("version"), "version", whole=True) and data["version"] < 1:
        c.error("version", f"must be 1 or more, found {data['version']!r}")
    if isinstance(data.get("id"), str) and isinstance(data.get("version"), int):
        expected = f"{data['id']}.v{data['version']}.json"
        if path.name != expected:
            c.error("", f"is named {path.name} but holds {expected}")
    if data.get("kind") not in KINDS:
        c.error("kind", f"must be one of {sorted(KINDS)}, found {data.get('kind')!r}")
    c.text(data.get("title"), "title")
    c.text(data.get("description"), "description")
    if data.get("licence") != "CC BY 4.0":
        c.error("licence", f"expected 'CC BY 4.0', found {data.get('licence')!r}")
    for i, s in enumerate(c.array(data.get("sources"), "sources", allow_empty=False)):
        sp = f"sources[{i}]"
        if c.keys(s, sp, SOURCE_KEYS):
            c.string(s.get("title"), f"{sp}.title")
            c.string(s.get("publisher"), f"{sp}.publisher")
            c.number(s.get("year"), f"{sp}.year", whole=True)
            if not (isinstance(s.get("url"), str) and s["url"].startswith("https://")):
                c.error(f"{sp}.url", f"must be an https address, found {s.get('url')!r}")

    facts = {}
    fact_list = c.array(data.get("facts"), "facts", allow_empty=False)
    c.unique(fact_list, "facts")
    for i, f in enumerate(fact_list):
        fp = f"facts[{i}]"
        if not c.keys(f, fp, FACT_KEYS, FACT_OPTIONAL):
            continue
        c.ident(f.get("id"), f"{fp}.id", FIELD, "a lowerCamelCase field name (ASCII letters and digits)")
        if f.get("type") not in FACT_TYPES:
            c.error(f"{fp}.type", f"must be one of {sorted(FACT_TYPES)}, found {f.get('type')!r}")
        c.text(f.get("label"), f"{fp}.label")
        if "unit" in f:
            c.text(f["unit"], f"{fp}.unit")
            if f.get("type") != "number":
                c.error(f"{fp}.unit", "only a number has a unit")
        if isinstance(f.get("id"), str):
            facts[f["id"]] = f.get("type")
    used = set()
    for side in ("menteeRules", "mentorRules"):
        rules = c.array(data.get(side), side, allow_empty=False)
        c.unique(rules, side)
        for i, r in enumerate(rules):
            check_rule(c, r, f"{side}[{i}]", facts)
            if isinstance(r, dict):
                used.add(r.get("field"))
    for name in sorted(set(facts) - used):
        c.warn("facts", f"{name!r} is declared but no rule tests it: is it needed? (store only what the programme needs)")

    cap = data.get("capacity")
    if c.keys(cap, "capacity", CAPACITY_KEYS):
        ok = c.number(cap.get("default"), "capacity.default", whole=True) and c.number(cap.get("maximum"), "capacity.maximum", whole=True)
        if ok and cap["default"] < 1:
            c.error("capacity.default", f"a mentor takes at least one mentee, found {cap['default']}")
        if ok and cap["maximum"] < cap["default"]:
            c.error("capacity.maximum", f"is below the default {cap['default']}")

    stages = c.array(data.get("stages"), "stages")
    if len(stages) < 2:
        c.error("stages", "a trajectory needs at least two stages")
    c.unique(stages, "stages")
    for i, s in enumerate(stages):
        if c.keys(s, f"stages[{i}]", STAGE_KEYS):
            c.ident(s.get("id"), f"stages[{i}].id")
            c.text(s.get("title"), f"stages[{i}].title")
            c.text(s.get("description"), f"stages[{i}].description")
    outcomes = c.array(data.get("outcomes"), "outcomes", allow_empty=False)
    c.unique(outcomes, "outcomes")
    for i, o in enumerate(outcomes):
        if c.keys(o, f"outcomes[{i}]", OUTCOME_KEYS):
            c.ident(o.get("id"), f"outcomes[{i}].id")
            c.text(o.get("title"), f"outcomes[{i}].title")
            if not isinstance(o.get("positive"), bool):
                c.error(f"outcomes[{i}].positive", f"must be true or false, found {o.get('positive')!r}")
    if outcomes and all(isinstance(o, dict) and o.get("positive") is True for o in outcomes):
        c.error("outcomes", "name at least one outcome that is not positive (a trajectory can end without result)")

    if data.get("kind") == "cityToCity":
        ids = [s.get("id") for s in stages if isinstance(s, dict)]
        if ids != CITY_STAGES:
            c.error("stages", f"city-to-city mentoring has the stages {CITY_STAGES} in this order, found {ids}")
    if path.name == DUO_FILE:
        check_duo(c, data)
    return c, data


def conditions(rules):
    out = {}
    for r in rules:
        if isinstance(r, dict):
            for key in ("min", "max", "equals"):
                if key in r:
                    out[(r.get("field"), key)] = r[key]
    return out


def check_duo(c, data):
    for side, wanted in (("menteeRules", DUO_MENTEE), ("mentorRules", DUO_MENTOR)):
        found = conditions(data.get(side, []))
        if found != wanted:
            c.error(side, f"the sources give {wanted}, found {found}; change DUO_MENTEE/DUO_MENTOR in check.py and the "
                          "README together with the file, citing the source")
    ids = [s.get("id") for s in data.get("stages", []) if isinstance(s, dict)]
    if ids != DUO_STAGES:
        c.error("stages", f"the sources give {DUO_STAGES}, found {ids}")
    outcomes = {o.get("id"): o.get("positive") for o in data.get("outcomes", []) if isinstance(o, dict)}
    if outcomes != DUO_OUTCOMES:
        c.error("outcomes", f"the sources give {DUO_OUTCOMES}, found {outcomes}")
    if data.get("kind") != "personToPerson":
        c.error("kind", "DUO for a JOB pairs people: personToPerson")
    if data.get("capacity") != {"default": 1, "maximum": 1}:
        c.error("capacity", "a duo is one mentor and one mentee: default 1, maximum 1")


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
    return (f"{data['kind']}, {len(data['facts'])} facts, {len(data['menteeRules'])} mentee and "
            f"{len(data['mentorRules'])} mentor rules, {len(data['stages'])} stages, {len(data['outcomes'])} outcomes, "
            f"capacity {data['capacity']['default']}–{data['capacity']['maximum']}")


def main(argv):
    parser = argparse.ArgumentParser(description="Validate mentoring programme rules files.")
    parser.add_argument("files", nargs="*", help="rules files (default: every *.json file in this folder)")
    parser.add_argument("--copy-check", nargs="+", metavar="SOURCE", help="source texts to compare wording against")
    args = parser.parse_args(argv)

    files = [Path(a) for a in args.files] if args.files else sorted(HERE.glob("*.json"))
    errors, warnings = [], []
    for path in files:
        checker, data = check_file(path)
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
