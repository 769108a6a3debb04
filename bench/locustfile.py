"""The counter's morning for Locust (driven by ``bench/load.py``; not a test).

Clerks sign in once (``bench/load.py`` spawns a few a second, as a morning's counter opens, not all at the same
instant), then look at their queue, open dossiers, receive new ones (intake: the form, typing, the preview, checking,
the confirmation) and move received ones on, with the seconds a clerk at a counter spends between two screens
(reading, talking to the citizen, typing); citizens look their dossier up now and then; one probe asks
``/healthz`` every second, as a load balancer does. Forms are read from the pages (hidden fields, the CSRF token,
the due date previewed), so the script follows the screens as they are.

Every request is also written, with its time, to ``LOAD_RECORD`` (a JSON file, when set) together with the moment
spawning finished: ``bench/load.py`` reports the sign-ins apart and the pages over the steady state only.

Environment: ``LOAD_CLERKS`` (comma-separated usernames), ``LOAD_PASSWORD``, ``LOAD_LOOKUPS`` (a JSON file of
``[[code, lookup code], ...]``), ``LOAD_RECORD``.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from html.parser import HTMLParser
from itertools import count
from pathlib import Path

from locust import HttpUser, between, constant, events, task

CLERKS = os.environ.get("LOAD_CLERKS", "motcua.ledaihanh").split(",")
PASSWORD = os.environ.get("LOAD_PASSWORD", "thidiem-2025")
LOOKUPS = json.loads(Path(os.environ["LOAD_LOOKUPS"]).read_text()) if os.environ.get("LOAD_LOOKUPS") else []
DOSSIER_LINK = re.compile(r'href="(/service-center/dossiers/[^/"]+/)"')
_clerk_numbers = count()
_id_numbers = count(1)
#: Seconds between two screens of a clerk at the counter, and between two look-ups of a citizen.
CLERK_THINK = (3, 10)
CITIZEN_THINK = (5, 20)
_record: dict = {"started": time.time(), "spawned": None, "requests": []}


@events.request.add_listener
def _remember(request_type, name, response_time, response_length, exception=None, **kwargs):
    failure = f"{type(exception).__name__}: {exception}"[:200] if exception else ""
    _record["requests"].append([name, round(time.time() - _record["started"], 3), response_time, failure])


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs):
    _record["spawned"] = round(time.time() - _record["started"], 3)


@events.quitting.add_listener
def _write_record(environment, **kwargs):
    if os.environ.get("LOAD_RECORD"):
        Path(os.environ["LOAD_RECORD"]).write_text(json.dumps(_record))


class Forms(HTMLParser):
    """Every form of a page: its action and the values a browser would send by default."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}, "buttons": [], "checkboxes": []})
        elif not self.forms:
            return
        form = self.forms[-1] if self.forms else None
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "checkbox":
                form["checkboxes"].append((name, attrs.get("value", "on")))
                if "checked" in attrs:
                    form["fields"].setdefault(name, attrs.get("value", "on"))
            elif kind == "radio":
                if "checked" in attrs:
                    form["fields"][name] = attrs.get("value", "")
            elif kind == "submit":
                form["buttons"].append((name, attrs.get("value", "")))
            else:
                form["fields"][name] = attrs.get("value", "")
        elif tag == "button" and name:
            form["buttons"].append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and attrs.get("value"):
            form["fields"].setdefault(self._select, attrs["value"])
        elif tag == "textarea" and name:
            form["fields"].setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def form_with_action(html: str, fragment: str) -> dict | None:
    return next((f for f in forms_of(html) if fragment in f["action"]), None)


def form_with_field(html: str, name: str) -> dict | None:
    """The form that has the field ``name`` (the portal's forms post to their own page, with no action)."""
    return next((f for f in forms_of(html) if name in f["fields"] or any(n == name for n, _ in f["checkboxes"])), None)


def papers_handed_in(form: dict) -> dict:
    """Every paper of the checklist ticked (the flags such as "test dossier" stay unticked)."""
    papers = [value for name, value in form["checkboxes"] if name == "papers"]
    return {"papers": papers} if papers else {}


class Clerk(HttpUser):
    weight = 4
    wait_time = between(*CLERK_THINK)

    def on_start(self):
        self.username = CLERKS[next(_clerk_numbers) % len(CLERKS)]
        page = self.client.get("/accounts/login/", name="login page")
        login = form_with_field(page.text, "password") or {"fields": {}}
        data = dict(login["fields"], username=self.username, password=PASSWORD)
        with self.client.post("/accounts/login/", data, name="login", catch_response=True) as response:
            if "/accounts/login/" in response.url:
                response.failure("login refused")
        self.codes: list[str] = []

    @task(4)
    def queue(self):
        response = self.client.get("/service-center/", name="queue")
        self.codes = DOSSIER_LINK.findall(response.text) or self.codes

    @task(3)
    def dossier_page(self):
        if self.codes:
            self.client.get(random.choice(self.codes), name="dossier page")

    @task(1)
    def intake(self):
        page = self.client.get("/service-center/intake/", name="intake (form)")
        form = form_with_field(page.text, "applicant_name")
        if form is None:
            return
        self.wait()  # the clerk types the applicant's data and ticks the papers
        data = dict(form["fields"], preview="1")
        data.update(papers_handed_in(form))
        number = next(_id_numbers)
        data.update(
            applicant_name=f"Công Dân Tải {number}",
            applicant_id_number=f"031190{number % 1000000:06d}",  # Hải Phòng, born 1990
            applicant_phone="0912345678",
        )
        preview = self.client.post("/service-center/intake/", data, name="intake (preview)")
        confirm = form_with_field(preview.text, "previewed_due")
        if confirm is None or "previewed_due" not in confirm["fields"]:
            return
        self.wait()  # reads the due date back to the citizen
        data = dict(confirm["fields"], confirm="1")
        data.pop("preview", None)
        data.update(papers_handed_in(confirm))
        with self.client.post("/service-center/intake/", data, name="intake (confirm)", catch_response=True) as r:
            if "/service-center/dossiers/" not in r.url:
                r.failure("intake not received")

    @task(1)
    def transition(self):
        if not self.codes:
            return
        page = self.client.get(random.choice(self.codes), name="dossier page")
        form = form_with_action(page.text, "/transition/")
        if form is None:
            return
        moves = [(n, v) for n, v in form["buttons"] if n == "to" and v in ("4", "6", "9", "10")]
        if not moves:
            return
        self.wait()  # reads the dossier, decides
        name, value = random.choice(moves)
        data = dict(form["fields"], **{name: value})
        if value == "9":
            data["result"] = "Kết quả thử tải"
        self.client.post(form["action"], data, name="transition")


class Citizen(HttpUser):
    weight = 2
    wait_time = between(*CITIZEN_THINK)

    @task
    def lookup(self):
        if not LOOKUPS:
            return
        code, secret = random.choice(LOOKUPS)
        page = self.client.get("/tra-cuu/", name="lookup (form)")
        form = form_with_field(page.text, "secret") or {"fields": {}}
        self.wait()  # types the code from the receipt
        data = dict(form["fields"], code=code, secret=secret)
        with self.client.post("/tra-cuu/", data, name="lookup", catch_response=True) as response:
            if code not in response.text:
                response.failure("dossier not found")


class Probe(HttpUser):
    """The load balancer's health check: one, whatever the number of clients."""

    fixed_count = 1
    wait_time = constant(1)

    @task
    def health(self):
        self.client.get("/healthz", name="/healthz")
