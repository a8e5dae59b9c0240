#!/usr/bin/env python3
"""Validate the benchmark framework files in this folder.

Run from anywhere:  python3 check.py [FILE ...]
Without arguments it checks the four IncluCities themes. Exit status 0 when every file passes.

The rules are the ones the platform's loader applies (see README.md), plus a few content rules of
this set of files (the number of key factors and questions, the same scale in every file).
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "nl")
# Lower-case ASCII letters and digits in words joined by single hyphens, starting with a letter.
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

EXPECTED = {
    # file name: (minimum key factors, exact key factors or None, exact context factors or None)
    "city-for-all.v1.json": (5, 5, 10),
    "gender-sensitive-integration.v1.json": (4, None, None),
    "labour-market-integration.v1.json": (4, None, None),
    "language-learning.v1.json": (4, None, None),
}
MIN_QUESTIONS = 3  # per key factor; the toolkit itself gives 3 to 11
CITY_FOR_ALL_KEY_FACTORS = [
    "know-the-local-context",
    "empower-active-residents-and-organisations",
    "inclusion-skills-in-the-organisation",
    "networking-and-accessibility",
    "image-of-residents-with-a-migration-background",
]
CITY_FOR_ALL_PRACTICES = ["Start to believe", "Welcome in Mechelen", "clear language",
                          "Samen Inburgeren", "De Mensen Maken De Stad"]

TOP_KEYS = {"id", "version", "title", "rationale", "licence", "sources", "scale", "contextFactors", "keyFactors"}
SOURCE_KEYS = {"title", "publisher", "year", "url"}
LEVEL_KEYS = {"value", "label", "description"}
CONTEXT_KEYS_REQUIRED = {"id", "label"}
CONTEXT_KEYS_ALLOWED = {"id", "label", "help"}
KEY_FACTOR_KEYS = {"id", "title", "rationale", "questions", "tips", "practices"}
QUESTION_KEYS = {"id", "text"}
PRACTICE_KEYS = {"title", "description", "place", "source"}


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
        elif not value.strip():
            self.error(path, "is empty")
        elif value != value.strip():
            self.error(path, "has leading or trailing white space")
        elif "  " in value:
            self.error(path, "has a double space")

    def text(self, value, path, question=False):
        """A translated text: exactly the languages in LANGUAGES, each non-empty."""
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
        if isinstance(en, str) and isinstance(nl, str):
            if question:
                for lang, v in (("en", en), ("nl", nl)):
                    if not v.rstrip().endswith("?"):
                        self.error(f"{path}.{lang}", "a guiding question ends with a question mark")
            if en == nl and len(en) > 40:
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


def check_file(path):
    c = Checker(path.name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        c.error("", "file not found")
        return c, None
    except json.JSONDecodeError as e:
        c.error(f"line {e.lineno}", f"is not valid JSON: {e.msg}")
        return c, None
    if not c.keys(data, "", TOP_KEYS):
        return c, None

    # The file name is "<id>.v<version>.json".
    m = re.match(r"^(.+)\.v(\d+)\.json$", path.name)
    c.ident(data.get("id"), "id")
    if not isinstance(data.get("version"), int) or isinstance(data.get("version"), bool) or data["version"] < 1:
        c.error("version", "must be a whole number of 1 or more")
    if m and (m.group(1) != data.get("id") or int(m.group(2)) != data.get("version")):
        c.error("id", f"the file name says {m.group(1)!r} version {m.group(2)}, the file says "
                      f"{data.get('id')!r} version {data.get('version')}")
    c.text(data.get("title"), "title")
    c.text(data.get("rationale"), "rationale")
    if data.get("licence") != "CC BY 4.0":
        c.error("licence", f"expected 'CC BY 4.0', found {data.get('licence')!r}")

    for i, s in enumerate(c.array(data.get("sources"), "sources", allow_empty=False)):
        p = f"sources[{i}]"
        if c.keys(s, p, SOURCE_KEYS):
            c.string(s.get("title"), f"{p}.title")
            c.string(s.get("publisher"), f"{p}.publisher")
            if not isinstance(s.get("year"), int) or not 1900 <= s["year"] <= 2100:
                c.error(f"{p}.year", "must be a year as a whole number")
            c.string(s.get("url"), f"{p}.url")
            if isinstance(s.get("url"), str) and not s["url"].startswith("https://"):
                c.error(f"{p}.url", "must be an https:// address")

    scale = data.get("scale")
    if c.keys(scale, "scale", {"levels"}):
        levels = c.array(scale.get("levels"), "scale.levels")
        if len(levels) != 5:
            c.error("scale.levels", f"expected 5 levels, found {len(levels)}")
        for i, level in enumerate(levels):
            p = f"scale.levels[{i}]"
            if c.keys(level, p, LEVEL_KEYS):
                if level.get("value") != i + 1:
                    c.error(f"{p}.value", f"expected {i + 1} (levels run 1 to 5 in order), found {level.get('value')!r}")
                c.text(level.get("label"), f"{p}.label")
                c.text(level.get("description"), f"{p}.description")

    contexts = c.array(data.get("contextFactors"), "contextFactors", allow_empty=False)
    c.unique(contexts, "contextFactors")
    for i, cf in enumerate(contexts):
        p = f"contextFactors[{i}]"
        if c.keys(cf, p, CONTEXT_KEYS_REQUIRED, CONTEXT_KEYS_ALLOWED):
            c.ident(cf.get("id"), f"{p}.id")
            c.text(cf.get("label"), f"{p}.label")
            if "help" in cf:
                c.text(cf["help"], f"{p}.help")

    key_factors = c.array(data.get("keyFactors"), "keyFactors", allow_empty=False)
    c.unique(key_factors, "keyFactors")
    min_questions = MIN_QUESTIONS
    for i, kf in enumerate(key_factors):
        p = f"keyFactors[{i}]"
        if not c.keys(kf, p, KEY_FACTOR_KEYS):
            continue
        c.ident(kf.get("id"), f"{p}.id")
        c.text(kf.get("title"), f"{p}.title")
        c.text(kf.get("rationale"), f"{p}.rationale")
        questions = c.array(kf.get("questions"), f"{p}.questions")
        if len(questions) < min_questions:
            c.error(f"{p}.questions", f"expected at least {min_questions} guiding questions, found {len(questions)}")
        c.unique(questions, f"{p}.questions")
        for j, q in enumerate(questions):
            qp = f"{p}.questions[{j}]"
            if c.keys(q, qp, QUESTION_KEYS):
                c.ident(q.get("id"), f"{qp}.id")
                c.text(q.get("text"), f"{qp}.text", question=True)
        for j, tip in enumerate(c.array(kf.get("tips"), f"{p}.tips")):
            c.text(tip, f"{p}.tips[{j}]")
        for j, pr in enumerate(c.array(kf.get("practices"), f"{p}.practices")):
            pp = f"{p}.practices[{j}]"
            if c.keys(pr, pp, PRACTICE_KEYS):
                c.text(pr.get("title"), f"{pp}.title")
                c.text(pr.get("description"), f"{pp}.description")
                c.string(pr.get("place"), f"{pp}.place")
                c.string(pr.get("source"), f"{pp}.source")

    # The counts this set of files promises.
    if path.name in EXPECTED:
        minimum, exact_kf, exact_cf = EXPECTED[path.name]
        if len(key_factors) < minimum:
            c.error("keyFactors", f"expected at least {minimum} key factors, found {len(key_factors)}")
        if exact_kf is not None and len(key_factors) != exact_kf:
            c.error("keyFactors", f"expected exactly {exact_kf} key factors, found {len(key_factors)}")
        if exact_cf is not None and len(contexts) != exact_cf:
            c.error("contextFactors", f"expected exactly {exact_cf} context factors, found {len(contexts)}")
    if path.name == "city-for-all.v1.json":
        ids = [kf.get("id") for kf in key_factors if isinstance(kf, dict)]
        if ids != CITY_FOR_ALL_KEY_FACTORS:
            c.error("keyFactors", f"expected the toolkit's five key factors in its order {CITY_FOR_ALL_KEY_FACTORS}, found {ids}")
        titles = " ".join(pr.get("title", {}).get("en", "") + " " + pr.get("description", {}).get("en", "")
                          for kf in key_factors if isinstance(kf, dict)
                          for pr in kf.get("practices", []) if isinstance(pr, dict))
        for name in CITY_FOR_ALL_PRACTICES:
            if name not in titles:
                c.error("keyFactors", f"the good practice {name!r} of the toolkit is missing")
    return c, data


def summary(data):
    kfs = data.get("keyFactors", [])
    return (f"{len(kfs)} key factors, {sum(len(k.get('questions', [])) for k in kfs)} questions, "
            f"{sum(len(k.get('tips', [])) for k in kfs)} tips, {sum(len(k.get('practices', [])) for k in kfs)} practices, "
            f"{len(data.get('contextFactors', []))} context factors")


def main(argv):
    files = [Path(a) for a in argv] if argv else [HERE / name for name in EXPECTED]
    errors, warnings, scales = [], [], {}
    for path in files:
        checker, data = check_file(path)
        errors += checker.errors
        warnings += checker.warnings
        if data is not None:
            scales[path.name] = data.get("scale")
            if not checker.errors:
                print(f"ok    {path.name}: {summary(data)}")
    # The maturity scale is the same in every file, so that levels mean the same across themes.
    if len(scales) > 1:
        first_name, first = next(iter(scales.items()))
        for name, scale in scales.items():
            if scale != first:
                errors.append(f"{name}: scale: differs from the scale in {first_name}; every theme uses the same scale")
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
