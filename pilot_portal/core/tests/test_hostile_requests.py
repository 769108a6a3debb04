"""Every page and form of the portal, driven with hostile input, answers without a server error (no 5xx).

The test builds a small world (a piloting unit with its checklist and an issue, a session with agenda, documents
and participants, a dossier, a notification), then, as a superuser, a ward clerk and a unit official:

1. crawls the portal from its start pages, following the links and form actions of each page it reads;
2. GETs every page it reached with every query parameter its forms name (and the portal's usual ones) set to each
   hostile value of :data:`HOSTILE`, and as arrays;
3. POSTs every form it found, one field at a time set to hostile values (the others as the page filled them in),
   then every field at once, then arrays for scalars, and a hostile file for file fields;
4. requests every URL pattern of the resolver that the crawl did not reach, with hostile path arguments.

It runs on the test database (PostgreSQL), and ``test_no_server_error_on_sqlite`` runs this module again in a
child pytest on SQLite (the embedded default), where other errors show (integer overflow, no NUL check).
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

HOSTILE = [
    "\x00",
    "abc\x00def",
    "99999999999999999999",
    "-1",
    "-99999999999999999999",
    "0",
    "x" * 10_000,
    "１２３",  # full-width digits
    "\u202eبعد\u200f",  # RTL override and mark
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "9999-12-31",
    "0000-00-00",
    "31/12/9999 23:59",
    "1e309",
    "NaN",
    "../../etc/passwd",
    "",
]
#: Query parameters the portal's pages read, beyond those their forms name.
QUERY_PARAMS = ["on", "unit", "page", "q", "status", "month", "start", "end", "format", "kind", "queue", "next", "ma"]
#: Fields a page shows only in some states (the chair's note appears when opening without the quorum): sent anyway.
EXTRA_POST_FIELDS = ["note", "reason", "next"]
SKIPPED_URL_NAMES = {"logout", "live_events", "set_language"}
SKIPPED_PREFIXES = ("/admin/", "/static/", "/accounts/")
SEEDS = ["/", "/units/", "/sessions/", "/sessions/calendar/", "/service-center/", "/campaigns/", "/notifications/"]
MAX_PAGES = 120


class _Page(HTMLParser):
    """Links and forms of a page: ``links`` (hrefs) and ``forms`` [(method, action, {name: [kind, default]})]."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, str, dict]] = []
        self._form = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = ((a.get("method") or "get").lower(), a.get("action") or "", {})
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form[2].setdefault(a["name"], [kind, None])
            else:
                self._form[2][a["name"]] = [kind, a.get("value", "")]
        elif tag == "button" and a.get("value"):
            self._form[2].setdefault(a["name"], ["button", a["value"], []])[2].append(a["value"])
        elif tag == "select":
            self._form[2].setdefault(a["name"], ["select", None])
        elif tag == "textarea":
            self._textarea = self._form[2].setdefault(a["name"], ["textarea", ""])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


class _Options(HTMLParser):
    """The first non-empty option of each select (HTMLParser gives options outside the form parser's state)."""

    def __init__(self):
        super().__init__()
        self.first: dict[str, str] = {}
        self._name = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self._name = a.get("name")
        elif tag == "option" and self._name and a.get("value") and self._name not in self.first:
            self.first[self._name] = a["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._name = None


def _url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


class Fuzzer:
    def __init__(self, client: Client):
        self.client = client
        self.failures: list[str] = []
        self.requests = 0
        self.seen_names: set[str] = set()
        self.fuzzed_forms: set[tuple] = set()
        self.turn = 0

    def _request(self, method: str, path: str, data) -> None:
        self.requests += 1
        try:
            response = getattr(self.client, method)(path, data)
        except Exception as exc:  # the test client re-raises the view's exception: that is a 500
            self.failures.append(f"{method.upper()} {path} {_short(data)}: {type(exc).__name__}: {str(exc)[:200]}")
            return
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {path} {_short(data)}: {response.status_code}")

    def crawl(self) -> list[tuple[str, bytes]]:
        queue, pages, visited = list(SEEDS), [], set()
        while queue and len(pages) < MAX_PAGES:
            path = queue.pop(0)
            name = _url_name(path)
            if not name or path in visited or _skipped(path, name) or name in self.seen_names:
                continue
            visited.add(path)
            self.seen_names.add(name)
            self.requests += 1
            try:
                response = self.client.get(path)
            except Exception as exc:
                self.failures.append(f"GET {path}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            if response.status_code >= 500:
                self.failures.append(f"GET {path}: {response.status_code}")
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages.append((path, response.content))
            parser = _Page()
            parser.feed(response.content.decode(errors="replace"))
            for href in parser.links + [action for _m, action, _f in parser.forms if action]:
                target = urlsplit(href)
                if not target.scheme and target.path.startswith("/"):
                    queue.append(target.path + (f"?{target.query}" if target.query else ""))
        return pages

    def fuzz_page(self, path: str, content: bytes) -> None:
        parser = _Page()
        html = content.decode(errors="replace")
        parser.feed(html)
        options = _Options()
        options.feed(html)
        base = urlsplit(path).path
        get_params = set(QUERY_PARAMS)
        for method, action, fields in parser.forms:
            target = urlsplit(action).path or base
            if method == "get":
                get_params.update(fields)
                continue
            name = _url_name(target)
            key = (name, tuple(sorted(fields)))
            if not name or _skipped(target, name) or key in self.fuzzed_forms:
                continue
            self.fuzzed_forms.add(key)
            self.fuzz_form(target, fields, options.first)
        for index, value in enumerate(HOSTILE):
            if index % 2 == self.turn % 2:  # half the values on each page, the other half on the next
                self._request("get", base, dict.fromkeys(get_params, value))
        self._request("get", base, {param: [HOSTILE[self.turn % len(HOSTILE)], "1"] for param in get_params})
        self.turn += 1

    def fuzz_form(self, target: str, fields: dict, first_options: dict) -> None:
        valid = {}
        files = []
        for field, (kind, default, *_buttons) in fields.items():
            if kind == "file":
                files.append(field)
            elif kind == "select":
                valid[field] = first_options.get(field, "")
            elif default is not None:
                valid[field] = default
        for position, field in enumerate(f for f in fields if f not in files and f != "csrfmiddlewaretoken"):
            for step in range(2):
                value = HOSTILE[(position * 2 + step) % len(HOSTILE)]
                self._request("post", target, {**valid, field: value})
            self._request("post", target, {**valid, field: [HOSTILE[position % len(HOSTILE)], "1"]})
        for value in HOSTILE[:8]:
            self._request("post", target, {field: value for field in fields if field not in files})
        # A form with several submit buttons (the status changes): each button's action with NUL and huge numbers.
        for button, (kind, _first, *values) in fields.items():
            for button_value in values[0] if kind == "button" else ():
                names = {*fields, *EXTRA_POST_FIELDS} - {*files, button, "csrfmiddlewaretoken"}
                for field in sorted(names):
                    for value in ("abc\x00def", "99999999999999999999"):
                        self._request("post", target, {**valid, button: button_value, field: value})
        for field in files:
            for name, body in [("../../hack.pdf\x00.exe", b"MZ\x90\x00"), ("x" * 300 + ".pdf", b"%PDF-1.4"), ("", b"")]:
                upload = SimpleUploadedFile(name or "empty.pdf", body, content_type="application/pdf")
                self._request("post", target, {**valid, field: upload})

    def request_unreached_patterns(self) -> None:
        for route, name, converters in _patterns(get_resolver()):
            if name in self.seen_names or name.split(":")[-1] in SKIPPED_URL_NAMES or route.startswith("admin/"):
                continue
            for value in ["99999999999999999999", "\x00"]:
                path = "/" + route
                for converter in converters:
                    path = path.replace(converter, value if "int:" not in converter or value.isdigit() else "0", 1)
                if path.startswith(SKIPPED_PREFIXES):
                    continue
                self._request("get" if value.isdigit() else "post", path, {"x": value})


def _skipped(path: str, name: str) -> bool:
    return path.startswith(SKIPPED_PREFIXES) or name.split(":")[-1] in SKIPPED_URL_NAMES


def _short(data) -> str:
    text = repr(data)
    return text if len(text) < 160 else text[:160] + "…"


def _patterns(resolver, prefix="", namespace=""):
    """(route with its ``<conv:name>`` parts, view name, the parts) of every pattern."""
    import re

    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            route = prefix + str(entry.pattern)
            if route.startswith("^"):  # a regex pattern (the admin's): not driven here
                continue
            yield route, f"{namespace}{entry.name}", re.findall(r"<[^>]+>", route)


@pytest.fixture
def world(db, settings, tmp_path):
    """One of each object the pages show, in one unit: links and forms to follow."""
    from pilot_portal.campaigns.services import campaign_unit_add, checklist_templates_ensure_defaults
    from pilot_portal.campaigns.tests.factories import CampaignFactory, PilotIssueFactory
    from service_center.models import Status
    from service_center.tests.factories import DossierFactory, ProcedureFactory
    from sessions.tests.factories import AgendaItemFactory, DocumentFactory, ParticipantFactory, SessionFactory
    from units.tests.factories import UnitFactory

    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    unit = UnitFactory()
    checklist_templates_ensure_defaults()
    campaign_unit = campaign_unit_add(campaign=CampaignFactory(province=unit.province), unit=unit)
    PilotIssueFactory(campaign_unit=campaign_unit)
    session = SessionFactory(unit=unit)
    AgendaItemFactory(session=session, order=1, title="Khai mạc", planned_minutes=5)
    DocumentFactory(session=session, title="Dự thảo Quy chế")
    ParticipantFactory(session=session)
    ProcedureFactory()
    DossierFactory(unit=unit, status=Status.PROCESSING)
    return unit


def _users(unit):
    from pilot_portal.accounts.tests.factories import UserFactory

    return {
        "superuser": UserFactory(superuser=True),
        "ward clerk": UserFactory(ward_clerk=True, unit=unit),
        # The one who edits sessions, checklists and issues: the most forms.
        "unit official": UserFactory(unit_official=True, unit=unit),
    }


@pytest.mark.slow
def test_no_page_or_form_answers_hostile_input_with_a_server_error(world):
    from pilot_portal.notifications.tests.factories import NotificationFactory

    report = []
    failures = []
    for role, user in _users(world).items():
        NotificationFactory(recipient=user, link="/units/")
        client = Client()
        client.force_login(user)
        fuzzer = Fuzzer(client)
        for path, content in fuzzer.crawl():
            fuzzer.fuzz_page(path, content)
        fuzzer.request_unreached_patterns()
        report.append(
            f"{role}: {fuzzer.requests} requests, {len(fuzzer.seen_names)} pages, {len(fuzzer.fuzzed_forms)} forms"
        )
        failures += [f"[{role}] {failure}" for failure in fuzzer.failures]
        assert len(fuzzer.seen_names) > 20, report  # the crawl reached the portal, not just the login page
    print(f"\n{connection.vendor}: " + "; ".join(report))
    first_by_endpoint = {}
    for failure in failures:  # one line per role, method and path: every failing endpoint shows
        first_by_endpoint.setdefault(failure.split(" {")[0].split(": ")[0], failure)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(first_by_endpoint.values())


@pytest.mark.slow
def test_no_server_error_on_sqlite(tmp_path):
    """The same test on SQLite (the embedded default), in a child pytest with a SQLite ``DATABASE_URL``."""
    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fuzz.sqlite3'}",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-q",
            "--create-db",
            "-s",
            __file__ + "::test_no_page_or_form_answers_hostile_input_with_a_server_error",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "sqlite:" in result.stdout
