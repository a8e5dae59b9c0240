#!/usr/bin/env python3
"""Validate the knowledge library (practices.v1.json) in this folder.

Run from anywhere:  python3 check.py [FILE ...]
                    python3 check.py --copy-check SOURCE.txt ...   # also warn about 10-word runs copied from a source
Without FILE arguments it checks every practices.*.json file in this folder (events.v1.json is checked by the
app's own loader and its tests). Exit status 0 when every file passes.

The rules are the ones described in README.md: the record schema, allowed values, and ids of themes, key
factors and catalogue actions that must exist in the shipped benchmark frameworks (../Benchmarks/*.json)
and action catalogues (../Catalogues/*.json). Python 3, no packages needed.
"""
import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent
LANGUAGES = ("en", "nl")
ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
MAX_ID = 64
MAX_SUMMARY = 300
YEAR = re.compile(r"^(19|20)[0-9]{2}$|^2100$")
KINDS = {"practice", "tool"}
BUDGET_BANDS = {"small", "medium", "large", "unknown"}
SIZE_BANDS = ["xs", "s", "m", "l", "xl"]
TRANSLATIONS = {"human", "machine"}
DOCUMENTS = {"000", "001", "002", "003", "004"}
COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
URL = re.compile(r"^https?://[^\s]+$")
MARKUP = re.compile(r"<[a-zA-Z/][^>]*>|\*\*|__|^#{1,6} |\[[^\]]+\]\([^)]+\)", re.MULTILINE)

TOP_KEYS = {"id", "version", "licence", "title", "records"}
TEXT_FIELDS = ["title", "summary", "issue", "howItWorks", "results", "evaluation", "beneficiaries", "staff",
               "duration", "funding", "competences"]
RECORD_KEYS = set(TEXT_FIELDS) | {
    "id", "kind", "budgetBand", "start", "end", "stillRunning", "organisations", "country", "contact", "languages",
    "translations", "themes", "keyFactors", "catalogueActions", "sizeBands", "steps", "durationMinutes", "groupSize",
    "materials", "source"}
SOURCE_KEYS = {"document", "title", "where"}
STEP_KEYS = {"title", "text"}
MIN_RECORDS = 22
MIN_TOOLS = 3


def load_vocabulary():
    """Theme ids with their key factor ids, and catalogue action ids, from the shipped resources."""
    themes = {}
    for f in sorted((RESOURCES / "Benchmarks").glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        themes[data["id"]] = {k["id"] for k in data.get("keyFactors", [])}
    actions = set()
    for f in sorted((RESOURCES / "Catalogues").glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        for objective in data.get("objectives", []):
            actions.update(a["id"] for a in objective.get("actions", []))
    return themes, actions


class Checker:
    def __init__(self, name):
        self.name = name
        self.errors = []
        self.warnings = []

    def error(self, path, message):
        self.errors.append(f"{self.name}: {path}: {message}")

    def warn(self, path, message):
        self.warnings.append(f"{self.name}: {path}: {message} (warning)")

    def keys(self, obj, path, required):
        if not isinstance(obj, dict):
            self.error(path, f"must be an object, found {type(obj).__name__}")
            return False
        for k in sorted(required - obj.keys()):
            self.error(f"{path}.{k}" if path else k, "is missing")
        for k in sorted(obj.keys() - required):
            self.error(f"{path}.{k}" if path else k, "is not a known field")
        return True

    def text(self, t, path):
        """A localized text: exactly en and nl, each a non-empty plain-text string."""
        if not isinstance(t, dict):
            self.error(path, "must be an object with 'en' and 'nl'")
            return
        if set(t.keys()) != set(LANGUAGES):
            self.error(path, f"must have exactly the keys en and nl, found {sorted(t.keys())}")
        for lang in LANGUAGES:
            v = t.get(lang)
            if not isinstance(v, str) or not v.strip():
                self.error(f"{path}.{lang}", "must be a non-empty string")
            elif v != v.strip():
                self.error(f"{path}.{lang}", "has leading or trailing white space")
            elif MARKUP.search(v):
                self.error(f"{path}.{lang}", "looks like HTML or markdown; texts are plain text")

    def identifier(self, value, path):
        if not isinstance(value, str) or not ID.match(value):
            self.error(path, f"{value!r} is not lower-case kebab-case (letters, digits, single hyphens, starting with a letter)")
        elif len(value) > MAX_ID:
            self.error(path, f"{value!r} is longer than {MAX_ID} characters")

    def string_list(self, value, path, allow_empty=True):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(path, "must be a list of non-empty strings")
            return []
        if not allow_empty and not value:
            self.error(path, "must not be empty")
        if len(set(value)) != len(value):
            self.error(path, "lists a value twice")
        return value


def check_record(r, path, c, themes, actions):
    if not c.keys(r, path, RECORD_KEYS):
        return
    c.identifier(r["id"], f"{path}.id")
    if r["kind"] not in KINDS:
        c.error(f"{path}.kind", f"{r['kind']!r} is not one of {sorted(KINDS)}")
    for name in TEXT_FIELDS:
        c.text(r[name], f"{path}.{name}")
    if isinstance(r["summary"], dict):
        for lang in LANGUAGES:
            s = r["summary"].get(lang)
            if isinstance(s, str) and len(s) > MAX_SUMMARY:
                c.error(f"{path}.summary.{lang}", f"has {len(s)} characters; at most {MAX_SUMMARY}")
    if r["budgetBand"] not in BUDGET_BANDS:
        c.error(f"{path}.budgetBand", f"{r['budgetBand']!r} is not one of {sorted(BUDGET_BANDS)}")

    start, end, running = r["start"], r["end"], r["stillRunning"]
    if not (start == "unknown" or (isinstance(start, str) and YEAR.match(start))):
        c.error(f"{path}.start", f"{start!r} is not a year like \"2019\" or \"unknown\"")
    if end is not None:
        if not (isinstance(end, str) and YEAR.match(end)):
            c.error(f"{path}.end", f"{end!r} is not a year like \"2023\" or null")
        elif isinstance(start, str) and YEAR.match(start) and end < start:
            c.error(f"{path}.end", f"ends ({end}) before it starts ({start})")
        if running is True:
            c.error(f"{path}.stillRunning", "a record with an end year is not still running")
    if running not in (True, False, None):
        c.error(f"{path}.stillRunning", "must be true, false or null")

    c.string_list(r["organisations"], f"{path}.organisations", allow_empty=False)
    if not (isinstance(r["country"], str) and COUNTRY.match(r["country"])):
        c.error(f"{path}.country", f"{r['country']!r} is not an ISO 3166-1 alpha-2 code")
    if r["contact"] is not None and not (isinstance(r["contact"], str) and URL.match(r["contact"])):
        c.error(f"{path}.contact", "must be null or a web address (https://...)")
    for i, lang in enumerate(c.string_list(r["languages"], f"{path}.languages")):
        if not LANGUAGE.match(lang):
            c.error(f"{path}.languages[{i}]", f"{lang!r} is not an ISO 639-1 code")
    tr = r["translations"]
    if not isinstance(tr, dict) or set(tr.keys()) != set(LANGUAGES) or not set(tr.values()) <= TRANSLATIONS:
        c.error(f"{path}.translations", "must give en and nl, each \"human\" or \"machine\"")
    elif "human" not in tr.values():
        c.error(f"{path}.translations", "at least one language version is written by a person")

    record_themes = c.string_list(r["themes"], f"{path}.themes")
    for i, t in enumerate(record_themes):
        if t not in themes:
            c.error(f"{path}.themes[{i}]", f"{t!r} is not a benchmark framework id ({', '.join(sorted(themes))})")
    for i, k in enumerate(c.string_list(r["keyFactors"], f"{path}.keyFactors")):
        owners = [t for t, ks in themes.items() if k in ks]
        if not owners:
            c.error(f"{path}.keyFactors[{i}]", f"{k!r} is not a key factor of any benchmark framework")
        elif not set(owners) & set(record_themes):
            c.error(f"{path}.keyFactors[{i}]", f"{k!r} belongs to {owners[0]!r}, which is not among the record's themes")
    for i, a in enumerate(c.string_list(r["catalogueActions"], f"{path}.catalogueActions")):
        if a not in actions:
            c.error(f"{path}.catalogueActions[{i}]", f"{a!r} is not an action id of the shipped catalogue")
    bands = c.string_list(r["sizeBands"], f"{path}.sizeBands")
    for i, b in enumerate(bands):
        if b not in SIZE_BANDS:
            c.error(f"{path}.sizeBands[{i}]", f"{b!r} is not one of {SIZE_BANDS}")
    if all(b in SIZE_BANDS for b in bands) and bands != sorted(bands, key=SIZE_BANDS.index):
        c.error(f"{path}.sizeBands", "list the bands from small to large")

    steps = r["steps"]
    if not isinstance(steps, list):
        c.error(f"{path}.steps", "must be a list")
        steps = []
    for i, s in enumerate(steps):
        if c.keys(s, f"{path}.steps[{i}]", STEP_KEYS):
            c.text(s["title"], f"{path}.steps[{i}].title")
            c.text(s["text"], f"{path}.steps[{i}].text")
    minutes, group, materials = r["durationMinutes"], r["groupSize"], r["materials"]
    if r["kind"] == "tool":
        if len(steps) < 2:
            c.error(f"{path}.steps", "a tool has at least two steps")
    else:
        if steps:
            c.error(f"{path}.steps", "only tools have steps; use [] for a practice")
        for name, value in (("durationMinutes", minutes), ("groupSize", group), ("materials", materials)):
            if value is not None:
                c.error(f"{path}.{name}", "only tools have this field; use null for a practice")
    if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 100_000):
        c.error(f"{path}.durationMinutes", "must be null or a whole number of minutes")
    if group is not None and not (isinstance(group, str) and group.strip()):
        c.error(f"{path}.groupSize", "must be null or a non-empty string such as \"6–20\"")
    if materials is not None:
        c.text(materials, f"{path}.materials")

    src = r["source"]
    if c.keys(src, f"{path}.source", SOURCE_KEYS):
        if src["document"] not in DOCUMENTS:
            c.error(f"{path}.source.document", f"{src['document']!r} is not one of {sorted(DOCUMENTS)}")
        for k in ("title", "where"):
            if not (isinstance(src[k], str) and src[k].strip()):
                c.error(f"{path}.source.{k}", "must be a non-empty string")


def check_library(data, c, themes, actions):
    if not c.keys(data, "", TOP_KEYS):
        return
    c.identifier(data["id"], "id")
    if not isinstance(data["version"], int) or data["version"] < 1:
        c.error("version", "must be a whole number, 1 or more")
    if data["licence"] != "CC BY 4.0":
        c.error("licence", "must be \"CC BY 4.0\"")
    c.text(data["title"], "title")
    records = data["records"]
    if not isinstance(records, list):
        c.error("records", "must be a list")
        return
    seen = set()
    for i, r in enumerate(records):
        path = f"records[{i}]"
        if isinstance(r, dict) and isinstance(r.get("id"), str):
            path = f"records[{i}] ({r['id']})"
            if r["id"] in seen:
                c.error(f"{path}.id", "is used twice")
            seen.add(r["id"])
        check_record(r, path, c, themes, actions)
    tools = sum(1 for r in records if isinstance(r, dict) and r.get("kind") == "tool")
    if len(records) < MIN_RECORDS:
        c.error("records", f"has {len(records)} records; the shipped library has at least {MIN_RECORDS}")
    if tools < MIN_TOOLS:
        c.error("records", f"has {tools} tools; the shipped library has at least {MIN_TOOLS}")


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
            if set(node.keys()) == set(LANGUAGES) and all(isinstance(v, str) for v in node.values()):
                for lang in LANGUAGES:
                    w = words(node[lang])
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

    walk(data.get("records", []), "records")


def main(argv):
    parser = argparse.ArgumentParser(description="Validate the knowledge library files.")
    parser.add_argument("files", nargs="*", help="files to check (default: every *.json in this folder)")
    parser.add_argument("--copy-check", nargs="+", metavar="SOURCE", help="source texts to compare wording against")
    args = parser.parse_args(argv)

    themes, actions = load_vocabulary()
    files = [Path(a) for a in args.files] if args.files else sorted(HERE.glob("practices.*.json"))
    if not files:
        print("no JSON files to check", file=sys.stderr)
        return 1
    errors, warnings = [], []
    for f in files:
        c = Checker(f.name)
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            c.error("", f"cannot be read as UTF-8 JSON: {e}")
            data = None
        if data is not None:
            check_library(data, c, themes, actions)
            if args.copy_check:
                copy_check(data, args.copy_check, c)
        errors += c.errors
        warnings += c.warnings
        if data is not None and not c.errors:
            records = data["records"]
            tools = sum(1 for r in records if r["kind"] == "tool")
            print(f"{f.name}: ok, {len(records)} records ({len(records) - tools} practices, {tools} tools)")
    for w in warnings:
        print(w)
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
