#!/usr/bin/env python3
"""Accessibility check of the site's pages in a real browser.

Headless Chromium (Debian's chromium and chromium-driver), driven by Selenium, visits the pages a
person would see, signs in through the form as the Mechelen officer and as the platform administrator,
injects a current axe-core into each page and fails on any violation of impact "serious" or "critical".
The benchmark pages are walked as the Mechelen editor: the themes, a framework, starting an assessment,
the form, submitting it with ratings missing, rating every key factor and submitting, the report, the
history, publishing, and the published report as a visitor who is not signed in; then the framework
upload form as the platform administrator, empty and after pasting broken JSON.
The mentoring pages are walked as their people use them: the association's coordinator opens the mentoring
page, the open "city for all" programme, a mentee with its suggested mentors, the form to open a programme
(empty and with the title missing), proposes a round, puts two mentees on a mentor with room for one (422),
confirms the round, opens a new trajectory and dates a logbook entry in the future (422); the DUO for a JOB
staff open their programme and its enrolment form, enrol a person with the facts missing and a mentee too
old for the programme's age rule (422, the rule beside the age field), and open a participant with the form
to erase their data; the Mechelen editor opens the IncluCities trajectory Mechelen → Capaci, the learning
networks, the network Mechelen hosts (with its forms to manage it) and the form to start one, empty and
with the title missing.
It also checks what axe cannot: each page's HTTP status, and that every field marked invalid names an
error message beside it. A screenshot of every page goes to the screenshot folder.

    python3 tests/browser/axe_check.py http://127.0.0.1:8080 DEMO_PASSWORD

axe-core is taken from the `axe-playwright-python` wheel on PyPI (it carries axe-core 4.x as
`axe.min.js`), downloaded on first use into a cache folder that git ignores. Set AXE_JS to use
another copy.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_WHEEL = "axe-playwright-python==0.1.8"
AXE_MEMBER = "axe_playwright_python/axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
MARKUP_AS_TEXT = re.compile(r"</?(a|p|li|ul|ol|h[1-6]|div|span|article|pre|table|tr|td|th|strong|em|form|input)\b[^<>]*>", re.I)

OFFICER = "officer@mechelen.example"
ADMIN = "admin@livingtogether.example"
EDITOR = "editor@mechelen.example"
COORDINATOR = "coordinator@vvsg.example"
DUO_STAFF = "mentor@duoforajob.example"
NEWCOMER = "newcomer@participation.example"
COUNSELLOR = "advisor@integration.example"
GENK = "officer@genk.example"


def log(message: str) -> None:
    print(f"[axe-check] {message}", flush=True)


# --------------------------------------------------------------------------------------------------
# axe-core


def axe_source(cache_dir: Path) -> str:
    """The text of axe.min.js: from AXE_JS, the cache, or the PyPI wheel (downloaded once)."""
    override = os.environ.get("AXE_JS")
    if override:
        return Path(override).read_text(encoding="utf-8")
    cached = cache_dir / "axe-playwright-python-0.1.8" / "axe.min.js"
    if not cached.exists():
        log(f"fetching axe-core from the PyPI wheel {AXE_WHEEL} into {cached.parent}")
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", AXE_WHEEL, "--no-deps", "--quiet", "-d", tmp],
                check=True,
            )
            wheels = list(Path(tmp).glob("*.whl"))
            if not wheels:
                raise SystemExit(f"pip download {AXE_WHEEL} produced no wheel")
            with zipfile.ZipFile(wheels[0]) as z:
                data = z.read(AXE_MEMBER)
        partial = cached.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(cached)
    return cached.read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# the browser


def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",  # needed as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--lang=en-GB",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    # The performance log carries each response's status, which WebDriver itself does not tell.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver_path = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    return driver


@dataclass
class PageResult:
    name: str
    url: str
    status: int | None
    violations: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failing(self) -> list:
        return [v for v in self.violations if v.get("impact") in FAILING_IMPACTS]


class Checker:
    def __init__(self, base: str, password: str, screenshots: Path, axe_js: str):
        self.base = base.rstrip("/")
        self.password = password
        self.screenshots = screenshots
        self.axe_js = axe_js
        self.driver = make_driver()
        self.results: list[PageResult] = []
        self.counter = 0

    # -- helpers ---------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base + path

    def drain_log(self) -> None:
        try:
            self.driver.get_log("performance")
        except Exception:
            pass

    def document_status(self) -> int | None:
        """The status of the last document (top-level page) the browser received."""
        status = None
        current = self.driver.current_url.split("#")[0]
        for entry in self.driver.get_log("performance"):
            try:
                message = json.loads(entry["message"])["message"]
            except (KeyError, ValueError):
                continue
            if message.get("method") != "Network.responseReceived":
                continue
            params = message.get("params", {})
            if params.get("type") != "Document":
                continue
            response = params.get("response", {})
            if response.get("url", "").split("#")[0] == current or status is None:
                status = int(response.get("status", 0))
        return status

    def wait_ready(self) -> None:
        for _ in range(100):
            if self.driver.execute_script("return document.readyState") == "complete":
                return
            time.sleep(0.05)

    def go(self, path: str) -> int | None:
        self.drain_log()
        self.driver.get(self.url(path))
        self.wait_ready()
        return self.document_status()

    def submit(self, form_selector: str, values: dict[str, str], button_selector: str = "button[type=submit]") -> int | None:
        """Fills a form's fields (text, select, textarea) and presses its submit button, as a person would."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        form = self.driver.find_element(By.CSS_SELECTOR, form_selector)
        for name, value in values.items():
            element = form.find_element(By.NAME, name)
            if element.tag_name == "select":
                Select(element).select_by_value(value)
            else:
                element.clear()
                element.send_keys(value)
        self.drain_log()
        old = self.driver.find_element(By.TAG_NAME, "html")
        form.find_element(By.CSS_SELECTOR, button_selector).click()
        # Wait for the next document to replace this one.
        for _ in range(200):
            try:
                old.tag_name  # raises once the page has been replaced
            except Exception:
                break
            time.sleep(0.05)
        self.wait_ready()
        return self.document_status()

    def screenshot(self, name: str) -> Path:
        """The whole page, as tall as its content, at 1280 pixels wide."""
        import base64

        self.counter += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.screenshots / f"{self.counter:02d}-{slug}.png"
        size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 8000), "scale": 1}
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def run_axe(self) -> list:
        if not self.driver.execute_script("return typeof window.axe === 'object'"):
            self.driver.execute_script(self.axe_js)
        result = self.driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']})
               .then(r => done({ok: true, version: axe.version, violations: r.violations}))
               .catch(e => done({ok: false, error: String(e)}));
            """
        )
        if not result.get("ok"):
            raise RuntimeError(f"axe.run failed: {result.get('error')}")
        self.axe_version = result.get("version")
        return result["violations"]

    def field_errors_are_beside_fields(self) -> list[str]:
        """Every field marked aria-invalid names, through aria-describedby, a visible error message."""
        return self.driver.execute_script(
            """
            const problems = [];
            const invalid = document.querySelectorAll('[aria-invalid="true"]');
            for (const el of invalid) {
              const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
              const errors = ids.map(id => document.getElementById(id))
                                .filter(e => e && e.classList.contains('error') && e.textContent.trim() !== '');
              if (errors.length === 0) problems.push(`field ${el.name || el.id} is marked invalid but names no error message`);
              const box = el.closest('.field');
              if (errors.length && box && !errors.every(e => box.contains(e)))
                problems.push(`the error of field ${el.name || el.id} is not beside it`);
            }
            if (invalid.length === 0) problems.push('no field is marked aria-invalid="true"');
            if (!document.querySelector('.error-summary')) problems.push('no error summary at the top of the form');
            return problems;
            """
        )

    def error_summary_order(self) -> str | None:
        """A note (not a failure) when the error summary lists the fields in another order than the form."""
        order = self.driver.execute_script(
            """
            const summary = [...document.querySelectorAll('.error-summary a[href^="#"]')].map(a => a.getAttribute('href').slice(1));
            const fields = [...document.querySelectorAll('[aria-invalid="true"]')].map(e => e.id);
            return [summary, fields];
            """
        )
        summary, fields = order
        if summary and summary != fields:
            return f"the error summary lists {summary}, the form has them in the order {fields}"
        return None

    def level_errors_are_beside_fieldsets(self, missing: list[str]) -> list[str]:
        """On the assessment form sent back with ratings missing: each missing key factor's level fieldset
        names, through aria-describedby, a visible error message inside it; the others carry none; the
        error summary at the top links to each of them."""
        return self.driver.execute_script(
            """
            const missing = arguments[0];
            const problems = [];
            const fieldsets = [...document.querySelectorAll('fieldset.levels')];
            if (fieldsets.length === 0) problems.push('no fieldset of levels on the page');
            for (const fs of fieldsets) {
              const radio = fs.querySelector('input[type=radio]');
              const kf = radio ? radio.name.replace(/^level:/, '') : fs.id;
              const ids = (fs.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
              const errors = ids.map(id => document.getElementById(id))
                                .filter(e => e && e.classList.contains('error') && e.textContent.trim() !== '');
              if (missing.includes(kf)) {
                if (errors.length === 0) problems.push(`the level fieldset of ${kf} names no error message`);
                else if (!errors.every(e => fs.contains(e))) problems.push(`the error of the level fieldset of ${kf} is not inside it`);
                const summaryLink = document.querySelector(`.error-summary a[href="#${fs.id}"]`);
                if (!summaryLink) problems.push(`the error summary does not link to the level fieldset of ${kf} (#${fs.id})`);
              } else if (errors.length || fs.classList.contains('has-error')) {
                problems.push(`the level fieldset of ${kf} shows an error although it was rated`);
              }
            }
            const summary = document.querySelector('.error-summary');
            if (!summary) problems.push('no error summary at the top of the form');
            for (const a of document.querySelectorAll('.error-summary a[href^="#"]')) {
              if (!document.getElementById(a.getAttribute('href').slice(1)))
                problems.push(`the error summary links to ${a.getAttribute('href')}, which is not on the page`);
            }
            return problems;
            """,
            missing,
        )

    def check(self, name: str, expected_status: int | set[int], status: int | None,
              expect_text: str | None = None, field_errors: bool = False,
              more_checks=None) -> PageResult:
        """Runs axe on the page now in the browser and records the result."""
        result = PageResult(name=name, url=self.driver.current_url, status=status)
        expected = expected_status if isinstance(expected_status, set) else {expected_status}
        if status not in expected:
            result.problems.append(f"HTTP status {status}, expected {' or '.join(map(str, sorted(expected)))}")
        body = self.driver.find_element("tag name", "body").text
        if expect_text and expect_text not in body:
            result.problems.append(f"the page does not say {expect_text!r}")
        # Markup that a person sees as text ("<li>…</li>") is escaping gone wrong.
        shown = MARKUP_AS_TEXT.search(body)
        if shown:
            start = max(0, shown.start() - 40)
            result.problems.append(f"markup is shown as text: {body[start:shown.end() + 60]!r}")
        if field_errors:
            result.problems.extend(self.field_errors_are_beside_fields())
            note = self.error_summary_order()
            if note:
                result.notes.append(note)
        if more_checks:
            problems, notes = more_checks()
            result.problems.extend(problems)
            result.notes.extend(notes)
        result.violations = self.run_axe()
        result.problems.extend(self.phone_width_problems(name))
        shot = self.screenshot(name)
        self.results.append(result)
        flag = "FAIL" if (result.failing or result.problems) else "ok"
        log(f"{flag:4} {name} [{status}] {result.url} "
            f"({len(result.violations)} axe violation(s), {len(result.failing)} serious/critical) -> {shot.name}")
        return result

    PHONE_WIDTH = 390

    def phone_width_problems(self, name: str) -> list[str]:
        """The page as a 390 px wide phone shows it: nothing may stick out sideways (a table scrolls inside its
        own box, a chart shrinks). Emulates the width on the page as it is (no reload), then restores it."""
        size = self.driver.get_window_size()
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": self.PHONE_WIDTH, "height": 844, "deviceScaleFactor": 1, "mobile": False})
        try:
            found = self.driver.execute_script(
                """
                const width = window.innerWidth;
                const out = [];
                const scrollsAlone = el => {
                  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                    const o = getComputedStyle(a).overflowX;
                    if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
                  }
                  return false;
                };
                for (const el of document.body.querySelectorAll('*')) {
                  const r = el.getBoundingClientRect();
                  if (r.width === 0 || r.right <= width + 1) continue;
                  if (getComputedStyle(el).position === 'absolute' && r.left < -1000) continue;  // the skip link
                  if (scrollsAlone(el)) continue;
                  const label = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
                  out.push(label + ' (' + Math.round(r.right) + ' px)');
                  if (out.length >= 5) break;
                }
                return {page: document.documentElement.scrollWidth, width: width, wide: out};
                """)
            if found["page"] > found["width"] + 1 or found["wide"]:
                shot = self.screenshot(name + " at 390 px")
                return [f"at {self.PHONE_WIDTH} px the page is {found['page']} px wide; sticking out: "
                        f"{', '.join(found['wide']) or 'nothing named'} -> {shot.name}"]
            return []
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            self.driver.set_window_size(size["width"], size["height"])

    def sign_in(self, email: str, password: str) -> int | None:
        self.go("/sign-in")
        return self.submit("main form[action='/sign-in']", {"email": email, "password": password})

    def sign_out(self) -> None:
        self.driver.delete_all_cookies()

    def mechelen_id(self) -> int:
        from selenium.webdriver.common.by import By

        self.go("/directory?q=mechelen")
        for link in self.driver.find_elements(By.CSS_SELECTOR, "table.list a[href^='/directory/']"):
            if link.text.strip() == "Mechelen":
                return int(link.get_attribute("href").rstrip("/").rsplit("/", 1)[1])
        raise SystemExit("the directory search for 'mechelen' lists no organisation called Mechelen")

    # -- the pages -------------------------------------------------------------------------------

    def self_test(self) -> None:
        """axe must find the faults of a known-bad page, or a clean result below would mean nothing."""
        bad = ("<!doctype html><html><head><title>bad</title></head><body><main>"
               "<img src='x.png'><input type='text'><p style='color:#bbb;background:#fff'>faint</p>"
               "</main></body></html>")
        self.driver.get("data:text/html;charset=utf-8," + urllib.parse.quote(bad))
        found = {v["id"] for v in self.run_axe() if v.get("impact") in FAILING_IMPACTS}
        expected = {"image-alt", "label", "html-has-lang", "color-contrast"}
        if not expected <= found:
            raise SystemExit(f"axe self-test: expected {sorted(expected)} on a known-bad page, found {sorted(found)}")
        log(f"axe-core {self.axe_version} self-test ok: a known-bad page shows {', '.join(sorted(found))}")
        # The phone check must see a page wider than a phone, and let a table scroll inside its own box.
        wide = ("<!doctype html><html lang='en'><head><title>wide</title>"
                "<meta name='viewport' content='width=device-width, initial-scale=1'></head><body><main>"
                "<div style='overflow-x:auto'><table><tr><td style='min-width:900px'>boxed</td></tr></table></div>"
                "<p id='too-wide' style='width:700px'>wide</p></main></body></html>")
        self.driver.get("data:text/html;charset=utf-8," + urllib.parse.quote(wide))
        problems = self.phone_width_problems("phone self-test")
        if not problems or "p#too-wide" not in problems[0] or "td" in problems[0]:
            raise SystemExit(f"phone self-test: expected only p#too-wide to stick out at 390 px, found {problems}")
        log("phone-width self-test ok: a 700 px paragraph sticks out at 390 px, a boxed table does not")

    def run(self) -> None:
        from selenium.webdriver.common.by import By

        self.self_test()
        # Anonymous visitor.
        self.check("home", 200, self.go("/"), expect_text="Living Together")
        self.check("directory list", 200, self.go("/directory"))
        self.check("directory search mechelen", 200, self.go("/directory?q=mechelen"), expect_text="Mechelen")
        org = self.mechelen_id()
        self.check("organisation profile Mechelen (anonymous)", 200, self.go(f"/directory/{org}"), expect_text="Mechelen")
        self.check("sign-in page", 200, self.go("/sign-in"))
        status = self.sign_in(EDITOR, "not-the-password-at-all")
        self.check("sign-in with a wrong password", 401, status)
        self.check("password forgot", 200, self.go("/password/forgot"))
        status = self.submit("main form[action='/password/forgot']", {"email": "not-an-email"})
        self.check("password forgot with a bad address", 422, status, field_errors=True)
        self.check("privacy", 200, self.go("/privacy"))
        self.check("not found (404)", 404, self.go("/no-such-page-here"))
        self.check("organisation that does not exist (404)", 404, self.go("/directory/987654321"))

        # The Mechelen officer (administrator of Mechelen).
        status = self.sign_in(OFFICER, self.password)
        if not self.driver.get_cookie("lt_session"):
            raise SystemExit(f"signing in as {OFFICER} failed (status {status}): is the demo password right?")
        self.check("account after signing in (officer)", 200, status)
        self.check("organisation profile Mechelen (officer)", 200, self.go(f"/directory/{org}"), expect_text="Mechelen")
        self.check("members of Mechelen with the invite form", 200, self.go(f"/directory/{org}/members"))
        status = self.submit(f"main form[action='/directory/{org}/invitations']", {"email": "not-an-email"})
        self.check("members: invite with a bad address", 422, status, field_errors=True)
        self.go(f"/directory/{org}/members")
        status = self.submit(f"main form[action='/directory/{org}/invitations']",
                             {"email": f"new.colleague.{int(time.time())}@mechelen.example", "role": "editor"})
        self.check("members after sending an invitation", 200, status)
        self.check("edit profile form", 200, self.go(f"/directory/{org}/edit"))
        status = self.submit(f"main form[action='/directory/{org}/edit']", {
            "name": "",
            "population": "lots",
            "latitude": "123.4",
            "website": "ftp://mechelen.example",
        })
        self.check("edit profile form after bad input", 422, status, field_errors=True)
        self.go("/account")
        status = self.submit("main form[action='/account/tokens']", {"name": "axe check token"})
        self.check("account page after creating an API token", 201, status, expect_text="lt_")
        self.go("/account")
        status = self.submit("main form[action='/account/tokens']", {"name": ""})
        self.check("account page: token without a name", 422, status, field_errors=True)
        self.check("admin outbox refused to an officer (403)", 403, self.go("/admin/outbox"))
        self.sign_out()

        # The platform administrator.
        status = self.sign_in(ADMIN, self.password)
        if not self.driver.get_cookie("lt_session"):
            raise SystemExit(f"signing in as {ADMIN} failed (status {status})")
        self.check("account (platform administrator)", 200, status)
        self.check("admin outbox", 200, self.go("/admin/outbox"))
        self.check("new organisation form", 200, self.go("/organisations/new"))
        status = self.submit("main form[action='/organisations/new']", {"name": "", "country": ""})
        self.check("new organisation form after bad input", 422, status, field_errors=True)
        self.sign_out()

        self.benchmark_pages(org)
        self.plan_pages(org)
        self.mentoring_pages()
        self.knowledge_pages()
        self.event_pages()
        self.participation_pages()

        # Dutch, chosen with the language switch in the header.
        self.go("/")
        button = self.driver.find_element(By.CSS_SELECTOR, "form[action='/language'] button[value='nl']")
        self.drain_log()
        button.click()
        self.wait_ready()
        status = self.document_status()
        if self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") != "nl":
            self.results.append(PageResult("language switch to Dutch", self.driver.current_url, status,
                                           problems=["after POST /language the page's lang is not nl"]))
        self.check("home in Dutch", 200, status)
        self.check("directory in Dutch", 200, self.go("/directory"))
        self.check("directory search in Dutch", 200, self.go("/directory?q=mechelen"), expect_text="Mechelen")

    # -- the knowledge library ---------------------------------------------------------------------

    def knowledge_pages(self) -> None:
        """The library as a visitor searches it and reads a record; an editor writes one (first with a missing title)
        and sends it for review; the coordinator sees the review queue and the record with its review panel."""
        self.check("knowledge library", 200, self.go("/knowledge"), expect_text="Knowledge library")
        self.check("knowledge search with filters", 200, self.go("/knowledge?q=language&kind=practice&country=BE"),
                   expect_text="found")
        self.check("knowledge record (Hallo Nederlands)", 200, self.go("/knowledge/hallo-nederlands"), expect_text="How it works")
        self.check("knowledge tool (OpenBlik)", 200, self.go("/knowledge/openblik-inclusive-communication"), expect_text="Steps")
        status = self.sign_in(EDITOR, self.password)
        if not self.driver.get_cookie("lt_session"):
            raise SystemExit(f"signing in as {EDITOR} failed (status {status})")
        self.check("new knowledge record form", 200, self.go("/knowledge/new"))
        status = self.submit("main form[action='/knowledge/new']", {"title": "", "start": "soon",
                                                                    "summary": "Neighbours walk and talk."})
        self.check("new knowledge record after bad input", 422, status, field_errors=True)
        status = self.submit("main form[action='/knowledge/new']", {
            "title": f"Language walks {int(time.time())}", "start": "2023", "summary": "Neighbours walk and talk.",
            "issue": "Few chances to practise Dutch.", "how_it_works": "Volunteers lead a walk every week."})
        self.check("knowledge record draft (editor)", 200, status, expect_text="Send for review")
        draft = self.driver.current_url
        self.submit("main form[action$='/status']", {}, button_selector="button[value='in-review']")
        self.sign_out()
        status = self.sign_in(COORDINATOR, self.password)
        self.check("knowledge review queue (coordinator)", 200, self.go("/knowledge/review"), expect_text="Waiting for review")
        self.check("knowledge record in review (coordinator)", 200, self.go(urllib.parse.urlparse(draft).path),
                   expect_text="Publish")
        self.sign_out()

    # -- events ------------------------------------------------------------------------------------

    def event_pages(self) -> None:
        """Events as a visitor reads them (the list, the 2024 conference's programme grid, a session); a person
        registers with access requests (first with a request too long), lands on a full workshop's waiting list and
        makes their agenda feed; the organiser (the association) reads the registrations, writes a follow-up (first
        without a subject) and tries a broken event document."""
        demo = "/events/demo-learning-network-inclusive-communication"
        self.check("events", 200, self.go("/events"), expect_text="Upcoming events")
        self.check("event programme grid (Mechelen 2024)", 200,
                   self.go("/events/mechelen-2024-local-government-approaches-to-diversity"), expect_text="Programme of 19 April 2024")
        self.check("event session (bystander training)", 200,
                   self.go("/events/mechelen-2024-local-government-approaches-to-diversity/sessions/bystander-training"),
                   expect_text="Paul Storme")
        self.check("event (demo, visitor)", 200, self.go(demo), expect_text="Sign in to register")
        status = self.sign_in(OFFICER, self.password)
        if not self.driver.get_cookie("lt_session"):
            raise SystemExit(f"signing in as {OFFICER} failed (status {status})")
        self.go(demo)
        status = self.submit(f"main form[action='{demo}/registration']", {"other": "x" * 501, "diet": "Halal"})
        self.check("event registration after bad input", 422, status, field_errors=True)
        status = self.submit(f"main form[action='{demo}/registration']", {"other": "", "sign_language": "vgt"})
        self.check("event after registering", 200, status, expect_text="You are registered for this event.")
        self.go(demo + "/sessions/openblik-workshop")
        status = self.submit(f"main form[action='{demo}/sessions/openblik-workshop/registration']", {})
        self.check("full workshop: waiting list", 200, status, expect_text="waiting list")
        self.check("my agenda", 200, self.go("/events/agenda"), expect_text="OpenBlik")
        status = self.submit("main form[action='/events/agenda/feed']", {})
        self.check("my agenda with its new feed address", 200, status, expect_text="shown only this once")
        self.sign_out()
        self.sign_in(COORDINATOR, self.password)
        self.check("event registrations (organiser)", 200, self.go(demo + "/registrations"),
                   expect_text="Flemish Sign Language: 2")
        self.check("event follow-up form", 200, self.go(demo + "/follow-up"))
        status = self.submit(f"main form[action='{demo}/follow-up']", {"subject": "", "body": "Thank you for coming."})
        self.check("event follow-up after bad input", 422, status, field_errors=True)
        self.check("new event form", 200, self.go("/events/new"), expect_text="Event file (JSON)")
        status = self.submit("main form[action='/events/new']", {"json": '{"id": "a walk"}'})
        self.check("new event after a broken document", 422, status, expect_text="The event was not saved")
        self.check("event document (edit)", 200, self.go(demo + "/edit"))
        self.sign_out()

    # -- participation -----------------------------------------------------------------------------

    def first_link(self, prefix: str) -> str:
        from selenium.webdriver.common.by import By

        links = self.driver.find_elements(By.CSS_SELECTOR, f"main a[href^='{prefix}']")
        if not links:
            raise SystemExit(f"no link starting with {prefix} on {self.driver.current_url}")
        return urllib.parse.urlparse(links[0].get_attribute("href")).path

    def participation_pages(self) -> None:
        """Participation as its people use it: a visitor finds activities near Halle (and tries a level that does not
        exist); the demo newcomer reads their 26 of 40 hours and their proof; a visitor tries to create an account
        without a name; someone who never took part registers for the Sint-Niklaas buddies (first without consent); the agency's advisor reads the people who gave access; Genk's officer
        records a date's attendance (first beyond the activity's length), reads Genk's figures and tries a broken
        activity form."""
        self.check("participation finder", 200, self.go("/participation"), expect_text="Take part")
        self.check("participation finder near Halle", 200, self.go("/participation?place=Halle&radius=20&level=a2"),
                   expect_text="Hallo Nederlands")
        activity = self.first_link("/participation/activities/")
        self.check("participation finder after bad input", 422, self.go("/participation?place=Atlantis&level=A3"),
                   field_errors=True)
        self.check("activity (visitor)", 200, self.go(activity), expect_text="Sign in to register")
        self.sign_in(NEWCOMER, self.password)
        if not self.driver.get_cookie("lt_session"):
            raise SystemExit(f"signing in as {NEWCOMER} failed")
        self.check("my participation hours (newcomer)", 200, self.go("/participation/hours"), expect_text="26 of 40 hours")
        self.check("proof of participation", 200, self.go("/participation/hours/proof"), expect_text="Proof of participation")
        self.sign_out()
        self.check("create an account", 200, self.go("/sign-up"), expect_text="Create an account")
        status = self.submit("main form[action='/sign-up']", {"name": "", "email": "not an address"})
        self.check("create an account after bad input", 422, status, field_errors=True)
        # Someone who never took part: consent is asked.
        self.sign_in(DUO_STAFF, self.password)
        self.go("/participation?place=Sint-Niklaas&radius=0&category=buddy")
        buddies = self.first_link("/participation/activities/")
        self.go(buddies)
        status = self.submit(f"main form[action='{buddies}/registration']", {})
        self.check("activity registration without consent", 422, status, field_errors=True)
        self.click("main input[name='consent']")
        status = self.submit(f"main form[action='{buddies}/registration']", {})
        self.check("activity after registering", 200, status, expect_text="You have a place.")
        self.sign_out()
        self.sign_in(COUNSELLOR, self.password)
        self.check("a counsellor's people", 200, self.go("/participation/people"), expect_text="26 of 40 hours")
        person = self.first_link("/participation/people/")
        self.check("a person's hours (counsellor)", 200, self.go(person), expect_text="Participation hours of")
        self.sign_out()
        self.sign_in(GENK, self.password)
        self.check("activities I organise (Genk)", 200, self.go("/participation/manage"), expect_text="Welcome desk")
        figures = self.first_link("/participation/municipalities/")
        self.check("participation figures of Genk", 200, self.go(figures), expect_text="Per level asked")
        self.go("/participation?place=Genk&radius=0&category=volunteering")
        volunteer = self.first_link("/participation/activities/")
        self.check("attendance form", 200, self.go(volunteer + "/attendance"), expect_text="Attendance on")
        from selenium.webdriver.common.by import By
        minutes = self.driver.find_elements(By.CSS_SELECTOR, "main input[name^='minutes_']")
        if not minutes:
            raise SystemExit("the attendance form lists nobody")
        status = self.submit(f"main form[action='{volunteer}/attendance'][method='post']",
                             {minutes[0].get_attribute("name"): "999"})
        self.check("attendance after a line beyond the activity's length", 422, status, field_errors=True)
        self.check("new activity form", 200, self.go("/participation/activities/new"), expect_text="New activity")
        status = self.submit("main form[action='/participation/activities/new']",
                             {"municipality": "Genk", "title_en": "Chess", "level": "b1"})
        self.check("new activity after bad input", 422, status, field_errors=True)
        self.sign_out()

    # -- the plan pages ----------------------------------------------------------------------------

    def click(self, selector: str) -> None:
        from selenium.webdriver.common.by import By

        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element)

    def plan_pages(self, org: int) -> None:
        """The plans module as its people use it: the association publishes the catalogue and looks at its
        overview; the Mechelen editor requests actions (first with a budget that is not a number); the
        association asks for a change without saying why, then approves; the editor opens the plan, an
        action, reports a value in the wrong unit, adds an action with dates the wrong way round, and opens
        the yearly report."""
        from selenium.webdriver.common.by import By

        status = self.sign_in(COORDINATOR, self.password)
        if not self.driver.get_cookie("lt_session"):
            raise SystemExit(f"signing in as {COORDINATOR} failed (status {status})")
        self.check("plans (coordinator)", 200, self.go("/plans"), expect_text="Plan Living Together")
        link = self.driver.find_element(By.CSS_SELECTOR, "main table.list a[href^='/plans/catalogues/']")
        catalogue = int(link.get_attribute("href").rstrip("/").rsplit("/", 1)[1])
        self.check("catalogue (coordinator)", 200, self.go(f"/plans/catalogues/{catalogue}"))
        publish = self.driver.find_elements(By.CSS_SELECTOR, f"main form[action='/plans/catalogues/{catalogue}/status'] input[value='published']")
        if publish:
            status = self.submit(f"main form[action='/plans/catalogues/{catalogue}/status']", {})
            self.check("catalogue after publishing", 200, status, expect_text="Published")
        self.check("catalogue upload form", 200, self.go("/plans/catalogues/upload"))
        self.sign_out()

        self.sign_in(EDITOR, self.password)
        self.check("request form", 200, self.go(f"/plans/catalogues/{catalogue}/request"))
        form = f"main form[action='/plans/catalogues/{catalogue}/request']"
        self.click(f"{form} input[name='action:guidance-to-work']")
        status = self.submit(form, {"budget:guidance-to-work": "lots"})
        self.check("request form after bad input", 422, status, field_errors=True)
        for action in ("buddies-for-newcomers", "bystander-training"):
            self.click(f"{form} input[name='action:{action}']")
        status = self.submit(form, {"budget:guidance-to-work": "170950", "budget:buddies-for-newcomers": "20000",
                                    "budget:bystander-training": "27000", "motivation": "Many newcomers look for work."})
        self.check("request after sending", 200, status, expect_text="Waiting for the coordinator")
        request = int(re.search(r"/plans/requests/(\d+)", self.driver.current_url).group(1))
        self.sign_out()

        self.sign_in(COORDINATOR, self.password)
        self.check("request with decision forms (coordinator)", 200, self.go(f"/plans/requests/{request}"))
        decide = f"main form[action='/plans/requests/{request}/decide']"
        self.click(f"input[name='decision:bystander-training'][value='request_changes']")
        status = self.submit(f"{decide}:has(input[value='bystander-training'])", {})
        self.check("decision without a comment", 422, status, field_errors=True)
        for action in ("guidance-to-work", "buddies-for-newcomers"):
            self.click(f"input[name='decision:{action}'][value='approve']")
            self.submit(f"{decide}:has(input[value='{action}'])", {})
        self.check("request after decisions", 200, self.go(f"/plans/requests/{request}"), expect_text="Approved")
        self.check("coordinator's view", 200, self.go(f"/plans/catalogues/{catalogue}/overview"), expect_text="actions taken up")
        self.sign_out()

        self.sign_in(EDITOR, self.password)
        self.check("action plan", 200, self.go(f"/directory/{org}/plan"), expect_text="Action plan of Mechelen")
        link = self.driver.find_element(By.CSS_SELECTOR, "main table.list a[href^='/plan-actions/']")
        action = int(link.get_attribute("href").rstrip("/").rsplit("/", 1)[1])
        self.check("plan action", 200, self.go(f"/plan-actions/{action}"))
        value_form = self.driver.find_element(By.CSS_SELECTOR, "main form.value-form")
        indicator = int(re.search(r"/plan-indicators/(\d+)/values", value_form.get_attribute("action")).group(1))
        status = self.submit(f"main form[action='/plan-indicators/{indicator}/values']", {f"value{indicator}_value": "12 %"})
        self.check("plan action: a value in the wrong unit", 422, status, field_errors=True)
        status = self.submit(f"main form[action='/plan-indicators/{indicator}/values']", {f"value{indicator}_value": "40"})
        self.check("plan action after reporting a value", 200, status, expect_text="40")
        self.check("plan action edit form", 200, self.go(f"/plan-actions/{action}/edit"))
        self.check("new own action form", 200, self.go(f"/directory/{org}/plan/actions/new"))
        # Date fields are filled as a date picker would (typing into them depends on the browser's locale).
        self.driver.execute_script("document.getElementById('f-start').value = '2026-05-01'; document.getElementById('f-end').value = '2026-01-31';")
        status = self.submit(f"main form[action='/directory/{org}/plan/actions/new']", {"title": "Language cafés", "budget": "a lot"})
        self.check("new own action after bad input", 422, status, field_errors=True)
        year = time.gmtime().tm_year
        self.check("yearly progress report", 200, self.go(f"/directory/{org}/plan/report?year={year}"), expect_text="progress in")
        self.sign_out()

    # -- the mentoring pages -----------------------------------------------------------------------

    def link_id(self, path_prefix: str, text_test, page: str = "") -> int:
        """The id at the end of the first link in main under `path_prefix` whose text passes `text_test`."""
        from selenium.webdriver.common.by import By

        for link in self.driver.find_elements(By.CSS_SELECTOR, f"main a[href^='{path_prefix}']"):
            if text_test(link.text.strip()):
                match = re.search(r"/(\d+)$", link.get_attribute("href").split("#")[0].split("?")[0])
                if match:
                    return int(match.group(1))
        raise SystemExit(f"{page or self.driver.current_url} has no link under {path_prefix} of the kind looked for")

    def error_beside_field(self, field_id: str, text: str) -> tuple[list[str], list[str]]:
        """The field is marked invalid and the error beside it (in its .field box) says `text`."""
        problems = self.driver.execute_script(
            """
            const [id, text] = arguments;
            const el = document.getElementById(id);
            if (!el) return [`no field #${id} on the page`];
            if (el.getAttribute('aria-invalid') !== 'true') return [`the field #${id} is not marked aria-invalid`];
            const box = el.closest('.field');
            const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
            const errors = ids.map(i => document.getElementById(i)).filter(e => e && e.classList.contains('error'));
            if (!errors.some(e => e.textContent.includes(text) && (!box || box.contains(e))))
              return [`the error beside #${id} does not say ${JSON.stringify(text)}`];
            return [];
            """, field_id, text)
        return problems, []

    def mentoring_pages(self) -> None:
        """The mentoring module as its people use it. The association's coordinator opens the mentoring page,
        the "city for all" programme and a mentee (Lier) with its suggested mentors, the form to open a
        programme (empty and with the title missing), proposes a round, puts two mentees on Genk (room for
        one) and confirms, then opens a new trajectory and dates a logbook entry in the future. The DUO for
        a JOB staff open their programme and its enrolment form, enrol a person with facts missing and a
        mentee of 41 (the age rule must stand beside the age field), and open a participant with the form
        to erase their data. The Mechelen editor opens the IncluCities trajectory Mechelen → Capaci, the
        learning networks, the network Mechelen hosts (with its forms to manage it) and the form to start one."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        # The association's coordinator: programme 2, a mentee, a round, a trajectory.
        status = self.sign_in(COORDINATOR, self.password)
        if not self.driver.get_cookie("lt_session"):
            raise SystemExit(f"signing in as {COORDINATOR} failed (status {status})")
        self.check("mentoring (coordinator)", 200, self.go("/mentoring"), expect_text="City for all")
        programme = self.link_id("/mentoring/programmes/", lambda t: t.startswith("City for all"), "/mentoring")
        self.check("programme City for all (coordinator)", 200, self.go(f"/mentoring/programmes/{programme}"),
                   expect_text="City for all")
        lier = self.link_id("/mentoring/participants/", lambda t: t == "Lier")
        self.check("participant Lier with suggested mentors", 200, self.go(f"/mentoring/participants/{lier}"),
                   expect_text="Suggested mentors")
        self.check("new programme form", 200, self.go("/mentoring/programmes/new"))
        status = self.submit("main form[action='/mentoring/programmes/new']", {"title": ""})
        self.check("new programme form with the title missing", 422, status, field_errors=True)

        self.go(f"/mentoring/programmes/{programme}")
        propose = f"main form[action='/mentoring/programmes/{programme}/rounds']"
        if self.driver.find_elements(By.CSS_SELECTOR, propose):
            status = self.submit(propose, {})
        else:  # a round proposed earlier and not yet confirmed: review that one
            self.click("main a[href^='/mentoring/rounds/']")
            self.wait_ready()
            status = self.document_status()
        match = re.search(r"/mentoring/rounds/(\d+)$", self.driver.current_url.split("#")[0].split("?")[0])
        if not match:
            self.results.append(PageResult("proposing a round", self.driver.current_url, status, problems=[
                f"proposing a round did not lead to a round page ({self.page_heading()!r}): use a fresh database"]))
            log(f"FAIL proposing a round led to {self.driver.current_url} [{status}]")
            round_id = None
        else:
            round_id = int(match.group(1))
            self.check("round proposed", 200, status, expect_text="City for all")
        if round_id is not None:
            form = f"main form[action='/mentoring/rounds/{round_id}']"
            selects = self.driver.find_elements(By.CSS_SELECTOR, f"{form} select[name^='mentor-']")
            genk = [o.get_attribute("value") for o in (selects[0].find_elements(By.TAG_NAME, "option") if selects else [])
                    if o.text.strip().startswith("Genk")]
            if len(selects) < 2 or not genk:
                raise SystemExit(f"round {round_id} has {len(selects)} mentee(s) and "
                                 f"{'a' if genk else 'no'} mentor Genk to choose: use a fresh database")
            status = self.submit(form, {s.get_attribute("name"): genk[0] for s in selects[:2]},
                                 button_selector="button[type=submit]:not([formaction])")

            def over_capacity() -> tuple[list[str], list[str]]:
                problems, notes = [], []
                summary = self.driver.find_elements(By.CSS_SELECTOR, ".error-summary li")
                if not summary:
                    problems.append("no error summary at the top of the form")
                if not any("Genk" in e.text for e in self.driver.find_elements(By.CSS_SELECTOR, "main .error")):
                    problems.append("no error on the page names Genk")
                for a in self.driver.find_elements(By.CSS_SELECTOR, ".error-summary a[href^='#']"):
                    if not self.driver.find_elements(By.ID, a.get_attribute("href").split("#", 1)[1]):
                        problems.append(f"the error summary links to {a.get_attribute('href')}, which is not on the page")
                kept = [s for s in self.driver.find_elements(By.CSS_SELECTOR, f"{form} select[name^='mentor-']")
                        if s.get_attribute("value") == genk[0]]
                if len(kept) < 2:
                    problems.append(f"the form does not keep the two mentees on Genk ({len(kept)} kept)")
                for s in kept:
                    problems += self.error_beside_field(s.get_attribute("id"), "Genk")[0]
                return problems, notes

            self.check("round with two mentees on Genk (over capacity)", 422, status, field_errors=True, more_checks=over_capacity)
            self.check("round page", 200, self.go(f"/mentoring/rounds/{round_id}"))
            status = self.submit(form, {}, button_selector="button[formaction]")
            self.check("programme after confirming the round", 200, status, expect_text="City for all")
            if f"/mentoring/programmes/{programme}" not in self.driver.current_url:
                self.results[-1].problems.append("confirming the round did not lead back to the programme")
        self.go(f"/mentoring/programmes/{programme}")
        pair = self.link_id("/mentoring/pairs/", lambda t: "→" in t)
        self.check("new trajectory (coordinator)", 200, self.go(f"/mentoring/pairs/{pair}"))
        future = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 40 * 86_400))
        # Date fields are filled as a date picker would (typing into them depends on the browser's locale).
        self.driver.execute_script("document.getElementById('f-day').value = arguments[0];", future)
        status = self.submit(f"main form[action='/mentoring/pairs/{pair}/logbook']", {"note": "Met at the town hall."})
        self.check("logbook entry dated in the future", 422, status, field_errors=True,
                   more_checks=lambda: self.error_beside_field("f-day", future))
        self.sign_out()

        # The DUO for a JOB staff: programme 3, enrolling people, a person's data.
        status = self.sign_in(DUO_STAFF, self.password)
        if not self.driver.get_cookie("lt_session"):
            raise SystemExit(f"signing in as {DUO_STAFF} failed (status {status})")
        self.go("/mentoring")
        duo = self.link_id("/mentoring/programmes/", lambda t: t.startswith("DUO for a JOB"), "/mentoring")
        self.check("programme DUO for a JOB (staff)", 200, self.go(f"/mentoring/programmes/{duo}"), expect_text="DUO for a JOB")
        participant = self.link_id("/mentoring/participants/", lambda t: bool(t))
        self.check("enrol form DUO for a JOB", 200, self.go(f"/mentoring/programmes/{duo}/enrol"))
        enrol = f"main form[action='/mentoring/programmes/{duo}/enrol']"
        status = self.submit(enrol, {"name": "Sam (axe check)"})
        self.check("enrol with the facts missing", 422, status, field_errors=True)
        self.go(f"/mentoring/programmes/{duo}/enrol")
        status = self.submit(enrol, {
            "name": "Sam (axe check)", "fact_age": "41", "fact_originOutsideEU": "yes",
            "fact_workPermit": "yes",
        })
        self.check("enrol a mentee of 41 (ineligible)", 422, status, field_errors=True,
                   expect_text="Mentees are between 18 and 33 years old.",
                   more_checks=lambda: self.error_beside_field("f-fact_age", "Mentees are between 18 and 33 years old."))
        self.check("participant with the erase form (staff)", 200, self.go(f"/mentoring/participants/{participant}"),
                   expect_text="Personal data",
                   more_checks=lambda: ([] if self.driver.find_elements(
                       By.CSS_SELECTOR, f"main form[action='/mentoring/participants/{participant}/erase']")
                       else ["no form to erase the person's data"], []))
        self.sign_out()

        # The Mechelen editor: the IncluCities trajectory, the learning networks.
        self.sign_in(EDITOR, self.password)
        self.go("/mentoring")
        capaci = self.link_id("/mentoring/pairs/", lambda t: t.startswith("Mechelen") and "Capaci" in t, "/mentoring")
        self.check("trajectory Mechelen → Capaci (editor)", 200, self.go(f"/mentoring/pairs/{capaci}"), expect_text="Capaci")
        self.check("learning networks (editor)", 200, self.go("/learning-networks"), expect_text="Learning networks")
        network = self.link_id("/learning-networks/", lambda t: t.startswith("Buddies for newcomers"), "/learning-networks")

        def manage_forms() -> tuple[list[str], list[str]]:
            wanted = [f"/learning-networks/{network}/members", f"/learning-networks/{network}/sessions"]
            missing = [a for a in wanted if not self.driver.find_elements(By.CSS_SELECTOR, f"main form[action='{a}']")]
            problems = [f"no form {a} for the host's editor" for a in missing]
            if not self.driver.find_elements(By.CSS_SELECTOR, "main form[action^='/learning-sessions/']"):
                problems.append("no attendance form for the sessions held")
            return problems, []

        self.check("learning network hosted by Mechelen (editor)", 200, self.go(f"/learning-networks/{network}"),
                   expect_text="Buddies for newcomers", more_checks=manage_forms)
        self.check("new learning network form", 200, self.go("/learning-networks/new"))
        status = self.submit("main form[action='/learning-networks/new']", {"title": ""})
        self.check("new learning network form with the title missing", 422, status, field_errors=True)
        self.sign_out()

    # -- the benchmark pages -----------------------------------------------------------------------

    def choose_levels(self, levels: dict[str, int]) -> None:
        """Picks a level for key factors of the assessment form by clicking the radio button's label."""
        from selenium.webdriver.common.by import By

        for kf, level in levels.items():
            radio = self.driver.find_element(By.CSS_SELECTOR, f"input[type=radio][name='level:{kf}'][value='{level}']")
            label = self.driver.find_element(By.CSS_SELECTOR, f"label[for='{radio.get_attribute('id')}']")
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
            try:
                label.click()
            except Exception:  # covered by the sticky bar of buttons: choose it as the keyboard would
                self.driver.execute_script("arguments[0].click()", radio)
            if not radio.is_selected():
                raise SystemExit(f"could not choose level {level} of {kf} on {self.driver.current_url}")

    def page_heading(self) -> str:
        """The page's h1 and first paragraph, to say what an error page said."""
        return self.driver.execute_script(
            "const h = document.querySelector('main h1'); const p = document.querySelector('main p');"
            "return [h && h.textContent.trim(), p && p.textContent.trim()].filter(Boolean).join(': ');") or ""

    def send_assessment(self, assessment: int, levels: dict[str, int], answers: dict[str, str], step: str) -> int | None:
        """Opens the assessment form, chooses the levels, types the answers and presses "submit", as a person
        would. When the server refuses the form as the browser sends it (403), that is recorded as a fault
        and the same choices are sent again with the form's empty fields left out (disabled), which the
        server reads the same way (a field not sent is an empty answer, an unassessed grade), so that the
        pages after it are still checked."""
        form = f"main form[action='/assessments/{assessment}']"
        button = "button[name=action][value=submit]"
        self.go(f"/assessments/{assessment}")
        self.choose_levels(levels)
        size = self.driver.execute_script(
            "const f = document.querySelector(arguments[0]); const d = new FormData(f); d.append('action', 'submit');"
            "return new URLSearchParams(d).toString().length;", form)
        status = self.submit(form, answers, button_selector=button)
        if status != 403:
            return status
        self.results.append(PageResult(step, self.driver.current_url, status, problems=[
            f"POST /assessments/{assessment} with the whole form as the browser sends it ({size} bytes, "
            f"application/x-www-form-urlencoded) is refused with 403: {self.page_heading()!r}"]))
        log(f"FAIL {step}: the whole form ({size} bytes) was refused with 403; sending it again without its empty fields")
        self.go(f"/assessments/{assessment}")
        self.choose_levels(levels)
        for name, value in answers.items():
            element = self.driver.find_element("css selector", f"{form} [name='{name}']")
            element.clear()
            element.send_keys(value)
        self.driver.execute_script(
            """
            for (const el of document.querySelector(arguments[0]).elements) {
              if (!el.name || el.name === '_csrf' || el.name === 'revision' || el.type === 'submit') continue;
              if (el.tagName === 'TEXTAREA' && el.value.trim() === '') el.disabled = true;
              if (el.tagName === 'SELECT' && el.value === 'not-assessed') el.disabled = true;
            }
            """, form)
        return self.submit(form, {}, button_selector=button)

    def key_factor_ids(self) -> list[str]:
        """The key factors of the assessment form now in the browser, in the page's order."""
        return self.driver.execute_script(
            """
            const names = [...document.querySelectorAll('form.assessment input[type=radio][name^="level:"]')].map(r => r.name);
            return [...new Set(names)].map(n => n.slice('level:'.length));
            """
        )

    def start_assessment(self, org: int) -> tuple[int, int]:
        """Starts an assessment of city-for-all for Mechelen through the form on /benchmarks, in the first
        year (from next year back) that Mechelen has none for yet. Returns (assessment id, year)."""
        this_year = time.gmtime().tm_year
        for year in range(this_year, 2000, -1):
            self.go("/benchmarks")
            status = self.submit("main form[action='/assessments']",
                                 {"organisation": str(org), "framework": "city-for-all", "year": str(year)})
            match = re.search(r"/assessments/(\d+)$", self.driver.current_url.split("?")[0].split("#")[0])
            if match and status == 200:
                return int(match.group(1)), year
            if status != 422:
                raise SystemExit(f"starting an assessment for {year} answered {status} at {self.driver.current_url}")
        raise SystemExit("Mechelen has an assessment of city-for-all for every year: use a fresh database")

    def benchmark_pages(self, org: int) -> None:
        # The Mechelen editor: themes, a framework, starting, answering, submitting, the report, publishing.
        status = self.sign_in(EDITOR, self.password)
        if not self.driver.get_cookie("lt_session"):
            raise SystemExit(f"signing in as {EDITOR} failed (status {status})")
        self.check("benchmarks (editor)", 200, self.go("/benchmarks"), expect_text="city for all")
        self.check("framework city-for-all", 200, self.go("/benchmarks/city-for-all"), expect_text="city for all")
        self.go("/benchmarks")
        status = self.submit("main form[action='/assessments']",
                             {"organisation": str(org), "framework": "city-for-all", "year": "twenty"})
        self.check("benchmarks: start with a year that is no number", 422, status, field_errors=True)
        assessment, year = self.start_assessment(org)
        log(f"started assessment {assessment} of city-for-all {year} for Mechelen")
        self.check("assessment form (new)", 200, self.go(f"/assessments/{assessment}"), expect_text="Mechelen")
        key_factors = self.key_factor_ids()
        if len(key_factors) < 2:
            raise SystemExit(f"the assessment form shows {len(key_factors)} key factor(s): {key_factors}")
        # Rate only the first key factor, answer one question, and submit: the others lack a rating.
        question = self.driver.find_element("css selector", f"textarea[name^='answer:{key_factors[0]}/']").get_attribute("name")
        status = self.send_assessment(assessment, {key_factors[0]: 3}, {question: "Yes, through the advisory council."},
                                      "submitting the assessment form with ratings missing")
        self.check("assessment form submitted with ratings missing", 422, status,
                   more_checks=lambda: (self.level_errors_are_beside_fieldsets(key_factors[1:]), []))
        # Rate every key factor and submit: the report.
        status = self.send_assessment(assessment, {kf: 1 + i % 5 for i, kf in enumerate(key_factors)}, {},
                                      "submitting the assessment form with every key factor rated")
        if not re.search(rf"/assessments/{assessment}/report$", self.driver.current_url):
            self.results.append(PageResult("submitting the rated assessment", self.driver.current_url, status,
                                           problems=["submitting every rating did not lead to the report"]))
        self.check("report after submitting (editor)", 200, status, expect_text="Mechelen")
        self.check("assessment history", 200, self.go(f"/assessments/{assessment}/history"), expect_text="Mechelen")
        self.go(f"/assessments/{assessment}/report")
        status = self.submit(f"main form[action='/assessments/{assessment}/publish']", {})
        self.check("report after publishing (editor)", 200, status, expect_text="Mechelen")
        self.sign_out()
        self.check("published report (not signed in)", 200, self.go(f"/assessments/{assessment}/report"), expect_text="Mechelen")

        # The platform administrator: the framework upload form.
        status = self.sign_in(ADMIN, self.password)
        if not self.driver.get_cookie("lt_session"):
            raise SystemExit(f"signing in as {ADMIN} failed (status {status})")
        self.check("framework upload form", 200, self.go("/benchmarks/upload"))
        status = self.submit("main form[action='/benchmarks/upload']", {"json": '{"id": "broken-framework", "version": 1, "title": '})

        def upload_problems() -> tuple[list[str], list[str]]:
            problems, notes = [], []
            if not self.driver.find_elements("css selector", ".error-summary li"):
                problems.append("no problem is listed after pasting broken JSON")
            if "broken-framework" not in (self.driver.find_element("css selector", "#f-json").get_attribute("value") or ""):
                problems.append("the pasted text is not kept in the form")
            if self.driver.find_element("css selector", "#f-json").get_attribute("aria-invalid") != "true":
                notes.append("the textarea holding the broken JSON is not marked aria-invalid and names no error beside it; "
                             "the problems are listed only in the summary above the form")
            return problems, notes

        self.check("framework upload after pasting broken JSON", 422, status, more_checks=upload_problems)
        self.sign_out()

    def close(self) -> None:
        try:
            self.driver.quit()
        except Exception:
            pass


def describe(violation: dict) -> list[str]:
    lines = [f"    - {violation['id']} ({violation.get('impact')}): {violation.get('help')}",
             f"      {violation.get('helpUrl', '')}"]
    for node in violation.get("nodes", [])[:10]:
        target = " ".join(json.dumps(t) if not isinstance(t, str) else t for t in node.get("target", []))
        html = re.sub(r"\s+", " ", node.get("html", ""))[:200]
        lines.append(f"      target: {target}")
        lines.append(f"        html: {html}")
        summary = re.sub(r"\s+", " ", node.get("failureSummary", ""))[:300]
        if summary:
            lines.append(f"        why:  {summary}")
    if len(violation.get("nodes", [])) > 10:
        lines.append(f"      ... and {len(violation['nodes']) - 10} more node(s)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="the running site, e.g. http://127.0.0.1:8080")
    parser.add_argument("password", nargs="?", default=os.environ.get("DEMO_PASSWORD"),
                        help="the demo accounts' password (default: $DEMO_PASSWORD)")
    parser.add_argument("--screenshots", type=Path, default=HERE / "screenshots",
                        help="folder for one screenshot per page (default: tests/browser/screenshots)")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache",
                        help="folder for the downloaded axe-core (default: tests/browser/.cache)")
    parser.add_argument("--json", type=Path, help="also write all results as JSON to this file")
    args = parser.parse_args()
    if not args.password:
        parser.error("give the demo password (argument or DEMO_PASSWORD)")

    js = axe_source(args.cache)
    args.screenshots.mkdir(parents=True, exist_ok=True)
    for old in args.screenshots.glob("*.png"):
        old.unlink()
    checker = Checker(args.base_url, args.password, args.screenshots, js)
    try:
        checker.run()
    finally:
        checker.close()

    results = checker.results
    failing = [r for r in results if r.failing or r.problems]
    log(f"axe-core {getattr(checker, 'axe_version', '?')}: {len(results)} page(s) checked, "
        f"screenshots in {args.screenshots}")
    others = [(r, v) for r in results for v in r.violations if v.get("impact") not in FAILING_IMPACTS]
    if others:
        log("moderate or minor findings (reported, not failing):")
        for r, v in others:
            log(f"  {r.name}: {v['id']} ({v.get('impact')}) on {len(v.get('nodes', []))} node(s)")
    notes = [(r, n) for r in results for n in r.notes]
    if notes:
        log("notes (reported, not failing):")
        for r, n in notes:
            log(f"  {r.name}: {n}")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=2), encoding="utf-8")
    if failing:
        print("\nBrowser check FAILED (axe serious/critical violations, wrong statuses, or visible faults):", flush=True)
        for r in failing:
            print(f"  page: {r.name} [{r.status}] {r.url}")
            for p in r.problems:
                print(f"    - {p}")
            for v in r.failing:
                print("\n".join(describe(v)))
        print(f"\n{len(results) - len(failing)} passed, {len(failing)} failed")
        return 1
    print(f"\n{len(results)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
