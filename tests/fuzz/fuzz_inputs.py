#!/usr/bin/env python3
"""Black-box fuzz test of every form field and every API field of the running app.

It sends extreme values (1e308, huge integers, NaN, inf, 100,000 characters, odd unicode, NUL, invalid
UTF-8, impossible dates, wrong JSON types, …) to the running site and asserts:

  (a) no answer is a 5xx, no request hangs past the timeout, and the server process stays alive
      (a refused or reset connection fails the run at once, printing the last request);
  (b) when a request is refused (any 4xx, or a 200/422 page that re-renders a form with an error
      summary), nothing was stored: the row count of every table of the app's SQLite database is the
      same before and after it (read directly, read-only, `file:…?mode=ro`; the app uses WAL).

    python3 tests/fuzz/fuzz_inputs.py BASE_URL DEMO_PASSWORD --database PATH_TO_SQLITE
        [--server-log FILE] [--quick] [--skip REGEX]... [--max-pages N] [--rounds N] [--budget SECONDS]
        [--trace FILE.jsonl]

Pages. It signs in through /sign-in (`_csrf` matching the `lt_csrf` cookie) as each demo account, creates
API tokens on /account (officer, coordinator, administrator), then crawls same-site links breadth-first as
each account and as a visitor who is not signed in (at most --max-pages pages per account; a URL that
differs from one already seen only in its query string is not visited again, and of the new paths that
differ only in their numeric ids only the first three of each shape are; downloads, static files,
/sign-out and the operations endpoints are not followed). It collects every `<form>` with its action and
fields (inputs, selects, textareas and the first named submit button). A form is fuzzed once, as the first
account that sees it (forms that differ only in the ids of their action or of their field names are one
form); the other accounts that see it get the numeric extremes in its numeric fields. The form is first
sent once as the page fills it ("defaults": the page's values, the selected option or else the first
that is not an empty placeholder, checkboxes ticked, the checked or first radio button, and a plausible
value in empty text fields: a past date, an e-mail address, an existing account or organisation where
one is asked, "3" in number fields, …), so that the other checks pass and the fuzzed field is the one
being judged; then each field other than `_csrf` is set in turn to every value (free-text fields get one
value of each numeric kind, not all; of the fields of one shape, like a budget per action, the first
two); then its other submit buttons and its other instances with their other choices are sent once as
defaults. GET forms (searches) are fuzzed the same way (the long text is 8,000 characters in a URL: the
HTTP server drops a request line of ~80 KB before the app sees it); the numeric ids in the path of every
page shape and form action are also replaced by 99999999999999999999, -1, 0, abc and 1e308.

  Rounds. What one round's forms make (an action, then its indicators, then their values; a published
  catalogue, a request, a decision asking for changes, the answer to it; a proposed round, …) shows new
  forms, so crawling and fuzzing repeat, for the forms not seen before, until no new form shows up
  (--rounds, default 5).

  Order and what is skipped. Within a round the forms that create and edit go first, then the forms that
  move something to its next state (submit, publish, confirm, decide, stage, outcome, status, rounds).
  After the rounds: the API (creating and editing operations, then the state-changing ones), then the
  forms of a visitor (sign-in, password, invitation) and the language switch — late because every refused
  sign-in counts against the sign-in limit of the address (all accounts are signed in before) — then the
  destructive forms (remove, erase, revoke, delete, role changes, withdraw, close) and last the API's
  DELETE operations. The sign-out form is never sent (it only ends the session the rest of the run
  needs). Destructive forms are not sent as defaults: one with no field besides `_csrf` (e.g. "remove this
  partner") is only sent with the extreme ids in its path. A refused sign-in records a row in
  `sign_in_attempts` by design: that table is not compared for /sign-in.

  A form that is re-rendered with an error summary must keep what the user typed: for visible text fields
  (not passwords) and values shorter than 1,000 characters, the value (trimmed, HTML-escaped) must appear
  in the answer. Forms that lose it, or that answer an error page (4xx without the form) to a value typed
  into a text field, are reported as findings, not failures (a 422 page that no longer has the form at all,
  because the item was decided or erased meanwhile, is not judged).

API. It reads /api/v1/openapi.json. Path parameters get real ids (the organisation of the token's account,
ids seen in the pages' links and form actions, items of GET lists) and also the extreme ids above. Each
request body is built from the schema (and, for PUT/PATCH and a few creates, from the JSON of an existing
resource), then each property in turn (three levels deep into objects and the first item of arrays, 24
at most, fewer values below the top level) is set to each value: JSON numbers written literally (1e400,
999999999999999999999, -0, …), the same as strings, NaN/Infinity literals, true, null, [], {}, strings of
every kind, "\ud800", "\u0000", a raw 0xFF byte. Query parameters are fuzzed too. Each operation also gets
a malformed JSON body, bodies that are no object, an empty one, a form-encoded one, one just under and one
over 1 MB, and is sent once as documented. Every operation is fuzzed with the token whose account the
operation belongs to (the plans and assessments of Mechelen: the officer; catalogues, mentoring, learning
networks: the coordinator; the rest: the platform administrator) and with the other two tokens on the
numeric extremes in numeric properties only.

Nothing stored. Besides the row counts, SQLite's `PRAGMA data_version` tells whether the app wrote at all
during a refused request; such a request is sent once more (the app touches a token's "last used" at most
once a minute on its own) and, if it writes again, is reported as "wrote with the row counts unchanged"
(an update on refusal; a finding, not a failure).

Output. A summary per account and for the API: requests sent, every 5xx (method, URL, field, value, the
start of the answer and, with --server-log, the server's log lines of that moment), every hang and dropped
connection, every "stored on refusal" (with the tables whose counts moved), the refused requests that
still wrote, the values accepted that are most likely missing validation (numeric extremes in numeric
fields and the 100,000-character text, answered 2xx/3xx), the choices (select, radio, hidden, button, API
enums) that accepted a value they do not offer, grouped by form or operation and field, the forms refused
as the page fills them, and the forms that lose typed input. Each case has a key "METHOD /path/N
field=value" that --skip REGEX matches, to run again without a case already found (e.g. one that kills the
server). --trace writes every judged request to a JSONL file.

Exit status 1 on any 5xx, hang, dropped connection, server death or stored-on-refusal, else 0. --quick
sends fewer values. --budget (default 330 s) stops starting new cases when the time is up and says how
many were not run.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import html
import html.parser
import http.client
import json
import os
import re
import sqlite3
import sys
import time
import urllib.parse
from dataclasses import dataclass, field

try:
    import requests
except ImportError:  # pragma: no cover
    raise SystemExit("fuzz_inputs.py needs the 'requests' package (pip install requests)")

ADMIN = "admin@livingtogether.example"
OFFICER = "officer@mechelen.example"
EDITOR = "editor@mechelen.example"
COORDINATOR = "coordinator@vvsg.example"
GENK = "officer@genk.example"
DUO_STAFF = "mentor@duoforajob.example"
ADVISOR = "advisor@integration.example"
ACCOUNTS = [OFFICER, EDITOR, COORDINATOR, GENK, DUO_STAFF, ADVISOR, ADMIN]
TOKEN_ACCOUNTS = [OFFICER, COORDINATOR, ADMIN]
ANON = "(not signed in)"

TIMEOUT = 30
http.client._MAXLINE = 4 * 1024 * 1024  # read an answer's header line even when the app echoes 1 MB into it
EXTREME_IDS = ["99999999999999999999", "-1", "0", "abc", "1e308"]
SKIP_LINK_EXT = re.compile(r"\.(csv|json|svg|png|jpe?g|gif|ico|css|js|pdf|txt|xml|zip|woff2?)$", re.I)
SKIP_LINK_PATH = re.compile(r"^/(sign-out|static/|livez|healthz|metrics|api/)|/(export|download)(/|$)")
DESTRUCTIVE = re.compile(r"(remove|erase|revoke|delete|demote|withdraw|close|/role$)", re.I)
DESTRUCTIVE_BUTTON = re.compile(r"\b(remove|erase|revoke|delete|demote|withdraw|close|verwijder|wis|intrekken|sluit)", re.I)
TRANSITION = re.compile(r"/(submit|publish|status|confirm|stage|outcome|decide|rounds)$")
ANON_FORMS = re.compile(r"^/(sign-in|password/|join/|language$)")
NUMERIC_NAME = re.compile(r"(^|[_:\-])(budget|value|population|capacity|hours|hours_per_week|age|rating|latitude|longitude|"
                          r"born_abroad_percent|percent|target|baseline|year|revision|experience|experience_years|limit|"
                          r"page|per_page|level|amount|count|score|number|id|[a-z]+_id)($|[_:\-])", re.I)
TEXT_TYPES = {"text", "email", "url", "search", "tel", "number", "date", "month", "week", "time",
              "datetime-local", "textarea", "password"}
TODAY = datetime.date.today()
PAST_DAY = (TODAY - datetime.timedelta(days=30)).isoformat()


def log(message: str) -> None:
    print(f"[fuzz] {message}", flush=True)


# --------------------------------------------------------------------------------------------------
# the values


@dataclass(frozen=True)
class Value:
    label: str
    form: str | bytes     # as typed into a form field (bytes: sent as they are, e.g. invalid UTF-8)
    json: str             # as written in a JSON body, raw (may be invalid JSON on purpose, like NaN)
    extreme: bool = False  # numeric extreme or the 100,000-character text: accepted => likely missing validation


LONG_TEXT = ("Lorem ipsum dolor sit amet " * 4000)[:100_000]
# In a URL (GET forms, query parameters) the long text is 8,000 characters: the HTTP server closes the
# connection, without an answer, on a request line of about 80 KB, before the app sees it.
URL_TEXT = LONG_TEXT[:8000]
_V = Value
# (label, form text, JSON text, extreme, quick)
_VALUES = [
    ("1e308", "1e308", "1e308", True, True),
    ("-1e308", "-1e308", "-1e308", True, False),
    ("huge-int", "999999999999999999999", "999999999999999999999", True, True),
    ("-huge-int", "-999999999999999999999", "-999999999999999999999", True, False),
    ("int64-max+1", "9223372036854775808", "9223372036854775808", True, True),
    ("int64-min-1", "-9223372036854775809", "-9223372036854775809", True, False),
    ("NaN", "NaN", '"NaN"', True, True),
    ("nan", "nan", '"nan"', True, False),
    ("inf", "inf", '"inf"', True, False),
    ("-Infinity", "-Infinity", '"-Infinity"', True, True),
    ("-0", "-0", "-0", False, True),
    ("1.5", "1.5", "1.5", False, True),
    ("-1", "-1", "-1", False, True),
    ("0x10", "0x10", '"0x10"', False, False),
    ("1e-320", "1e-320", "1e-320", False, False),
    ("text-100k", LONG_TEXT, json.dumps(LONG_TEXT), True, True),
    ("rtl-override", "\u202eevil\u202c name", json.dumps("\u202eevil\u202c name"), False, False),
    ("zwj", "a\u200db\u200d\u200d", json.dumps("a\u200db\u200d\u200d"), False, False),
    ("combining", "e\u0301\u0308\u0323\u0301\u0308", json.dumps("e\u0301\u0308\u0323\u0301\u0308"), False, False),
    ("emoji-skin", "\U0001F44D\U0001F3FD\U0001F468\u200d\U0001F469\u200d\U0001F467", json.dumps("\U0001F44D\U0001F3FD\U0001F468\u200d\U0001F469\u200d\U0001F467"), False, True),
    ("lone-surrogate", b"x\xed\xa0\x80y", '"x\\ud800y"', False, True),
    ("nul", "a\u0000b", '"a\\u0000b"', False, True),
    ("invalid-utf8", b"\xff\xfe\xc3(", '"\\udfff"', False, False),
    ("html", "<script>alert(1)</script>\"'&amp;", json.dumps("<script>alert(1)</script>\"'&amp;"), False, False),
    ("empty", "", '""', False, True),
    ("whitespace", " \t \u00a0 ", json.dumps(" \t \u00a0 "), False, False),
    ("date-99999-12-31", "99999-12-31", '"99999-12-31"', False, True),
    ("date-2024-02-30", "2024-02-30", '"2024-02-30"', False, True),
    ("date-0000-00-00", "0000-00-00", '"0000-00-00"', False, False),
    ("curly-quotes", "\u201c\u201d", '"\u201c\u201d"', False, False),
]
FORM_VALUES = [Value(l, f, j, e) for l, f, j, e, _ in _VALUES]
QUICK_LABELS = {l for l, *_, q in _VALUES if q}
# Only in JSON bodies: numbers and types no form can send.
JSON_ONLY = [
    Value("json-1e400", "", "1e400", True),
    Value("json--1e400", "", "-1e400", True),
    Value("json-NaN-literal", "", "NaN", True),
    Value("json-Infinity-literal", "", "Infinity", True),
    Value("json-str-1e308", "", '"1e308"', True),
    Value("json-str-huge-int", "", '"999999999999999999999"', True),
    Value("json-int32-max+1", "", "2147483648", False),
    Value("json-true", "", "true", False),
    Value("json-null", "", "null", False),
    Value("json-array", "", "[]", False),
    Value("json-array-items", "", '["x", 1, null]', False),
    Value("json-object", "", "{}", False),
    Value("json-object-nested", "", '{"a": {"b": [1e400]}}', False),
    Value("json-string", "", '"some text"', False),
    Value("json-zero", "", "0", False),
    Value("json-invalid-utf8", "", '"x\udcffy"', False),   # sent as the raw byte 0xFF inside a string
]
JSON_QUICK = {"json-1e400", "json-null", "json-array", "json-object", "json-string", "json-true", "json-str-huge-int"}
# Inside nested objects and arrays (a framework's key factors, an uptake request's actions): fewer values.
NESTED_LABELS = {"huge-int", "1e308", "NaN", "-1", "1.5", "text-100k", "lone-surrogate", "nul", "empty", "json-1e400",
                 "json-NaN-literal", "json-null", "json-array", "json-object", "json-string", "json-true",
                 "date-2024-02-30", "json-str-huge-int"}
LONG_LABELS = {"text-100k", "body-just-under-1MB"}
NUMERIC_EXTREME_LABELS = {"1e308", "-1e308", "huge-int", "-huge-int", "int64-max+1", "int64-min-1", "NaN", "nan",
                          "inf", "-Infinity", "json-1e400", "json--1e400", "json-NaN-literal",
                          "json-Infinity-literal", "json-str-1e308", "json-str-huge-int"}


# A field one types free text into (a title, a note) gets one value of each numeric kind, not all of them:
# there they are text; numeric fields, dates, choices and hidden fields get every value.
NUMERIC_ONLY_LABELS = {"-1e308", "-huge-int", "int64-min-1", "nan", "inf", "-0", "1e-320", "0x10",
                       "json--1e400", "json-Infinity-literal", "json-str-1e308", "json-int32-max+1", "json-zero"}


def values_for(values: list[Value], *, numeric: bool, free_text: bool) -> list[Value]:
    if numeric or not free_text:
        return values
    return [v for v in values if v.label not in NUMERIC_ONLY_LABELS]


def is_free_text(f: "Field") -> bool:
    return f.kind in ("text", "textarea", "search", "email", "url", "tel") and not is_numeric_field(f) and \
        not re.search(r"(^|_)(day|date|on|start|end)$", f.name)


def form_values(quick: bool) -> list[Value]:
    return [v for v in FORM_VALUES if not quick or v.label in QUICK_LABELS]


def json_values(quick: bool) -> list[Value]:
    base = [v for v in FORM_VALUES if v.label not in ("invalid-utf8",) and (not quick or v.label in QUICK_LABELS)]
    return base + [v for v in JSON_ONLY if not quick or v.label in JSON_QUICK]


def show_value(v: str | bytes) -> str:
    if isinstance(v, bytes):
        return repr(v)
    return repr(v if len(v) <= 40 else v[:20] + f"…({len(v)} chars)")


# --------------------------------------------------------------------------------------------------
# the database


class Database:
    """Row counts of every table of the app's SQLite file, read-only (the app writes in WAL mode)."""

    def __init__(self, path: str):
        if not os.path.exists(path):
            raise SystemExit(f"--database {path}: no such file")
        uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro"
        self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        self.tables = [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        if not self.tables:
            raise SystemExit(f"--database {path}: no tables (is it the database the app uses?)")

    def counts(self) -> dict[str, int]:
        for attempt in range(20):
            try:
                self.conn.execute("BEGIN")
                try:
                    counts = {t: self.conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in self.tables}
                    # Changes whenever another connection (the app) has committed since: a write of any kind.
                    counts[DATA_VERSION] = self.conn.execute("PRAGMA data_version").fetchone()[0]
                    return counts
                finally:
                    self.conn.execute("COMMIT")
            except sqlite3.OperationalError as e:  # busy while the app checkpoints
                if attempt == 19:
                    raise
                time.sleep(0.05)
        return {}


DATA_VERSION = "(data_version)"


def count_changes(before: dict[str, int], after: dict[str, int], ignore: set[str] = frozenset()) -> dict[str, str]:
    return {t: f"{before.get(t, 0)} -> {after.get(t, 0)}" for t in sorted(set(before) | set(after))
            if t not in ignore and t != DATA_VERSION and before.get(t, 0) != after.get(t, 0)}


# --------------------------------------------------------------------------------------------------
# HTML


@dataclass
class Field:
    name: str
    kind: str             # input type, "select", "textarea", "button"
    value: str
    checked: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False
    attrs: dict = field(default_factory=dict)


@dataclass
class Form:
    account: str
    page: str
    action: str           # path (and query) of the action, absolute on the site
    method: str
    enctype: str
    fields: list[Field]
    button_text: str = ""
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # named submit buttons: name, value, text

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.action).path

    def signature(self) -> tuple:
        return (self.method, shape(self.path), tuple(sorted({shape_name(f.name) for f in self.fields})))


class PageParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: Field | None = None
        self._option: dict | None = None
        self._textarea: Field | None = None
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(),
                          "enctype": a.get("enctype", "application/x-www-form-urlencoded"), "fields": [],
                          "buttons": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image"):
                self._form["buttons"].append({"name": a.get("name", ""), "value": a.get("value", ""), "text": a.get("value", "")})
            elif kind not in ("reset", "button") and a.get("name"):
                self._form["fields"].append(Field(a["name"], kind, a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                                                  checked="checked" in a, attrs=a))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select", "", multiple="multiple" in a, attrs=a)
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea", "", attrs=a)
            self._form["fields"].append(self._textarea)
        elif tag == "button":
            kind = (a.get("type") or "submit").lower()
            self._button = {"name": a.get("name", ""), "value": a.get("value", ""), "text": ""} if kind == "submit" else None
            if self._button is not None:
                self._form["buttons"].append(self._button)

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea.value += data
        if self._button is not None:
            self._button["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value = self._option["value"] if self._option["value"] is not None else self._option["text"].strip()
            self._select.options.append(value)
            if self._option["selected"]:
                self._select.selected.append(value)
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag == "button":
            self._button = None


def shape(path: str) -> str:
    # Numeric ids, and the library's records by their address (/knowledge/<slug>/…), are one shape each.
    path = re.sub(r"^/knowledge/(?!new$|review$|library\.)[a-z][a-z0-9-]*(?=/|$)", "/knowledge/S", path)
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def shape_name(name: str) -> str:
    """Field names that differ only in an id (comment:ACTION-ID, value1_day, mentor-12) have one shape."""
    name = re.sub(r"\d+", "N", name)
    return name.split(":", 1)[0] + ":*" if ":" in name else name


def text_of(body: str, limit: int = 300) -> str:
    """The text of a page's error summary, else of its main element."""
    m = re.search(r'<div class="error-summary".*?</div>', body, re.S) or re.search(r"<main\b.*?</main>", body, re.S | re.I)
    text = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", m.group(0) if m else body, flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text).strip()[:limit]


def filler(f: Field, counter: int, form_path: str = "") -> str:
    """A plausible value for an empty field, so that the form passes its other checks."""
    n = f.name.lower()
    kind = f.kind
    if kind in ("text", "search") and n in ("organisation", "partner", "host", "member"):
        return "Genk"  # a name the directory knows
    if n == "account" or (kind in ("email", "text") and n == "email" and form_path.endswith("/staff")):
        return ADVISOR  # an existing account
    if n == "country":
        return "BE"
    if n == "languages":
        return "nl, fr"
    if kind == "date" or re.search(r"(^|_)(day|date|on|start|end|starts_on|ended_on|signed_on|funding_end)$", n):
        return PAST_DAY
    if kind == "email" or "email" in n:
        return f"fuzz.{counter}@example.org"
    if kind == "url" or re.search(r"(link|website|url)", n):
        return "https://example.org/"
    if kind == "time":
        return "10:00"
    if kind == "password" or "password" in n:
        return "fuzz-password-123!"
    if "year" in n and "years" not in n:
        return str(TODAY.year)
    if "years" in n:
        return "3"
    if re.search(r"(^|_)age$", n):
        return "25"  # within every programme's age rule
    if kind in ("number", "range") or NUMERIC_NAME.search(n):
        lo, hi = f.attrs.get("min"), f.attrs.get("max")
        try:
            if lo not in (None, "") and float(lo) > 3:
                return lo
            if hi not in (None, "") and float(hi) < 3:
                return hi
        except ValueError:
            pass
        return "3"
    if kind == "textarea":
        return "Fuzz text written by the fuzz test."
    return "Fuzz"


def default_data(form: Form, counter: int, shift: int = 0) -> list[tuple[str, object]]:
    """The form as the page fills it. shift > 0 picks, in the first radio group or select with several
    choices, the choice that many places after the default (to send the other decisions too)."""
    data: list[tuple[str, object]] = []
    radios_done: set[str] = set()
    for f in form.fields:
        if f.kind == "radio":
            if f.name in radios_done:
                continue
            group = [g for g in form.fields if g.kind == "radio" and g.name == f.name]
            chosen = next((g for g in group if g.checked), group[0])
            if shift and len(group) > 1:
                chosen = group[(group.index(chosen) + shift) % len(group)]
                shift = 0
            data.append((f.name, chosen.value))
            radios_done.add(f.name)
        elif f.kind == "checkbox":
            data.append((f.name, f.value or "on"))
        elif f.kind == "select":  # the selected option, else the first that is not an empty placeholder
            real = [o for o in f.options if o.strip()]
            chosen = [c for c in f.selected if c.strip()] or real[:1] or f.options[:1] or [""]
            if shift and len(real) > 1 and not f.multiple:
                chosen = [real[(real.index(chosen[0]) + shift) % len(real) if chosen[0] in real else shift % len(real)]]
                shift = 0
            if not f.multiple:
                chosen = chosen[:1]
            for c in chosen:
                data.append((f.name, c))
        elif f.kind == "file":
            data.append((f.name, ("fuzz.txt", b"fuzz")))
        elif f.kind == "hidden":
            data.append((f.name, f.value))
        else:
            data.append((f.name, f.value if f.value.strip() else filler(f, counter, form.path)))
    return data


def is_numeric_field(f: Field) -> bool:
    if f.kind in ("number", "range") or f.attrs.get("inputmode") in ("numeric", "decimal"):
        return True
    if NUMERIC_NAME.search(f.name):
        return True
    return bool(re.fullmatch(r"-?\d+([.,]\d+)?", f.value.strip())) and f.kind in ("hidden", "select", "radio")


def field_kind_label(f: Field) -> str:
    return f"{f.kind}{', numeric' if is_numeric_field(f) else ''}"


# --------------------------------------------------------------------------------------------------
# the run


@dataclass
class Outcome:
    key: str
    who: str
    method: str
    url: str
    field: str
    value: str
    status: int | None
    body: str = ""
    log: str = ""
    extra: str = ""


class ServerDied(Exception):
    pass


class OutOfTime(Exception):
    pass


class Fuzzer:
    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        self.host = urllib.parse.urlsplit(self.base).netloc
        self.password = args.password
        self.quick = args.quick
        self.skip = [re.compile(s) for s in args.skip]
        self.max_pages = args.max_pages
        self.deadline = time.monotonic() + args.budget if args.budget > 0 else None
        self.db = Database(args.database)
        self.server_log = args.server_log
        self.sessions: dict[str, requests.Session] = {}
        self.tokens: dict[str, str] = {}
        self.forms: list[Form] = []
        self.form_seen: dict[tuple, list[str]] = {}
        self.pages: dict[str, list[str]] = collections.defaultdict(list)  # account -> visited URLs
        self.crawled: dict[str, set[str]] = collections.defaultdict(set)  # account -> visited paths
        self.instances: dict[tuple, list[Form]] = {}  # signature -> up to 3 forms of that shape (other ids or values)
        self.ids: dict[str, dict[str, list[str]]] = collections.defaultdict(lambda: collections.defaultdict(list))
        self.sent: collections.Counter = collections.Counter()
        self.server_errors: list[Outcome] = []
        self.hangs: list[Outcome] = []
        self.dropped: list[Outcome] = []
        self.accepted_as_text = 0
        self.written: list[Outcome] = []
        self.outside_options: dict[tuple[str, str], dict] = {}
        self.baseline_refused: list[str] = []
        self.rounds = args.rounds
        self.trace = open(args.trace, "w", encoding="utf-8") if args.trace else None
        self.stored: list[Outcome] = []
        self.accepted: dict[tuple[str, str], dict] = {}
        self.lost_input: list[Outcome] = []
        self.skipped_cases = 0
        self.not_run = 0
        self.last_request = ""
        self.counter = 0
        self.death: str | None = None

    # -- plumbing ----------------------------------------------------------------------------------

    def session(self, who: str) -> requests.Session:
        if who not in self.sessions:
            s = requests.Session()
            s.headers["User-Agent"] = "living-together-fuzz/1"
            s.headers["Accept-Language"] = "en"
            self.sessions[who] = s
        return self.sessions[who]

    def log_offset(self) -> int:
        try:
            return os.path.getsize(self.server_log) if self.server_log else 0
        except OSError:
            return 0

    def log_since(self, offset: int) -> str:
        if not self.server_log:
            return ""
        time.sleep(0.05)
        try:
            with open(self.server_log, "rb") as fh:
                fh.seek(offset)
                text = fh.read(200_000).decode("utf-8", "replace")
        except OSError:
            return ""
        lines = [l for l in text.splitlines() if re.search(r"error|fatal|crash|critical|warning|trap|abort", l, re.I)]
        return "\n".join(l[:400] for l in lines[:6])

    def alive(self) -> bool:
        try:
            return requests.get(self.base + "/livez", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    def request(self, who: str, method: str, url: str, *, case: str, accounting: str, **kw) -> requests.Response | None:
        """Sends one request; None when it hung (recorded). Raises ServerDied when the server is gone."""
        self.last_request = f"{who}: {method} {url} ({case})"
        self.sent[accounting] += 1
        s = self.session(who)
        try:
            return s.request(method, self.base + url if url.startswith("/") else url, timeout=TIMEOUT,
                             allow_redirects=False, **kw)
        except requests.Timeout:
            if not self.alive():
                raise ServerDied(self.last_request)
            self.hangs.append(Outcome(case, who, method, url, "", "", None, extra=f"no answer within {TIMEOUT} s"))
            log(f"HANG {self.last_request}")
            return None
        except requests.ConnectionError as e:
            if self.alive():  # a reset of one connection while the server lives on
                self.dropped.append(Outcome(case, who, method, url, "", "", None, body=f"connection error: {e}"[:300]))
                log(f"CONNECTION ERROR (server alive) {self.last_request}: {e}")
                return None
            raise ServerDied(f"{self.last_request}: {e}")

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise OutOfTime()

    def skipped(self, key: str) -> bool:
        if any(p.search(key) for p in self.skip):
            self.skipped_cases += 1
            return True
        return False

    # -- signing in, tokens -------------------------------------------------------------------------

    def get_page(self, who: str, url: str) -> tuple[int, str, PageParser | None]:
        r = self.request(who, "GET", url, case=f"GET {shape(url)}", accounting=who)
        if r is None:
            return 0, "", None
        if r.status_code >= 500:
            self.record_5xx(Outcome(f"GET {shape(urllib.parse.urlsplit(url).path)}", who, "GET", url, "", "", r.status_code,
                                    body=text_of(r.text)))
        ctype = r.headers.get("content-type", "")
        if "html" not in ctype:
            return r.status_code, "", None
        p = PageParser()
        try:
            p.feed(r.text)
        except Exception:
            pass
        return r.status_code, r.text, p

    def sign_in(self, who: str) -> None:
        status, _, page = self.get_page(who, "/sign-in")
        form = next((f for f in (page.forms if page else []) if f["action"].startswith("/sign-in")), None)
        if form is None:
            raise SystemExit(f"/sign-in answered {status} without a sign-in form")
        data = [(f.name, f.value) for f in form["fields"] if f.kind == "hidden"]
        data += [("email", who), ("password", self.password)]
        r = self.request(who, "POST", form["action"], data=data, case="sign-in", accounting=who)
        if r is None or r.status_code not in (302, 303) or "lt_session" not in self.session(who).cookies:
            raise SystemExit(f"signing in as {who} failed ({r.status_code if r is not None else 'no answer'}): "
                             f"is the demo password right?")

    def create_token(self, who: str) -> None:
        status, _, page = self.get_page(who, "/account")
        form = next((f for f in (page.forms if page else []) if f["action"] == "/account/tokens"), None)
        if form is None:
            raise SystemExit(f"/account as {who} ({status}) shows no form to create a token")
        data = [(f.name, f.value) for f in form["fields"] if f.kind == "hidden"] + [("name", "fuzz test token")]
        r = self.request(who, "POST", "/account/tokens", data=data, case="create token", accounting=who)
        m = re.search(r'<code class="secret">(lt_[^<]+)</code>', r.text if r is not None else "")
        if not m:
            raise SystemExit(f"creating a token as {who} answered {r.status_code if r is not None else '-'} without the token")
        self.tokens[who] = html.unescape(m.group(1))

    # -- the crawl ------------------------------------------------------------------------------------

    def normalise_link(self, page_url: str, href: str) -> str | None:
        href = href.split("#", 1)[0].strip()
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            return None
        absolute = urllib.parse.urljoin(self.base + page_url, href)
        parts = urllib.parse.urlsplit(absolute)
        if parts.netloc != self.host or parts.scheme not in ("http", "https"):
            return None
        path = parts.path or "/"
        if SKIP_LINK_EXT.search(path) or SKIP_LINK_PATH.search(path):
            return None
        return path + (f"?{parts.query}" if parts.query else "")

    def harvest_ids(self, who: str, url: str) -> None:
        segs = urllib.parse.urlsplit(url).path.strip("/").split("/")
        for i in range(1, len(segs)):
            if re.fullmatch(r"\d+", segs[i]) and not re.fullmatch(r"\d+", segs[i - 1]):
                lst = self.ids[who][segs[i - 1]]
                if segs[i] not in lst:
                    lst.append(segs[i])
                glob = self.ids["*"][segs[i - 1]]
                if segs[i] not in glob:
                    glob.append(segs[i])
        if len(segs) >= 2 and segs[0] == "benchmarks" and segs[1] not in ("upload",):
            lst = self.ids["*"]["benchmarks"]
            if segs[1] not in lst:
                lst.append(segs[1])

    def crawl(self, who: str) -> None:
        queue = collections.deque(["/account", "/", "/directory", "/benchmarks", "/plans", "/mentoring",
                                   "/learning-networks", "/admin/outbox"] if who != ANON else
                                  ["/", "/sign-in", "/password/forgot", "/directory", "/benchmarks", "/plans",
                                   "/mentoring", "/privacy"])
        seen_paths: set[str] = set()
        shapes: collections.Counter = collections.Counter()
        earlier = self.crawled[who]  # pages of earlier rounds are visited again (they may show new forms)
        queue.extendleft(reversed([u for u in self.pages[who] if u not in queue]))
        visited = 0
        while queue and visited < self.max_pages:
            url = queue.popleft()
            path = url.split("?", 1)[0]
            if path in seen_paths:
                continue
            seen_paths.add(path)
            if path not in earlier:
                if shapes[shape(path)] >= 3:  # of the new pages of one shape, the first three
                    continue
                shapes[shape(path)] += 1
                earlier.add(path)
                self.pages[who].append(url)
            status, body, page = self.get_page(who, url)
            visited += 1
            self.harvest_ids(who, url)
            if page is None:
                continue
            for href in page.links:
                link = self.normalise_link(url, href)
                if link and link.split("?", 1)[0] not in seen_paths:
                    queue.append(link)
            for raw in page.forms:
                self.add_form(who, url, raw)
        log(f"crawled {visited} page(s) as {who}; {len(self.forms)} distinct form(s) so far")

    def add_form(self, who: str, page_url: str, raw: dict) -> None:
        action = raw["action"] or page_url
        absolute = urllib.parse.urljoin(self.base + page_url, action)
        parts = urllib.parse.urlsplit(absolute)
        if parts.netloc != self.host:
            return
        action = parts.path + (f"?{parts.query}" if parts.query else "")
        self.harvest_ids(who, action)
        if parts.path.startswith("/sign-out"):
            return
        fields = list(raw["fields"])
        named_buttons = [b for b in raw["buttons"] if b["name"]]
        if named_buttons:
            fields.append(Field(named_buttons[0]["name"], "button", named_buttons[0]["value"]))
        text = " ".join(b["text"].strip() for b in raw["buttons"])
        form = Form(who, page_url, action, raw["method"].upper(), raw["enctype"].lower(), fields, text,
                    [(b["name"], b["value"], b["text"].strip()) for b in named_buttons])
        sig = form.signature()
        if sig in self.form_seen:
            if who not in self.form_seen[sig]:
                self.form_seen[sig].append(who)
            same = self.instances[sig]
            ident = lambda f: (f.action, tuple((x.name, x.value) for x in f.fields if x.name != "_csrf"))
            if len(same) < 3 and who == same[0].account and ident(form) not in {ident(f) for f in same}:
                same.append(form)
            return
        self.form_seen[sig] = [who]
        self.instances[sig] = [form]
        self.forms.append(form)

    # -- judging an answer --------------------------------------------------------------------------

    def record_5xx(self, o: Outcome) -> None:
        self.server_errors.append(o)
        log(f"5xx {o.status} {o.who}: {o.method} {o.url} {o.field}={o.value} :: {o.body[:160]}")

    def judge(self, *, who: str, method: str, url: str, fname: str, value: Value | None, vshown: str, key: str,
              r: requests.Response | None, before: dict, log_offset: int, refused_page_form: bool,
              group: str, kind_label: str, typed: str | None, ignore_tables: set[str] = frozenset(),
              options: list | None = None, options_json: bool = False) -> None:
        if r is None:
            return
        status = r.status_code
        body = r.text if "json" in r.headers.get("content-type", "") or "html" in r.headers.get("content-type", "") or status >= 400 else ""
        if status >= 500:
            self.record_5xx(Outcome(key, who, method, url, fname, vshown, status, body=text_of(body) if "<" in body else body[:300],
                                    log=self.log_since(log_offset)))
            if self.trace:
                self.trace.write(json.dumps({"key": key, "who": who, "method": method, "url": url[:300], "status": status}) + "\n")
            return
        refused = status >= 400 or (refused_page_form and status in (200, 422) and 'class="error-summary"' in body)
        after = self.db.counts()
        changes = count_changes(before, after, ignore_tables)
        if self.trace:
            self.trace.write(json.dumps({"key": key, "who": who, "method": method, "url": url[:300], "status": status,
                                         "refused": refused, "changes": changes,
                                         "wrote": before.get(DATA_VERSION) != after.get(DATA_VERSION),
                                         "answer": (text_of(body, 200) if "<" in body else body[:200]) if refused else ""},
                                        ensure_ascii=False) + "\n")
        wrote = before.get(DATA_VERSION) != after.get(DATA_VERSION)
        if refused and wrote and not changes and not ignore_tables:
            # The app also writes on its own now and then (a token's "last used", at most once a minute): send
            # the same request once more, and count it only when that writes too.
            again_before = self.db.counts()
            try:
                again = self.session(who).send(r.request, timeout=TIMEOUT, allow_redirects=False)
                self.sent["API" if "/api/" in url else who] += 1
            except requests.RequestException:
                again = None
            again_after = self.db.counts()
            wrote = again is not None and again.status_code == status and \
                again_before.get(DATA_VERSION) != again_after.get(DATA_VERSION) and \
                not count_changes(again_before, again_after)
        if refused and wrote and not changes and not ignore_tables:
            self.written.append(Outcome(key, who, method, url, fname, vshown, status,
                                        body=text_of(body, 160) if "<" in body else body[:160]))
        if refused and changes:
            o = Outcome(key, who, method, url, fname, vshown, status, body=text_of(body) if "<" in body else body[:300],
                        extra=", ".join(f"{t}: {c}" for t, c in changes.items()))
            self.stored.append(o)
            log(f"STORED ON REFUSAL {status} {who}: {method} {url} {fname}={vshown}: {o.extra}")
        if not refused and status < 400 and value is not None and value.extreme and method != "GET" and \
                value.label not in LONG_LABELS and "numeric" not in kind_label:
            self.accepted_as_text += 1  # 1e308 as a title is text, not a missing check
        elif not refused and status < 400 and value is not None and value.extreme and method != "GET":
            entry = self.accepted.setdefault((group, fname), {"kind": kind_label, "labels": [], "example": ""})
            if value.label not in entry["labels"]:
                entry["labels"].append(value.label)
            if not entry["example"]:
                entry["example"] = f"{who}: {method} {url} -> {status}"
        if options is not None and value is not None and not options_json:
            outside = (value.form if isinstance(value.form, str) else None) not in options
        elif options is not None and value is not None:
            try:
                outside = json.loads(value.json) not in options
            except ValueError:
                outside = True
        else:
            outside = False
        if not refused and status < 400 and outside and method != "GET" and \
                value.label not in ("empty", "whitespace", "json-null"):  # "no choice" is a choice
            entry = self.outside_options.setdefault((group, fname), {"kind": kind_label, "labels": [], "example": ""})
            if value.label not in entry["labels"]:
                entry["labels"].append(value.label)
            if not entry["example"]:
                entry["example"] = f"{who}: {method} {url} -> {status}"
        if typed is not None and refused:
            self.check_kept(who, method, url, fname, vshown, key, status, body, typed)

    def check_kept(self, who, method, url, fname, vshown, key, status, body, typed: str) -> None:
        t = typed.strip()
        if not t or len(t) >= 1000 or "\x00" in t:
            return
        if f'name="{html.escape(fname)}"' not in body:  # the answer has no such field: not the form again
            if status in (200, 422):
                return  # the page no longer has this form (the item was decided, erased, …): nothing to keep
            self.lost_input.append(Outcome(key, who, method, url, fname, vshown, status,
                                           extra=f"answered {status} with an error page instead of the form: {text_of(body, 120)!r}"))
            return
        variants = {html.escape(t, quote=True), html.escape(t, quote=False),
                    html.escape(t, quote=True).replace("&#x27;", "&#39;"),
                    html.escape(t, quote=True).replace("&#x27;", "&apos;"),
                    html.escape(t, quote=True).replace("&#x27;", "'"), t}
        if not any(v in body for v in variants):
            self.lost_input.append(Outcome(key, who, method, url, fname, vshown, status,
                                           extra=f"the re-rendered form does not show the typed value: {text_of(body, 160)!r}"))

    # -- fuzzing forms ----------------------------------------------------------------------------------

    def form_phase(self, form: Form) -> int:
        if ANON_FORMS.search(form.path) or form.account == ANON:
            return 5
        if DESTRUCTIVE.search(form.path) or DESTRUCTIVE_BUTTON.search(form.button_text):
            return 6
        if TRANSITION.search(form.path):
            return 3
        return 1

    def form_request_kwargs(self, form: Form, data: list[tuple[str, object]]) -> dict:
        if form.method == "GET":
            pairs = [(k, URL_TEXT if v is LONG_TEXT else v) for k, v in data if not isinstance(v, tuple)]
            return {"params": pairs}
        if "multipart" in form.enctype:
            files = []
            for k, v in data:
                if isinstance(v, tuple):
                    files.append((k, v))
                else:
                    files.append((k, (None, v.encode() if isinstance(v, str) else v)))
            return {"files": files}
        return {"data": [(k, v) for k, v in data if not isinstance(v, tuple)]}

    def refresh_form(self, form: Form) -> None:
        """After an accepted submission: reload the form's page and take the new hidden values (revision, …)
        of the same form (same action, same field names); when it is gone (the action is decided), keep it."""
        status, _, page = self.get_page(form.account, form.page)
        if page is None:
            return
        names = {f.name for f in form.fields}
        for raw in page.forms:
            action = urllib.parse.urlsplit(urllib.parse.urljoin(self.base + form.page, raw["action"] or form.page))
            if action.path == form.path and {f.name for f in raw["fields"]} <= names:
                new = {f.name: f for f in raw["fields"]}
                for f in form.fields:
                    if f.kind == "hidden" and f.name in new:
                        f.value = new[f.name].value
                return

    def fuzz_form(self, form: Form, users: list[str]) -> None:
        fuzzable = [f for f in form.fields if f.name != "_csrf"]
        names: list[str] = []
        per_shape: collections.Counter = collections.Counter()
        for f in fuzzable:  # of the fields of one shape (a budget per action, …) the first two
            if f.name not in names and per_shape[shape_name(f.name)] < 2:
                names.append(f.name)
                per_shape[shape_name(f.name)] += 1
        group = f"{form.method} {shape(form.path)}"
        who = form.account
        ignore = {"sign_in_attempts"} if form.path.startswith("/sign-in") else set()
        values = form_values(self.quick)
        for name in names:
            fdef = next(f for f in fuzzable if f.name == name)
            text_field = fdef.kind in TEXT_TYPES and fdef.kind != "password"  # a password is never shown again
            for v in values_for(values, numeric=is_numeric_field(fdef), free_text=is_free_text(fdef)):
                key = f"{form.method} {shape(form.path)} {shape_name(name)}={v.label}"
                if self.skipped(key):
                    continue
                self.check_time()
                self.counter += 1
                data = default_data(form, self.counter)
                replaced, out = False, []
                for k, val in data:
                    if k == name:
                        if not replaced:
                            out.append((k, ("fuzz.txt", v.form if isinstance(v.form, bytes) else v.form.encode())
                                        if fdef.kind == "file" else v.form))
                            replaced = True
                    else:
                        out.append((k, val))
                if not replaced:
                    out.append((name, v.form))
                before = self.db.counts()
                off = self.log_offset()
                r = self.request(who, form.method, form.action, case=key, accounting=who, **self.form_request_kwargs(form, out))
                typed = (v.form if isinstance(v.form, str) else v.form.decode("utf-8", "replace")) if text_field else None
                self.judge(who=who, method=form.method, url=form.action, fname=name, value=v, vshown=show_value(v.form),
                           key=key, r=r, before=before, log_offset=off, refused_page_form=True, group=group,
                           kind_label=field_kind_label(fdef), typed=typed, ignore_tables=ignore,
                           options=self.field_options(form, name))
                if r is not None and form.method == "POST" and r.status_code in (200, 201, 302, 303) and \
                        'class="error-summary"' not in r.text and any(f.kind == "hidden" and f.name != "_csrf" for f in form.fields):
                    self.refresh_form(form)
        # The same form as the other accounts that see it: the numeric extremes on its numeric fields.
        for other in users[1:]:
            for name in names:
                fdef = next(f for f in fuzzable if f.name == name)
                if not is_numeric_field(fdef):
                    continue
                for v in values:
                    if v.label not in NUMERIC_EXTREME_LABELS:
                        continue
                    key = f"{form.method} {shape(form.path)} {shape_name(name)}={v.label} as {other}"
                    if self.skipped(key):
                        continue
                    self.check_time()
                    self.counter += 1
                    data = [(k, v.form if k == name else val) for k, val in default_data(form, self.counter)]
                    csrf = self.session(other).cookies.get("lt_csrf")
                    data = [(k, csrf if k == "_csrf" and csrf else val) for k, val in data]
                    before = self.db.counts()
                    off = self.log_offset()
                    r = self.request(other, form.method, form.action, case=key, accounting=other,
                                     **self.form_request_kwargs(form, data))
                    self.judge(who=other, method=form.method, url=form.action, fname=name, value=v,
                               vshown=show_value(v.form), key=key, r=r, before=before, log_offset=off,
                               refused_page_form=True, group=group, kind_label=field_kind_label(fdef), typed=None,
                               ignore_tables=ignore)

    @staticmethod
    def field_options(form: Form, name: str) -> list[str] | None:
        """The values a select, radio group or hidden field offers; None for a field the user types into."""
        fs = [f for f in form.fields if f.name == name]
        if not fs or fs[0].kind not in ("select", "radio", "hidden", "checkbox", "button"):
            return None
        if fs[0].kind == "select":
            return [o for f in fs for o in f.options]
        return [f.value for f in fs]

    def fuzz_path_ids(self, who: str, method: str, path_with_query: str, form: Form | None) -> None:
        path, _, query = path_with_query.partition("?")
        segs = path.split("/")
        positions = [i for i, s in enumerate(segs) if re.fullmatch(r"\d+", s)]
        for pos in positions:
            for bad in EXTREME_IDS:
                new = "/".join(bad if i == pos else s for i, s in enumerate(segs)) + (f"?{query}" if query else "")
                key = f"{method} {shape(path)} path[{pos}]={bad}"
                if self.skipped(key):
                    continue
                self.check_time()
                self.counter += 1
                kw = self.form_request_kwargs(form, default_data(form, self.counter)) if form else {}
                before = self.db.counts()
                off = self.log_offset()
                r = self.request(who, method, new, case=key, accounting=who, **kw)
                self.judge(who=who, method=method, url=new, fname=f"path[{pos}]", value=None, vshown=bad, key=key, r=r,
                           before=before, log_offset=off, refused_page_form=True, group=f"{method} {shape(path)}",
                           kind_label="path", typed=None)

    # -- the API --------------------------------------------------------------------------------------

    def api_get(self, who: str, path: str, params=None):
        r = self.request(who, "GET", "/api/v1" + path, params=params, case=f"GET /api/v1{shape(path)}", accounting="API",
                         headers={"Authorization": f"Bearer {self.tokens[who]}"})
        if r is None:
            return None
        if r.status_code >= 500:
            self.record_5xx(Outcome(f"GET /api/v1{shape(path)}", who, "GET", "/api/v1" + path, "", "", r.status_code, body=r.text[:300]))
        if r.status_code != 200:
            return None
        try:
            return r.json()
        except ValueError:
            return None

    def api_setup(self) -> None:
        r = requests.get(self.base + "/api/v1/openapi.json", timeout=TIMEOUT)
        self.sent["API"] += 1
        r.raise_for_status()
        self.spec = r.json()
        self.me: dict[str, dict] = {}
        for who in TOKEN_ACCOUNTS:
            self.me[who] = self.api_get(who, "/me") or {}
        mechelen = next((m["organisation_id"] for m in self.me.get(OFFICER, {}).get("memberships", [])), None)
        self.home_org = {}
        for who in TOKEN_ACCOUNTS:
            ms = self.me[who].get("memberships", [])
            self.home_org[who] = str(ms[0]["organisation_id"]) if ms else str(mechelen or 1)
        # Ids from the API's own lists, to complete what the pages showed.
        for who in TOKEN_ACCOUNTS:
            for path, key in [("/frameworks", "benchmarks"), ("/catalogues", "catalogues"),
                              ("/mentoring/programmes", "programmes"), ("/learning-networks", "learning-networks")]:
                data = self.api_get(who, path)
                items = data if isinstance(data, list) else (data or {}).get("items") or (data or {}).get("data") or []
                for it in items if isinstance(items, list) else []:
                    if isinstance(it, dict) and "id" in it:
                        lst = self.ids[who][key]
                        if str(it["id"]) not in lst:
                            lst.append(str(it["id"]))
                        if str(it["id"]) not in self.ids["*"][key]:
                            self.ids["*"][key].append(str(it["id"]))
        # Catalogue action ids, stages and outcomes, for bodies that name them.
        self.action_ids: list[str] = []
        for cid in self.ids["*"]["catalogues"][:2]:
            cat = self.api_get(COORDINATOR, f"/catalogues/{cid}") or {}
            for text in re.findall(r'"(?:action_id|id)":\s*"([^"]+)"', json.dumps(cat)):
                if text not in self.action_ids:
                    self.action_ids.append(text)

    PARAM_KEYS = {
        "id": ["directory"], "membershipID": ["members"], "key": ["benchmarks"], "assessmentID": ["assessments"],
        "catalogueID": ["catalogues"], "requestID": ["requests"], "actionID": ["plan-actions"],
        "indicatorID": ["plan-indicators"], "partnerID": ["partners"], "valueID": ["indicator-values"],
        "programmeID": ["programmes"], "participantID": ["participants"], "roundID": ["rounds"], "pairID": ["pairs"],
        "networkID": ["learning-networks"], "sessionID": ["learning-sessions"],
    }

    def real_param(self, who: str, name: str, path: str) -> str | None:
        if name == "id":
            return self.home_org[who]
        for key in self.PARAM_KEYS.get(name, [name]):
            for source in (who, OFFICER if who == ADMIN else who, "*"):
                lst = self.ids.get(source, {}).get(key) or []
                if lst:
                    return lst[0]
        return None

    def owner_of(self, path: str) -> str:
        if re.match(r"^/(catalogues|uptake-requests/\{requestID\}/decisions|mentoring|learning-)", path):
            return COORDINATOR
        if re.match(r"^/(organisations/\{id\}/(assessments|uptake-requests|plan|memberships|invitations)|assessments|plan-|"
                    r"uptake-requests|indicator-values)", path) or path == "/organisations/{id}":
            return OFFICER
        return ADMIN

    def resolve_schema(self, schema: dict | None, depth: int = 0) -> dict:
        if not schema or depth > 6:
            return schema or {}
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            return self.resolve_schema(self.spec["components"]["schemas"].get(name, {}), depth + 1)
        return schema

    def sample(self, schema: dict, name: str, who: str, depth: int = 0):
        s = self.resolve_schema(schema)
        if "oneOf" in s:
            s = self.resolve_schema(s["oneOf"][0])
        t = s.get("type")
        if "enum" in s:
            enum = [e for e in s["enum"] if e != ""] or s["enum"]
            return enum[0]
        n = name.lower()
        if t == "object" or "properties" in s:
            if depth > 3:
                return {}
            return {k: self.sample(v, k, who, depth + 1) for k, v in s.get("properties", {}).items()}
        if t == "array":
            return [self.sample(s.get("items", {}), name.rstrip("s"), who, depth + 1)]
        if t == "boolean":
            return False
        if t == "integer":
            if n in ("organisation_id", "host_id", "organiser_id", "reporter_id", "publisher_id", "member",
                     "attended_by", "organisation_ids"):
                return int(self.home_org[who])
            if n == "catalogue_id":
                return int((self.ids["*"]["catalogues"] or ["1"])[0])
            if n == "year":
                return TODAY.year
            if n == "rating":
                return 4
            return 3
        if t == "number":
            return 3
        fmt = s.get("format")
        if fmt == "date" or re.search(r"(day|_on$|^start$|^end$|funding_end)", n):
            return PAST_DAY
        if fmt == "email" or "email" in n:
            self.counter += 1
            return f"fuzz.api.{self.counter}@example.org"
        if re.search(r"(link|website|url)", n):
            return "https://example.org/"
        if n == "action_id" or n == "catalogue_action_id":
            return self.action_ids[0] if self.action_ids else "A1"
        if n in ("framework", "theme"):
            return (self.ids["*"]["benchmarks"] or ["city-for-all"])[0]
        if n == "rules":
            return "city-to-city.v1"
        if n in ("budget", "value", "baseline", "target", "experience_years", "hours_per_week", "capacity", "population",
                 "latitude", "longitude", "born_abroad_percent"):
            return "3"
        if n in ("languages", "language"):
            return "nl"
        if n == "country":
            return "BE"
        return "Fuzz"

    SEEDS = {
        ("POST", "/frameworks"): "/frameworks/{key}",
        ("POST", "/catalogues"): "/catalogues/{catalogueID}",
        ("POST", "/organisations/{id}/plan/actions"): "/plan-actions/{actionID}",
    }

    def base_body(self, method: str, path: str, op: dict, who: str, params: dict[str, str]):
        rb = op.get("requestBody")
        if not rb:
            return None
        schema = self.resolve_schema(rb.get("content", {}).get("application/json", {}).get("schema", {}))
        body = self.sample(schema, "", who)
        seed_path = self.SEEDS.get((method, path)) or (path if method in ("PUT", "PATCH") else None)
        if seed_path and isinstance(body, dict):
            concrete = seed_path
            for pname in re.findall(r"\{(\w+)\}", seed_path):
                real = params.get(pname) or self.real_param(who, pname, seed_path)
                if real is None:
                    concrete = None
                    break
                concrete = concrete.replace("{" + pname + "}", real)
            seed = self.api_get(who, concrete) if concrete else None
            if isinstance(seed, dict):
                props = schema.get("properties") or {}
                for k in list(props) or list(seed):
                    if k in seed and seed[k] is not None and not (method == "PATCH" and path == "/organisations/{id}" and k == "kind"):
                        body[k] = seed[k]
                if (method, path) in (("POST", "/frameworks"), ("POST", "/catalogues")) and "id" in body:
                    body["id"] = f"fuzz-{body['id']}"
        return body

    def enum_at(self, op: dict, ppath: tuple) -> list | None:
        """The enum of the request body's property at ppath, when the schema gives one."""
        s = self.resolve_schema(op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}))
        for k in ppath:
            if isinstance(k, int):
                s = self.resolve_schema(s.get("items", {}))
            else:
                props = s.get("properties")
                s = self.resolve_schema(props[k]) if props and k in props else None
            if not s:
                return None
        return list(s["enum"]) if "enum" in s else None

    @staticmethod
    def property_paths(body, prefix=(), limit: int = 30) -> list[tuple]:
        """The properties to fuzz: every top-level one, then into objects and the first item of arrays, three
        levels deep; of a map keyed by ids (below the top) only the first three keys; 30 at most."""
        out: list[tuple] = []
        if isinstance(body, dict):
            items = list(body.items())
            for k, v in items if not prefix else items[:3]:
                out.append(prefix + (k,))
                if len(prefix) < 3 and isinstance(v, (dict, list)):
                    out.extend(Fuzzer.property_paths(v, prefix + (k,), limit))
        elif isinstance(body, list) and body:
            out.append(prefix + (0,))
            if len(prefix) < 3 and isinstance(body[0], (dict, list)):
                out.extend(Fuzzer.property_paths(body[0], prefix + (0,), limit))
        return out[:limit]

    @staticmethod
    def with_raw(body, ppath: tuple, raw: str) -> str:
        """The JSON text of body with the value at ppath replaced by the raw JSON text."""
        sentinel = "\u0001FUZZ\u0001"
        copy = json.loads(json.dumps(body))
        node = copy
        for k in ppath[:-1]:
            node = node[k]
        node[ppath[-1]] = sentinel
        return json.dumps(copy, ensure_ascii=False).replace(json.dumps(sentinel, ensure_ascii=False), raw)

    def api_phase(self, method: str, path: str) -> int:
        if method == "DELETE":
            return 7
        if re.search(r"/(submit|rounds|confirm|status|stage|outcome|decisions)$", path) or \
                (method == "PATCH" and re.search(r"(/plan|/programmes/\{programmeID\}|/memberships/\{membershipID\})$", path)):
            return 4
        return 2

    def api_operations(self) -> list[tuple[int, str, str, dict]]:
        ops = []
        for path, item in self.spec.get("paths", {}).items():
            for method, op in item.items():
                if method.upper() not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                    continue
                p = path[len("/api/v1"):] if path.startswith("/api/v1") else path
                if p == "/openapi.json":
                    continue
                ops.append((self.api_phase(method.upper(), p), method.upper(), p, op))
        return ops

    def api_send(self, who: str, method: str, url: str, *, key: str, fname: str, value: Value | None, vshown: str,
                 data: str | bytes | None, group: str, kind_label: str, params=None,
                 content_type: str = "application/json", enum: list | None = None) -> requests.Response | None:
        if self.skipped(key):
            return None
        self.check_time()
        headers = {"Authorization": f"Bearer {self.tokens[who]}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = content_type
            if isinstance(data, str):
                try:
                    data = data.encode("utf-8")
                except UnicodeEncodeError:  # the invalid-UTF-8 value: its lone surrogate stands for the byte 0xFF
                    data = data.encode("utf-8", "surrogateescape")
        before = self.db.counts()
        off = self.log_offset()
        r = self.request(who, method, "/api/v1" + url, data=data, params=params, headers=headers, case=key, accounting="API")
        self.judge(who=who, method=method, url="/api/v1" + url, fname=fname, value=value, vshown=vshown, key=key, r=r,
                   before=before, log_offset=off, refused_page_form=False, group=group, kind_label=kind_label, typed=None,
                   options=enum, options_json=True)
        return r

    def fuzz_operation(self, method: str, path: str, op: dict) -> None:
        owner = self.owner_of(path)
        group = f"{method} /api/v1{path}"
        pnames = re.findall(r"\{(\w+)\}", path)
        values = json_values(self.quick)
        for who in [owner] + [t for t in TOKEN_ACCOUNTS if t != owner]:
            params = {}
            for pn in pnames:
                real = self.real_param(who, pn, path)
                params[pn] = real if real is not None else "1"
            url = path
            for pn, pv in params.items():
                url = url.replace("{" + pn + "}", urllib.parse.quote(pv, safe=""))
            body = self.base_body(method, path, op, who, params)
            body_text = json.dumps(body, ensure_ascii=False) if body is not None else None
            main = who == owner
            if main:
                log(f"    as {who}: {method} /api/v1{url}" + (" (base body from the schema and "
                    f"{'a seed' if (method, path) in self.SEEDS or method in ('PUT', 'PATCH') else 'no seed'})" if body is not None else ""))
            use = values if main else [v for v in values if v.label in NUMERIC_EXTREME_LABELS]
            # Every property, in turn, set to every value.
            if body is not None:
                for ppath in self.property_paths(body, limit=24):
                    pshown = ".".join(str(p) for p in ppath)
                    node = body
                    for k in ppath:
                        node = node[k]
                    numeric = (isinstance(node, (int, float)) and not isinstance(node, bool)) or \
                        (isinstance(node, str) and re.fullmatch(r"-?\d+([.,]\d+)?", node) is not None) or \
                        (not isinstance(node, str) and bool(NUMERIC_NAME.search(str(ppath[-1]))))
                    kind = f"json {type(node).__name__}{', numeric' if numeric else ''}"
                    if not main and not numeric:
                        continue  # the other tokens: numeric extremes in numeric properties only
                    these = use if len(ppath) == 1 or not main else [v for v in use if v.label in NESTED_LABELS]
                    these = values_for(these, numeric=numeric, free_text=isinstance(node, str) and not numeric and
                                       not re.search(r"(day|date|_on$|^start$|^end$)", str(ppath[-1])))
                    for v in these:
                        key = f"{method} /api/v1{shape(path)} {pshown}={v.label}" + ("" if main else f" as {who}")
                        self.api_send(who, method, url, key=key, fname=pshown, value=v, vshown=show_value(v.json),
                                      data=self.with_raw(body, ppath, v.json), group=group, kind_label=kind,
                                      enum=self.enum_at(op, ppath))
            # Query parameters.
            for prm in op.get("parameters", []):
                if prm.get("in") != "query" or (not main and not NUMERIC_NAME.search(prm["name"])):
                    continue
                for v in use:
                    if isinstance(v.form, bytes) or v.label.startswith("json-"):
                        continue
                    key = f"{method} /api/v1{shape(path)} ?{prm['name']}={v.label}" + ("" if main else f" as {who}")
                    qv = URL_TEXT if v.form is LONG_TEXT else v.form
                    self.api_send(who, method, url, key=key, fname="?" + prm["name"], value=v, vshown=show_value(qv),
                                  data=body_text, params={prm["name"]: qv}, group=group, kind_label="query")
            if not main:
                continue
            # Extreme ids in the path.
            for pn in pnames:
                for bad in EXTREME_IDS:
                    bad_url = path
                    for q, pv in params.items():
                        bad_url = bad_url.replace("{" + q + "}", urllib.parse.quote(bad if q == pn else pv, safe=""))
                    key = f"{method} /api/v1{shape(path)} {{{pn}}}={bad}"
                    self.api_send(who, method, bad_url, key=key, fname="{" + pn + "}", value=None, vshown=bad,
                                  data=body_text, group=group, kind_label="path")
            # Broken and oversized bodies.
            if method in ("POST", "PUT", "PATCH"):
                first_string = next((k for k, v in (body or {}).items() if isinstance(v, str)), None) if isinstance(body, dict) else None
                near_mb = None
                if first_string:
                    filler_len = 1_000_000 - len(body_text or "") - 100
                    near_mb = self.with_raw(body, (first_string,), json.dumps("x" * filler_len))
                cases = [("malformed", '{"a": [1, 2,'), ("not-json", "this is not json"), ("top-level-array", "[]"),
                         ("top-level-null", "null"), ("top-level-1e400", "1e400"), ("empty-body", ""),
                         ("over-1MB", '{"x": "' + "y" * (1024 * 1024 + 10) + '"}')]
                if near_mb:
                    cases.append(("just-under-1MB", near_mb))
                for label, text in cases:
                    key = f"{method} /api/v1{shape(path)} body={label}"
                    v = Value("body-just-under-1MB", "", "", True) if label == "just-under-1MB" else None
                    self.api_send(who, method, url, key=key, fname="(body)" if v is None else f"(body: {first_string} of 1 MB)",
                                  value=v, vshown=label, data=text, group=group, kind_label="body")
                if body_text:
                    key = f"{method} /api/v1{shape(path)} body=form-encoded"
                    self.api_send(who, method, url, key=key, fname="(body)", value=None, vshown="form-encoded",
                                  data="a=1&b=%00", group=group, kind_label="body",
                                  content_type="application/x-www-form-urlencoded")
            # Once as documented, with the real ids (DELETE last of all: it removes the resource).
            key = f"{method} /api/v1{shape(path)} (as documented)"
            self.api_send(who, method, url, key=key, fname="", value=None, vshown="", data=body_text, group=group,
                          kind_label="")

    # -- the whole run ------------------------------------------------------------------------------------

    def run_case(self, phase: int, case: tuple) -> None:
        if case[0] == "form":
            form = case[1]
            users = self.form_seen[form.signature()]
            names = sorted({shape_name(f.name) for f in form.fields if f.name != '_csrf'})
            log(f"phase {phase}: form {form.method} {form.action} as {form.account} (also seen by {len(users) - 1} more) "
                f"fields: {', '.join(names)[:200] or '-'}")
            if phase in (1, 3):
                self.baseline(form)
            if any(f.name != "_csrf" for f in form.fields):
                self.fuzz_form(form, users)
            if re.search(r"/\d+(/|$)", form.path):
                self.fuzz_path_ids(form.account, form.method, form.action, form)
            if phase in (1, 3):
                self.variants(form)
        elif case[0] == "page-ids":
            self.fuzz_path_ids(case[1], "GET", case[2], None)
        else:
            log(f"phase {phase}: API {case[1]} {case[2]}")
            self.fuzz_operation(case[1], case[2], case[3])

    def run_cases(self, cases: list[tuple[int, int, tuple]]) -> None:
        cases.sort(key=lambda c: (c[0], c[1]))
        for n, (phase, _, case) in enumerate(cases):
            try:
                self.run_case(phase, case)
            except OutOfTime:
                self.not_run += len(cases) - n
                raise

    def variants(self, form: Form) -> None:
        """After fuzzing: the form's other submit buttons (submit as well as save, confirm as well as change),
        and its other instances (the same form for other actions) with their other choices (approve, ask for
        changes, decline), so that the next round finds the forms those lead to. Not the ones whose button
        says it destroys (withdraw, remove, …)."""
        for name, value, text in form.buttons[1:3]:
            if DESTRUCTIVE_BUTTON.search(text) or value == form.buttons[0][1]:
                continue
            self.baseline(form, button=(name, value))
        for i, other in enumerate(self.instances.get(form.signature(), [])[1:3], start=1):
            if not DESTRUCTIVE_BUTTON.search(other.button_text):
                self.baseline(other, shift=i)

    def baseline(self, form: Form, button: tuple[str, str] | None = None, shift: int = 0) -> None:
        """The form once as the page fills it: it should be accepted, or fuzzing one field at a time judges
        little but the other fields. Accepted, it also makes what the next forms need (an action for its
        indicators, an indicator for its values, a published catalogue for its requests, …)."""
        key = f"{form.method} {shape(form.path)} (defaults{f', {button[0]}={button[1]}' if button else ''}" \
              f"{f', choice +{shift}' if shift else ''})"
        if self.skipped(key):
            return
        self.check_time()
        self.counter += 1
        data = default_data(form, self.counter, shift)
        if button:
            data = [(k, button[1] if k == button[0] else v) for k, v in data]
        before = self.db.counts()
        off = self.log_offset()
        r = self.request(form.account, form.method, form.action, case=key, accounting=form.account,
                         **self.form_request_kwargs(form, data))
        self.judge(who=form.account, method=form.method, url=form.action, fname="(defaults)", value=None, vshown="",
                   key=key, r=r, before=before, log_offset=off, refused_page_form=True,
                   group=f"{form.method} {shape(form.path)}", kind_label="", typed=None)
        if r is not None and (r.status_code >= 400 or 'class="error-summary"' in r.text):
            self.baseline_refused.append(f"{form.method} {form.action} as {form.account}: {r.status_code} "
                                         f"{text_of(r.text, 160)!r}")
        elif r is not None:
            self.refresh_form(form)

    def run(self) -> None:
        if not self.alive():
            raise SystemExit(f"{self.base}/livez does not answer: start the app first")
        for who in ACCOUNTS:
            self.sign_in(who)
        log(f"signed in as {len(ACCOUNTS)} accounts")
        for who in TOKEN_ACCOUNTS:
            self.create_token(who)
        log(f"created API tokens for {', '.join(TOKEN_ACCOUNTS)}")
        started = time.monotonic()
        later: list[tuple[int, int, tuple]] = []
        shapes_done: set[str] = set()
        try:
            # Rounds: crawl, then fuzz the forms not seen before (what one round's forms made, such as an
            # action or an indicator, shows the next round new forms), until no new form shows up.
            for rnd in range(1, self.rounds + 1):
                known = len(self.forms)
                for who in ACCOUNTS + [ANON]:
                    self.crawl(who)
                new = self.forms[known:]
                cases: list[tuple[int, int, tuple]] = []
                for i, form in enumerate(new):
                    phase = self.form_phase(form)
                    (cases if phase in (1, 3) else later).append((phase, known + i, ("form", form)))
                for who in ACCOUNTS + [ANON]:
                    for url in self.pages[who]:
                        sh = shape(url.split("?", 1)[0])
                        if sh in shapes_done or sh == url.split("?", 1)[0]:
                            continue
                        shapes_done.add(sh)
                        cases.append((1, 5_000 + len(shapes_done), ("page-ids", who, url)))
                log(f"round {rnd}: {len(new)} new form(s) ({sum(1 for c in cases if c[2][0] == 'form')} to fuzz now), "
                    f"{sum(1 for c in cases if c[2][0] == 'page-ids')} new page shape(s) with ids; "
                    f"{sum(self.sent.values())} requests, {time.monotonic() - started:.0f} s")
                if not cases:
                    break
                self.run_cases(cases)
            self.api_setup()
            for i, (phase, method, path, op) in enumerate(self.api_operations()):
                later.append((phase, 10_000 + i, ("api", method, path, op)))
            log(f"the API ({sum(1 for c in later if c[2][0] == 'api')} operations), then the visitor's, the language "
                f"and the destructive forms ({sum(1 for c in later if c[2][0] == 'form')}); "
                f"{sum(self.sent.values())} requests, {time.monotonic() - started:.0f} s")
            self.run_cases(later)
        except OutOfTime:
            log(f"time budget used up: {self.not_run} form(s)/operation(s) not fuzzed (or not finished)")

    # -- the report -----------------------------------------------------------------------------------------

    def report(self) -> int:
        print("\n================ fuzz summary ================")
        print("requests sent:")
        for who, n in sorted(self.sent.items()):
            print(f"  {who:32} {n}")
        print(f"  {'total':32} {sum(self.sent.values())}")
        if self.skipped_cases:
            print(f"cases skipped by --skip: {self.skipped_cases}")
        if self.not_run:
            print(f"WARNING: the time budget ran out; {self.not_run} form(s)/operation(s) were not fuzzed (or not finished)")
        print(f"\n5xx answers (and connection errors): {len(self.server_errors)}")
        for o in self.server_errors:
            print(f"  [{o.status}] {o.who}: {o.method} {o.url}  field={o.field or '-'} value={o.value or '-'}")
            print(f"        key: {o.key}")
            if o.body:
                print(f"        body: {o.body[:300]}")
            if o.log:
                for line in o.log.splitlines():
                    print(f"        log: {line}")
        print(f"\nhangs (no answer within {TIMEOUT} s): {len(self.hangs)}")
        for o in self.hangs:
            print(f"  {o.who}: {o.method} {o.url}  key: {o.key}")
        print(f"\nconnections closed without an answer (the server lived on): {len(self.dropped)}")
        for o in self.dropped:
            print(f"  {o.who}: {o.method} {o.url}  key: {o.key}  ({o.body[:120]})")
        print(f"\nstored on refusal: {len(self.stored)}")
        for o in self.stored:
            print(f"  [{o.status}] {o.who}: {o.method} {o.url}  field={o.field} value={o.value}")
            print(f"        key: {o.key}")
            print(f"        tables: {o.extra}")
            if o.body:
                print(f"        answer: {o.body[:200]}")
        print(f"\nrefused requests that still wrote to the database with the row counts unchanged (an update; "
              f"findings, not failures): {len(self.written)}")
        wrote: dict[tuple, list] = collections.defaultdict(list)
        for o in self.written:
            wrote[(o.method, shape(urllib.parse.urlsplit(o.url).path), o.field)].append(o)
        for (method, path, fname), items in sorted(wrote.items()):
            labels = sorted({i.key.rsplit("=", 1)[-1] for i in items})
            print(f"  {method} {path} field {fname or '-'} [{', '.join(str(s) for s in sorted({i.status for i in items}))}] "
                  f"for {', '.join(labels)[:300]}")
            print(f"        e.g. {items[0].who}: {items[0].url}: {items[0].body[:160]}")
        print(f"\naccepted extreme values (2xx/3xx; likely missing validation; not failures): {len(self.accepted)} field(s)")
        print(f"  (not listed: {self.accepted_as_text} numeric extremes accepted as text in text fields, e.g. a title '1e308')")
        by_group: dict[str, list] = collections.defaultdict(list)
        for (group, fname), entry in sorted(self.accepted.items()):
            by_group[group].append((fname, entry))
        for group, entries in by_group.items():
            print(f"  {group}")
            for fname, entry in entries:
                print(f"      {fname} [{entry['kind']}]: {', '.join(entry['labels'])}   (e.g. {entry['example']})")
        print(f"\nselect, radio, checkbox, hidden and button fields, and API properties with an enum, that accepted a "
              f"value they do not offer "
              f"(2xx/3xx; likely missing validation; not failures): {len(self.outside_options)} field(s)")
        by_group = collections.defaultdict(list)
        for (group, fname), entry in sorted(self.outside_options.items()):
            by_group[group].append((fname, entry))
        for group, entries in by_group.items():
            print(f"  {group}")
            for fname, entry in entries:
                print(f"      {fname} [{entry['kind']}]: {', '.join(entry['labels'])}   (e.g. {entry['example']})")
        if self.baseline_refused:
            print(f"\nforms refused as the page fills them (so their fuzzing mostly judged the other checks): "
                  f"{len(self.baseline_refused)}")
            for line in self.baseline_refused:
                print(f"  {line}")
        print(f"\nforms that lose typed input when refused (findings, not failures): {len(self.lost_input)}")
        lost: dict[tuple, list] = collections.defaultdict(list)
        for o in self.lost_input:
            lost[(o.method, shape(urllib.parse.urlsplit(o.url).path), shape_name(o.field), o.extra.split(":")[0])].append(o)
        for (method, path, fname, why), items in sorted(lost.items()):
            labels = sorted({i.key.rsplit('=', 1)[-1] for i in items})
            print(f"  {method} {path} field {fname}: {why} [{', '.join(str(s) for s in sorted({i.status for i in items}))}] "
                  f"for {', '.join(labels)}")
            print(f"        e.g. {items[0].extra.split(': ', 1)[-1][:200]}")
        if self.death:
            print(f"\nTHE SERVER DIED. Last request: {self.death}")
        failed = bool(self.server_errors or self.hangs or self.dropped or self.stored or self.death)
        print(f"\nfuzz: {'FAILED' if failed else 'passed'}: {len(self.server_errors)} 5xx, {len(self.hangs)} hang(s), "
              f"{len(self.dropped)} dropped connection(s), "
              f"{len(self.stored)} stored on refusal{', server died' if self.death else ''}")
        return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="the running site, e.g. http://127.0.0.1:8080")
    parser.add_argument("password", nargs="?", default=os.environ.get("DEMO_PASSWORD"),
                        help="the demo accounts' password (default: $DEMO_PASSWORD)")
    parser.add_argument("--database", required=True, help="the app's SQLite file (read-only)")
    parser.add_argument("--server-log", help="the app's log file, to quote its lines about a 5xx")
    parser.add_argument("--quick", action="store_true", help="fewer values per field")
    parser.add_argument("--skip", action="append", default=[], metavar="REGEX",
                        help="skip the cases whose key matches (repeatable), e.g. 'POST /plan-indicators/N/values valueN_value=huge-int'")
    parser.add_argument("--max-pages", type=int, default=150, help="pages crawled per account (default 150)")
    parser.add_argument("--trace", help="write every judged request (key, status, refused, table changes) to this JSONL file")
    parser.add_argument("--rounds", type=int, default=5, help="crawl-and-fuzz rounds at most (default 5)")
    parser.add_argument("--budget", type=float, default=330, help="seconds after which no new case is started (default 330; 0: no limit)")
    args = parser.parse_args()
    if not args.password:
        parser.error("give the demo password (argument or DEMO_PASSWORD)")
    fuzzer = Fuzzer(args)
    started = time.monotonic()
    try:
        fuzzer.run()
    except ServerDied as e:
        fuzzer.death = str(e)
        print(f"\n[fuzz] THE SERVER DIED (connection refused or reset, /livez does not answer). Last request:\n  {e}",
              flush=True)
        if fuzzer.server_log:
            try:
                with open(fuzzer.server_log, "rb") as fh:
                    fh.seek(max(0, os.path.getsize(fuzzer.server_log) - 4000))
                    print("[fuzz] the end of the server's log:\n" + fh.read().decode("utf-8", "replace"))
            except OSError:
                pass
    except KeyboardInterrupt:
        print("\n[fuzz] interrupted", flush=True)
    log(f"ran for {time.monotonic() - started:.0f} s")
    return fuzzer.report()


if __name__ == "__main__":
    sys.exit(main())
