#!/usr/bin/env python3
"""Two app processes sharing one PostgreSQL database behave as one site.

    python3 tests/two_processes.py --binary .build/debug/livingtogether \
        --database-url postgres://lt:lt@127.0.0.1:5432/lt_two

The database must be fresh (empty): process A migrates it and loads the demo content; process B
starts once A answers /healthz. Then, over HTTP as a browser would (CSRF cookie and field included):

  a. a session begun by signing in on A is honoured by B (GET /account on B answers 200 and names the
     user), and the other way round;
  b. signing out on B ends the session on A too (the old cookie no longer opens /account on A);
  c. the sign-in rate limit holds across both: with SIGNIN_LIMIT_ACCOUNT=5, five failed attempts
     alternating A and B, then a sixth attempt, even with the right password, is refused with 429 on
     either process.

Exits non-zero, saying which check failed and showing the end of both processes' logs, on failure.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

OFFICER = ("officer@mechelen.example", "Mechelen diversity officer")
GENK = ("officer@genk.example", None)
EDITOR = "editor@mechelen.example"
ACCOUNT_LIMIT = 5


def log(message: str) -> None:
    print(f"[two-processes] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Answer:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: str):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def set_cookies(self) -> dict[str, str]:
        cookies = {}
        for k, v in self.headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                expired = "max-age=0" in v.lower() or "expires=thu, 01 jan 1970" in v.lower()
                cookies[name.strip()] = "" if expired else value
        return cookies


class Browser:
    """A client with its own cookie jar that can talk to either process, as one browser would to one site."""

    def __init__(self, name: str):
        self.name = name
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict[str, str] | None = None,
                keep_cookies: bool = True) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v)
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        answer = Answer(r.status, r.getheaders(), r.read().decode("utf-8", "replace"))
        conn.close()
        if keep_cookies:
            for k, v in answer.set_cookies().items():
                if v:
                    self.cookies[k] = v
                else:
                    self.cookies.pop(k, None)
        return answer

    def csrf(self, port: int) -> str:
        """The page's hidden _csrf field (and so the lt_csrf cookie), from the sign-in page."""
        page = self.request(port, "GET", "/sign-in")
        m = re.search(r'name="_csrf" value="([^"]+)"', page.body)
        if not m:
            raise Failure(f"GET /sign-in on :{port} ({page.status}) carries no _csrf field")
        if self.cookies.get("lt_csrf") != m.group(1):
            raise Failure("the _csrf field does not match the lt_csrf cookie")
        return m.group(1)

    def sign_in(self, port: int, email: str, password: str) -> Answer:
        token = self.csrf(port) if "lt_csrf" not in self.cookies else self.cookies["lt_csrf"]
        return self.request(port, "POST", "/sign-in", {"email": email, "password": password, "_csrf": token})


class Failure(Exception):
    pass


class Server:
    def __init__(self, name: str, binary: Path, port: int, env: dict[str, str], workdir: Path):
        self.name = name
        self.port = port
        self.log_path = workdir / f"server-{name}.log"
        self.log_file = open(self.log_path, "wb")
        log(f"starting process {name}: {binary} serve --hostname 127.0.0.1 --port {port}")
        self.process = subprocess.Popen(
            [str(binary), "serve", "--hostname", "127.0.0.1", "--port", str(port)],
            cwd=workdir, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failure(f"process {self.name} exited with status {self.process.returncode} before answering /healthz")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                r = conn.getresponse()
                body = r.read().decode()
                conn.close()
                if r.status == 200:
                    return
                last = f"{r.status} {body.strip()}"
            except OSError as e:
                last = str(e)
            time.sleep(0.5)
        raise Failure(f"process {self.name} did not answer /healthz with 200 within {timeout:.0f} s (last: {last})")

    def output(self) -> str:
        if not self.log_file.closed:
            self.log_file.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, default=Path(".build/debug/livingtogether"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="postgres://user:pass@127.0.0.1:5432/db of a fresh database (default: $DATABASE_URL)")
    parser.add_argument("--startup-timeout", type=float, default=300)
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgres"):
        parser.error("give --database-url postgres://... (or DATABASE_URL)")
    binary = args.binary.resolve()
    if not os.access(binary, os.X_OK):
        parser.error(f"{binary} is not an executable: build it first (swift build)")

    password = "two-proc-" + secrets.token_urlsafe(12)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PATH", "PORT", "PUBLIC_URL", "TRUST_PROXY")}
    env.update({
        "DATABASE_URL": args.database_url,
        "DEMO_PASSWORD": password,
        "DEMO_CONTENT": "1",
        "SIGNIN_LIMIT_ACCOUNT": str(ACCOUNT_LIMIT),
        "SIGNIN_LIMIT_ADDRESS": "20",
        "SIGNIN_LIMIT_WINDOW": "900",
    })
    results: list[tuple[str, bool, str]] = []

    def check(name: str, ok: bool, detail: str = "") -> None:
        results.append((name, ok, detail))
        log(f"{'PASS' if ok else 'FAIL'} {name}" + (f" ({detail})" if detail else ""))

    workdir = Path(tempfile.mkdtemp(prefix="lt-two-processes-"))
    servers: list[Server] = []
    try:
        a = Server("A", binary, free_port(), env, workdir)
        servers.append(a)
        a.wait_healthy(args.startup_timeout)
        if "Demo content loaded" not in a.output():
            raise Failure("process A did not load the demo content: the database is not fresh (give an empty database)")
        log(f"process A answers /healthz on :{a.port} (migrated, demo content loaded)")
        b = Server("B", binary, free_port(), env, workdir)
        servers.append(b)
        b.wait_healthy(args.startup_timeout)
        check("process B starts on the database A migrated, without loading the demo content again",
              "Demo content loaded" not in b.output())
        log(f"process B answers /healthz on :{b.port}")

        # (a) A session begun on A is honoured by B, and one begun on B by A.
        officer = Browser("officer")
        r = officer.sign_in(a.port, OFFICER[0], password)
        check("sign-in on A answers 303 with a session cookie", r.status == 303 and bool(officer.cookies.get("lt_session")),
              f"status {r.status}, location {r.header('Location')}")
        if not officer.cookies.get("lt_session"):
            raise Failure(f"signing in as {OFFICER[0]} on A failed (status {r.status}): cannot go on")
        old_session = officer.cookies["lt_session"]
        on_b = officer.request(b.port, "GET", "/account")
        check("(a) GET /account on B with A's session cookie answers 200 and names the user",
              on_b.status == 200 and OFFICER[0] in on_b.body and OFFICER[1] in on_b.body, f"status {on_b.status}")
        anonymous = Browser("anonymous").request(b.port, "GET", "/account")
        check("GET /account on B without a session is not the account page", anonymous.status != 200 and OFFICER[0] not in anonymous.body,
              f"status {anonymous.status}")

        genk = Browser("genk")
        r = genk.sign_in(b.port, GENK[0], password)
        on_a = genk.request(a.port, "GET", "/account")
        check("(a) and back: a session begun on B is honoured by A",
              r.status == 303 and on_a.status == 200 and GENK[0] in on_a.body, f"sign-in {r.status}, /account on A {on_a.status}")

        # (b) Signing out on B ends the session on A too.
        r = officer.request(b.port, "POST", "/sign-out", {"_csrf": officer.cookies["lt_csrf"]})
        check("sign-out on B answers 303 and expires the cookie", r.status == 303 and "lt_session" not in officer.cookies,
              f"status {r.status}")
        officer.cookies["lt_session"] = old_session  # the old cookie, as a stolen or stale one would be sent
        after = officer.request(a.port, "GET", "/account", keep_cookies=False)
        check("(b) after signing out on B, A refuses the old session cookie",
              after.status != 200 and OFFICER[0] not in after.body, f"GET /account on A: {after.status}")
        still = genk.request(a.port, "GET", "/account")
        check("signing out one user leaves another user's session alone", still.status == 200 and GENK[0] in still.body,
              f"status {still.status}")

        # (c) The sign-in rate limit holds across both processes.
        attacker = Browser("attacker")
        for i in range(ACCOUNT_LIMIT):
            server = a if i % 2 == 0 else b
            r = attacker.sign_in(server.port, EDITOR, f"wrong-password-{i}")
            check(f"(c) failed attempt {i + 1} of {ACCOUNT_LIMIT} on {server.name} answers 401", r.status == 401,
                  f"status {r.status}")
        r = attacker.sign_in(b.port, EDITOR, password)
        check("(c) the sixth attempt on B, with the right password, is refused with 429",
              r.status == 429 and not attacker.cookies.get("lt_session"), f"status {r.status}, Retry-After {r.header('Retry-After')}")
        r = attacker.sign_in(a.port, EDITOR, password)
        check("(c) and on A too, with the right password, it is refused with 429",
              r.status == 429 and not attacker.cookies.get("lt_session"), f"status {r.status}, Retry-After {r.header('Retry-After')}")
        r = Browser("fresh browser").sign_in(a.port, EDITOR, password)
        check("(c) a fresh browser (same account) is refused with 429 as well", r.status == 429, f"status {r.status}")
    except Failure as e:
        check("could not go on", False, str(e))
    finally:
        for s in servers:
            s.stop()

    failed = [r for r in results if not r[1]]
    if failed:
        print("\nTwo-process check FAILED:")
        for name, _, detail in failed:
            print(f"  - {name}" + (f": {detail}" if detail else ""))
        for s in servers:
            tail = "\n".join(s.output().splitlines()[-40:]) if s.log_path.exists() else ""
            print(f"\n--- last lines of process {s.name}'s log ({s.log_path}) ---\n{tail}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
