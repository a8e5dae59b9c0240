#!/usr/bin/env python3
"""Checks the app's event exports against the formats' own rules, against the running app.

    python3 tests/exports/check_event_exports.py --base http://127.0.0.1:PORT [--ics URL ...]
    python3 tests/exports/check_event_exports.py --self-test

For every event in GET {base}/api/v1/events:
  - the event's calendar (iCalendar, text/calendar): parsed with icalendar.Calendar.from_ical; VERSION and PRODID;
    every VEVENT has UID, DTSTAMP (UTC), DTSTART, DTEND or DURATION, SUMMARY; DTSTART < DTEND; UIDs unique;
  - each session's calendar: exactly one VEVENT, whose UID is in the event's calendar (with the same DTSTART);
  - the frab schedule XML: valid against tests/exports/schedule.xml.xsd (lxml; every error with its line);
  - the frab schedule JSON: valid against tests/exports/schedule.schema.json (jsonschema, the draft its $schema names,
    with the formats date, date-time, uri and uuid checked);
  - the numbers agree: events in the XML = events in the JSON = the sessions the API lists; the calendar has one
    VEVENT per session (or one more, for the whole event); the XML and the JSON carry the same guids.
Each extra --ics URL (absolute, e.g. a personal agenda feed) is fetched and checked as a calendar too.

Prints one line per event ("SLUG: N sessions: iCalendar ok, frab XML valid, frab JSON valid") and exits 1 on any
failure, with what failed. --self-test needs no network: it feeds in-script samples (a valid one of each format,
and broken ones that must be reported) to the same checks. A missing Python module: exit 2 with how to install it.
"""
import argparse
import datetime as dt
import json
import re
import sys
import uuid
from pathlib import Path
from urllib.parse import urljoin

_missing = []
try:
    import icalendar
except ImportError:
    _missing.append("icalendar")
try:
    from lxml import etree
except ImportError:
    _missing.append("lxml")
try:
    import jsonschema
    from jsonschema import FormatChecker
except ImportError:
    _missing.append("jsonschema")
try:
    import requests
except ImportError:
    requests = None  # only needed against the app; checked in main()

HERE = Path(__file__).resolve().parent
XSD_PATH = HERE / "schedule.xml.xsd"
JSON_SCHEMA_PATH = HERE / "schedule.schema.json"
MAX_ERRORS = 40  # per document, so that one systematic mistake does not drown the rest
TIMEOUT = 30


def need_modules(names):
    if names:
        print(f"check_event_exports.py: missing Python module(s): {', '.join(names)}; install with:\n"
              f"    python3 -m pip install {' '.join(names)}", file=sys.stderr)
        sys.exit(2)


# --- schemas ---------------------------------------------------------------------------------------------------------

_schemas = {}


def xml_schema():
    if "xml" not in _schemas:
        _schemas["xml"] = etree.XMLSchema(etree.parse(str(XSD_PATH)))
    return _schemas["xml"]


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def format_checker():
    """The formats the schedule schema uses, checked the same way whatever optional packages are installed
    (jsonschema leaves date-time and uri unchecked without rfc3339-validator and rfc3987)."""
    checker = FormatChecker(formats=())

    @checker.checks("date", raises=ValueError)
    def _date(v):
        if not isinstance(v, str):
            return True
        if not _DATE.match(v):
            return False
        dt.date.fromisoformat(v)
        return True

    @checker.checks("date-time", raises=ValueError)
    def _date_time(v):
        if not isinstance(v, str):
            return True
        if not _RFC3339.match(v):
            return False
        dt.datetime.fromisoformat(v.replace("Z", "+00:00").replace("z", "+00:00").replace("t", "T"))
        return True

    @checker.checks("uri")
    def _uri(v):
        return not isinstance(v, str) or bool(_URI.match(v))

    @checker.checks("uuid", raises=ValueError)
    def _uuid(v):
        if not isinstance(v, str):
            return True
        uuid.UUID(v)
        return bool(_UUID.match(v))

    return checker


def json_validator():
    if "json" not in _schemas:
        schema = json.loads(JSON_SCHEMA_PATH.read_text(encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema)  # the draft its "$schema" names (draft-06)
        cls.check_schema(schema)
        _schemas["json"] = cls(schema, format_checker=format_checker())
    return _schemas["json"]


# --- the checks (no network: bytes in, problems out) ----------------------------------------------------------------

def _limited(problems, label):
    if len(problems) > MAX_ERRORS:
        return problems[:MAX_ERRORS] + [f"{label}: ... and {len(problems) - MAX_ERRORS} more"]
    return problems


def _value(prop):
    """A parsed property's value (.dt), or None where icalendar could not read it (a vBroken raises on .dt)."""
    try:
        return getattr(prop, "dt", None)
    except Exception:
        return None


def _ical(prop):
    try:
        return prop.to_ical().decode("utf-8", "replace")
    except Exception:
        return str(prop)


def _comparable(value):
    """A DTSTART/DTEND value as a datetime (a DATE as its midnight), and whether it is floating (no zone)."""
    if isinstance(value, dt.datetime):
        return value, value.tzinfo is None or value.utcoffset() is None
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), True
    return None, None


def check_calendar(data, label, exactly_one=False):
    """Returns ({uid: dtstart}, problems)."""
    problems = []
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as e:
        return {}, [f"{label}: not UTF-8 ({e})"]
    try:
        cal = icalendar.Calendar.from_ical(text)
    except Exception as e:  # icalendar raises ValueError (and others) on what it cannot read
        return {}, [f"{label}: icalendar cannot parse it: {e}"]
    if cal.name != "VCALENDAR":
        return {}, [f"{label}: the top component is {cal.name}, not VCALENDAR"]
    if str(cal.get("VERSION", "")) != "2.0":
        problems.append(f"{label}: VCALENDAR has no VERSION:2.0")
    if not str(cal.get("PRODID", "")).strip():
        problems.append(f"{label}: VCALENDAR has no PRODID")
    for component in cal.walk():
        for prop, message in getattr(component, "errors", []) or []:
            problems.append(f"{label}: {component.name} {prop}: {message}")
    events = cal.walk("VEVENT")
    if exactly_one and len(events) != 1:
        problems.append(f"{label}: {len(events)} VEVENTs, expected exactly one")
    uids = {}
    for i, ev in enumerate(events, 1):
        uid = str(ev.get("UID", "")).strip()
        where = f"{label}: VEVENT {i}" + (f" (UID {uid})" if uid else "")
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            if prop not in ev or not str(ev.get(prop)).strip():
                problems.append(f"{where}: no {prop}")
        has_end, has_duration = "DTEND" in ev, "DURATION" in ev
        if not has_end and not has_duration:
            problems.append(f"{where}: neither DTEND nor DURATION")
        if has_end and has_duration:
            problems.append(f"{where}: both DTEND and DURATION (RFC 5545 allows one)")
        if "DTSTAMP" in ev:
            stamp = _value(ev.get("DTSTAMP"))
            if not isinstance(stamp, dt.datetime) or stamp.utcoffset() != dt.timedelta(0):
                problems.append(f"{where}: DTSTAMP is not a UTC date-time ({_ical(ev.get('DTSTAMP'))})")
        start = end = None
        if "DTSTART" in ev:
            raw = _value(ev.get("DTSTART"))
            start, start_floating = _comparable(raw)
            if start is None:
                problems.append(f"{where}: DTSTART is not a date or date-time ({_ical(ev.get('DTSTART'))})")
        if has_end:
            end_raw = _value(ev.get("DTEND"))
            end, end_floating = _comparable(end_raw)
            if end is None:
                problems.append(f"{where}: DTEND is not a date or date-time ({_ical(ev.get('DTEND'))})")
            elif start is not None:
                if start_floating != end_floating:
                    problems.append(f"{where}: DTSTART and DTEND mix a floating and a zoned time")
                elif not start < end:
                    problems.append(f"{where}: DTSTART {raw} is not before DTEND {end_raw}")
        elif has_duration:
            duration = _value(ev.get("DURATION"))
            if not isinstance(duration, dt.timedelta) or duration <= dt.timedelta(0):
                problems.append(f"{where}: DURATION is not a positive duration ({_ical(ev.get('DURATION'))})")
        if uid:
            if uid in uids:
                problems.append(f"{label}: UID {uid} appears more than once")
            uids[uid] = start
    return uids, _limited(problems, label)


def check_frab_xml(data, label):
    """Returns (list of the events' guids, problems)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        doc = etree.fromstring(data if isinstance(data, bytes) else data.encode("utf-8"), parser)
    except etree.XMLSyntaxError as e:
        return [], [f"{label}: not well-formed XML: line {e.lineno}: {e.msg}"]
    schema = xml_schema()
    problems = []
    if not schema.validate(doc):
        for err in schema.error_log:
            problems.append(f"{label}: line {err.line}: {err.message}")
    guids = [e.get("guid", "") for e in doc.findall("day/room/event")]
    return guids, _limited(problems, label)


def _json_path(error):
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def check_frab_json(data, label):
    """Returns (list of the events' guids, problems)."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        return [], [f"{label}: not JSON: {e}"]
    problems = []
    errors = sorted(json_validator().iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    for err in errors:
        problems.append(f"{label}: at {_json_path(err)}: {err.message}")
    guids = []
    try:
        for day in doc["schedule"]["conference"]["days"]:
            for events in day["rooms"].values():
                guids += [e.get("guid", "") if isinstance(e, dict) else "" for e in events]
    except (KeyError, TypeError, AttributeError):
        if not problems:
            problems.append(f"{label}: no schedule.conference.days[].rooms to count the events in")
    return guids, _limited(problems, label)


def check_event(slug, session_count, calendar, session_calendars, frab_xml, frab_json):
    """All checks of one event from its documents. calendar, frab_xml, frab_json: bytes (None: not fetched);
    session_calendars: [(label, bytes)]. Returns (summary line, problems)."""
    problems = []
    parts = []

    uids = {}
    if calendar is not None:
        uids, p = check_calendar(calendar, f"{slug} calendar")
        cal_problems = list(p)
        for label, data in session_calendars:
            s_uids, sp = check_calendar(data, label, exactly_one=True)
            cal_problems += sp
            for uid, start in s_uids.items():
                if uid not in uids:
                    cal_problems.append(f"{label}: its UID {uid} is not in the event's calendar")
                elif start is not None and uids[uid] is not None and start != uids[uid]:
                    cal_problems.append(f"{label}: DTSTART {start} differs from the event calendar's {uids[uid]}")
        vevents = len(uids)
        if vevents < 1:
            cal_problems.append(f"{slug} calendar: no VEVENT")
        if vevents not in (session_count, session_count + 1):
            cal_problems.append(f"{slug} calendar: {vevents} VEVENTs for {session_count} sessions "
                                f"(expected one per session, or one more for the whole event)")
        problems += cal_problems
        parts.append("iCalendar ok" if not cal_problems else f"iCalendar FAILED ({len(cal_problems)})")

    xml_guids = json_guids = None
    if frab_xml is not None:
        xml_guids, p = check_frab_xml(frab_xml, f"{slug} frab XML")
        problems += p
        parts.append("frab XML valid" if not p else f"frab XML INVALID ({len(p)})")
    if frab_json is not None:
        json_guids, p = check_frab_json(frab_json, f"{slug} frab JSON")
        problems += p
        parts.append("frab JSON valid" if not p else f"frab JSON INVALID ({len(p)})")

    counts = []
    if xml_guids is not None and len(xml_guids) != session_count:
        counts.append(f"{slug}: the frab XML has {len(xml_guids)} events, the API lists {session_count} sessions")
    if json_guids is not None and len(json_guids) != session_count:
        counts.append(f"{slug}: the frab JSON has {len(json_guids)} events, the API lists {session_count} sessions")
    if xml_guids is not None and json_guids is not None and sorted(xml_guids) != sorted(json_guids):
        only_xml = sorted(set(xml_guids) - set(json_guids))[:5]
        only_json = sorted(set(json_guids) - set(xml_guids))[:5]
        counts.append(f"{slug}: the frab XML and JSON carry different guids (only in XML: {only_xml}, "
                      f"only in JSON: {only_json})")
    problems += counts
    if counts:
        parts.append("counts DIFFER")
    return f"{slug}: {session_count} sessions: " + ", ".join(parts), problems


# --- against the app --------------------------------------------------------------------------------------------------

class FetchError(Exception):
    pass


def fetch(session, url, kinds):
    """GET url; the body as bytes. kinds: substrings one of which the Content-Type must contain."""
    try:
        r = session.get(url, timeout=TIMEOUT)
    except requests.RequestException as e:
        raise FetchError(f"GET {url}: {e}")
    if r.status_code != 200:
        raise FetchError(f"GET {url}: HTTP {r.status_code}")
    ctype = r.headers.get("Content-Type", "")
    if not any(k in ctype.lower() for k in kinds):
        raise FetchError(f"GET {url}: Content-Type is {ctype!r}, expected {' or '.join(kinds)}")
    return r.content


def run_against(base, ics_urls):
    http = requests.Session()
    base = base.rstrip("/") + "/"
    failures = []
    try:
        listing = json.loads(fetch(http, urljoin(base, "api/v1/events"), ["json"]))
        items = listing["items"]
    except (FetchError, ValueError, KeyError, TypeError) as e:
        print(f"FAILED: the events list: {e}")
        return 1
    if not items:
        print("FAILED: GET /api/v1/events lists no events (the demo content should have some)")
        return 1

    for item in items:
        slug = item.get("slug", "?")
        links = item.get("links") or {}
        sessions = item.get("sessions") or []
        docs = {}
        fetch_problems = []
        for key, kinds in (("calendar", ["text/calendar"]), ("frab_xml", ["xml"]), ("frab_json", ["json"])):
            if not links.get(key):
                fetch_problems.append(f"{slug}: the API gives no links.{key}")
                docs[key] = None
                continue
            try:
                docs[key] = fetch(http, urljoin(base, links[key]), kinds)
            except FetchError as e:
                fetch_problems.append(f"{slug}: {e}")
                docs[key] = None
        session_cals = []
        for s in sessions:
            sid = s.get("id", "?")
            if not s.get("calendar"):
                fetch_problems.append(f"{slug}: session {sid} has no calendar link")
                continue
            try:
                session_cals.append((f"{slug} session {sid} calendar",
                                     fetch(http, urljoin(base, s["calendar"]), ["text/calendar"])))
            except FetchError as e:
                fetch_problems.append(f"{slug}: session {sid}: {e}")
        line, problems = check_event(slug, len(sessions), docs["calendar"], session_cals, docs["frab_xml"],
                                     docs["frab_json"])
        if fetch_problems:
            line += f", {len(fetch_problems)} download(s) FAILED"
        problems = fetch_problems + problems
        print(line + ("" if not problems else "  -- FAILED"))
        for p in problems:
            print(f"    {p}")
        failures += problems

    for url in ics_urls:
        label = f"calendar {url}"
        try:
            data = fetch(http, url, ["text/calendar"])
        except FetchError as e:
            failures.append(str(e))
            print(f"{label}: FAILED\n    {e}")
            continue
        uids, problems = check_calendar(data, label)
        print(f"{label}: {len(uids)} entries: " + ("iCalendar ok" if not problems else "FAILED"))
        for p in problems:
            print(f"    {p}")
        failures += problems

    if failures:
        print(f"FAILED: {len(failures)} problem(s) in the event exports ({len(items)} events checked)")
        return 1
    print(f"event exports: all {len(items)} events' calendars, frab XML and frab JSON passed")
    return 0


# --- self-test ----------------------------------------------------------------------------------------------------

def _ics(*events):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Living Together//Events//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for e in events:
        lines += ["BEGIN:VEVENT"] + e + ["END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


_EV1 = ["UID:mechelen-2024.welcome@example.org", "DTSTAMP:20240901T120000Z", "DTSTART:20241003T073000Z",
        "DTEND:20241003T080000Z", "SUMMARY:Welcome · Living together in Mechelen"]
_EV2 = ["UID:mechelen-2024.workshop@example.org", "DTSTAMP:20240901T120000Z", "DTSTART:20241003T081500Z",
        "DURATION:PT1H30M", "SUMMARY:Workshop · Living together in Mechelen", "LOCATION:Council room\\, Town hall"]
_EV_WHOLE = ["UID:mechelen-2024@example.org", "DTSTAMP:20240901T120000Z", "DTSTART:20241003T070000Z",
             "DTEND:20241003T150000Z", "SUMMARY:Living together in Mechelen"]

G1, G2 = "3f1c2b6e-8a8e-5d55-9c47-2f6c0e4f7a11", "b9e0d7a2-1c3f-5e8b-a4d6-7f2e9c1b0a33"
ROOM_GUID = "6a1d3c9e-2b7f-5c4a-8e1d-0f9b7a6c5d44"

VALID_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <generator name="Living Together" version="1"/>
  <version>2024-09-01 12:00</version>
  <conference>
    <title>Living together in Mechelen</title>
    <acronym>mechelen_2024</acronym>
    <start>2024-10-03</start>
    <end>2024-10-03</end>
    <days>1</days>
    <timeslot_duration>00:15</timeslot_duration>
    <base_url>https://example.org/</base_url>
    <time_zone_name>Europe/Brussels</time_zone_name>
  </conference>
  <day index="1" date="2024-10-03" start="2024-10-03T09:00:00+02:00" end="2024-10-03T17:00:00+02:00">
    <room name="Council room">
      <event guid="{G1}" id="1">
        <room>Council room</room>
        <title>Welcome</title>
        <subtitle></subtitle>
        <type>plenary</type>
        <date>2024-10-03T09:30:00+02:00</date>
        <start>09:30</start>
        <duration>00:30</duration>
        <abstract>Opening of the day.</abstract>
        <slug>mechelen_2024-1-welcome</slug>
        <track></track>
        <persons><person>A. Speaker</person></persons>
        <language>nl</language>
        <description>Opening of the day.</description>
        <links><link href="https://example.org/slides.pdf">Slides</link></links>
        <attachments/>
        <url>https://example.org/events/mechelen-2024/sessions/welcome</url>
      </event>
      <event guid="{G2}" id="2">
        <room>Council room</room>
        <title>Workshop &amp; talk</title>
        <subtitle>Hands on</subtitle>
        <type>workshop</type>
        <date>2024-10-03T10:15:00+02:00</date>
        <start>10:15</start>
        <duration>01:30</duration>
        <abstract></abstract>
        <slug>mechelen_2024-2-workshop</slug>
        <track>Learning</track>
        <persons/>
        <language>en</language>
        <description></description>
        <links/>
        <attachments/>
        <url>https://example.org/events/mechelen-2024/sessions/workshop</url>
      </event>
    </room>
  </day>
</schedule>
""".encode("utf-8")


def _json_event(guid, num, sid, title, start, duration, date):
    return {"guid": guid, "id": num, "date": date, "start": start, "duration": duration, "room": "Council room",
            "slug": f"mechelen_2024-{num}-{sid}", "url": f"https://example.org/events/mechelen-2024/sessions/{sid}",
            "title": title, "subtitle": "", "track": None, "type": "workshop", "language": "nl",
            "abstract": "", "description": "", "persons": [{"name": "A. Speaker", "biography": None}],
            "links": [{"url": "https://example.org/slides.pdf", "title": "Slides", "type": "slides"}],
            "attachments": []}


def valid_json_doc():
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "Living Together", "version": "1"},
        "schedule": {
            "version": "2024-09-01 12:00",
            "base_url": "https://example.org/",
            "conference": {
                "acronym": "mechelen_2024", "title": "Living together in Mechelen",
                "start": "2024-10-03", "end": "2024-10-03", "daysCount": 1, "timeslot_duration": "00:15",
                "time_zone_name": "Europe/Brussels", "url": "https://example.org/events/mechelen-2024",
                "rooms": [{"name": "Council room", "guid": ROOM_GUID}],
                "days": [{
                    "index": 1, "date": "2024-10-03",
                    "day_start": "2024-10-03T09:00:00+02:00", "day_end": "2024-10-03T17:00:00+02:00",
                    "rooms": {"Council room": [
                        _json_event(G1, 1, "welcome", "Welcome", "09:30", "00:30", "2024-10-03T09:30:00+02:00"),
                        _json_event(G2, 2, "workshop", "Workshop", "10:15", "01:30", "2024-10-03T10:15:00+02:00"),
                    ]},
                }],
            },
        },
    }


def self_test():
    results = []  # (name, ok, detail)

    def expect(name, problems, should_fail, must_mention=None):
        if should_fail:
            ok = bool(problems) and (must_mention is None or any(must_mention in p for p in problems))
            detail = problems[0] if problems else "nothing was reported"
            if problems and not ok:
                detail = f"reported, but not {must_mention!r}: {problems[0]}"
        else:
            ok = not problems
            detail = "; ".join(problems[:5]) if problems else "passes"
        results.append((name, ok, detail))

    def js(doc):
        return json.dumps(doc).encode("utf-8")

    valid_cal = _ics(_EV1, _EV2)
    session_cal = [("sample session calendar", _ics(_EV1))]

    # valid samples pass, alone and together
    expect("valid iCalendar", check_calendar(valid_cal, "sample calendar")[1], False)
    expect("valid iCalendar with a VEVENT for the whole event",
           check_calendar(_ics(_EV_WHOLE, _EV1, _EV2), "sample calendar")[1], False)
    expect("valid frab XML", check_frab_xml(VALID_XML, "sample XML")[1], False)
    expect("valid frab JSON", check_frab_json(js(valid_json_doc()), "sample JSON")[1], False)
    expect("valid event (all four, counts agree)",
           check_event("sample", 2, valid_cal, session_cal, VALID_XML, js(valid_json_doc()))[1], False)

    # broken iCalendar
    expect("iCalendar without DTSTART",
           check_calendar(_ics([l for l in _EV1 if not l.startswith("DTSTART")], _EV2), "c")[1], True, "no DTSTART")
    expect("iCalendar with DTEND before DTSTART",
           check_calendar(_ics([l.replace("DTEND:20241003T080000Z", "DTEND:20241003T070000Z") for l in _EV1]),
                          "c")[1], True, "not before")
    expect("iCalendar with a duplicate UID", check_calendar(_ics(_EV1, _EV1), "c")[1], True, "more than once")
    expect("iCalendar without DTEND or DURATION",
           check_calendar(_ics([l for l in _EV1 if not l.startswith("DTEND")]), "c")[1], True, "neither DTEND")
    expect("iCalendar with an unreadable DTSTART",
           check_calendar(_ics([l.replace("DTSTART:20241003T073000Z", "DTSTART:tomorrow") for l in _EV1]),
                          "c")[1], True)
    expect("not an iCalendar", check_calendar(b"<html>oops</html>", "c")[1], True)
    expect("session calendar with two VEVENTs",
           check_event("sample", 2, valid_cal, [("s", valid_cal)], None, None)[1], True, "exactly one")
    expect("session calendar whose UID is not in the event calendar",
           check_event("sample", 1, _ics(_EV1), [("s", _ics(_EV2))], None, None)[1], True, "not in the event")

    # broken frab XML
    expect("frab XML event without <title>",
           check_frab_xml(VALID_XML.replace(b"<title>Welcome</title>", b"", 1), "x")[1], True, "title")
    expect("frab XML with duration 30 min",
           check_frab_xml(VALID_XML.replace(b"<duration>00:30</duration>", b"<duration>30 min</duration>"), "x")[1],
           True, "line ")
    expect("frab XML date without an offset",
           check_frab_xml(VALID_XML.replace(b"<date>2024-10-03T09:30:00+02:00</date>",
                                            b"<date>2024-10-03T09:30:00</date>"), "x")[1], True)
    expect("frab XML guid not a UUID", check_frab_xml(VALID_XML.replace(G1.encode(), b"welcome"), "x")[1], True)
    expect("frab XML not well-formed", check_frab_xml(VALID_XML.replace(b"</schedule>", b""), "x")[1], True,
           "well-formed")

    # broken frab JSON
    doc = valid_json_doc()
    del doc["schedule"]["conference"]["days"][0]["rooms"]["Council room"][0]["guid"]
    expect("frab JSON event without guid", check_frab_json(js(doc), "j")[1], True, "'guid' is a required property")
    doc = valid_json_doc()
    del doc["schedule"]["conference"]["daysCount"]
    expect("frab JSON conference without daysCount", check_frab_json(js(doc), "j")[1], True, "daysCount")
    doc = valid_json_doc()
    doc["schedule"]["conference"]["days"][0]["rooms"]["Council room"][0]["date"] = "2024-10-03 09:30"
    expect("frab JSON date not RFC 3339", check_frab_json(js(doc), "j")[1], True, "date-time")
    doc = valid_json_doc()
    doc["schedule"]["conference"]["days"][0]["rooms"]["Council room"][0]["guid"] = "welcome"
    expect("frab JSON guid not a UUID", check_frab_json(js(doc), "j")[1], True, "uuid")
    doc = valid_json_doc()
    doc["schedule"]["conference"]["acronym"] = "mechelen-2024"
    expect("frab JSON acronym with a hyphen", check_frab_json(js(doc), "j")[1], True, "acronym")
    doc = valid_json_doc()
    doc["schedule"]["conference"]["days"][0]["rooms"]["Council room"][0]["speakers"] = []
    expect("frab JSON event with an unknown key", check_frab_json(js(doc), "j")[1], True, "speakers")
    expect("frab JSON not JSON", check_frab_json(b"{", "j")[1], True, "not JSON")

    # the counts
    doc = valid_json_doc()
    doc["schedule"]["conference"]["days"][0]["rooms"]["Council room"].pop()
    expect("frab JSON with one event fewer than the XML",
           check_event("sample", 2, valid_cal, session_cal, VALID_XML, js(doc))[1], True, "the frab JSON has 1")
    expect("calendar with fewer VEVENTs than sessions",
           check_event("sample", 2, _ics(_EV1), session_cal, None, None)[1], True, "VEVENTs for 2 sessions")

    failed = [r for r in results if not r[1]]
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    print(f"self-test: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def agenda_feed(base, email, password):
    """Signs in through the pages as `email`, makes the person's agenda feed (the agenda page's form) and returns its
    address, shown once on the page that answers."""
    import html as htmllib
    http = requests.Session()
    def csrf(text):
        m = re.search(r'<input type="hidden" name="_csrf" value="([^"]*)"', text)
        return m.group(1) if m else http.cookies.get("lt_csrf", "")
    page = http.get(base + "/sign-in", timeout=30)
    r = http.post(base + "/sign-in", data={"_csrf": csrf(page.text), "email": email, "password": password},
                  allow_redirects=False, timeout=30)
    if r.status_code not in (302, 303):
        raise SystemExit(f"signing in as {email} answered {r.status_code}: is the demo password right?")
    agenda = http.get(base + "/events/agenda", timeout=30)
    made = http.post(base + "/events/agenda/feed", data={"_csrf": csrf(agenda.text)}, timeout=30)
    m = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', made.text)
    if not m:
        raise SystemExit(f"/events/agenda/feed as {email} answered {made.status_code} without a feed address")
    return htmllib.unescape(m.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", help="the app's address, e.g. http://127.0.0.1:8080")
    ap.add_argument("--ics", action="append", default=[], metavar="URL",
                    help="an extra calendar to check (absolute URL, e.g. a personal agenda feed); repeatable")
    ap.add_argument("--self-test", action="store_true", help="check the checker on in-script samples (no network)")
    ap.add_argument("--agenda-as", metavar="EMAIL", help="also check the agenda feed of this account (made through the pages)")
    ap.add_argument("--password", help="the password of --agenda-as")
    args = ap.parse_args()
    need_modules(_missing)
    if args.self_test:
        return self_test()
    if not args.base:
        ap.error("--base is required (or --self-test)")
    if requests is None:
        need_modules(["requests"])
    extra = list(args.ics)
    if args.agenda_as:
        feed = agenda_feed(args.base.rstrip("/"), args.agenda_as, args.password or "")
        print(f"agenda feed of {args.agenda_as}: {feed}")
        extra.append(feed)
    return run_against(args.base, extra)


if __name__ == "__main__":
    sys.exit(main())
