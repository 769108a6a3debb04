"""Fuzz: as each role, crawl the portal from its start pages (``test_hostile_requests.Fuzzer``), then send every
hostile value of that test's table and Hypothesis-generated text, numbers and dates to every query parameter of
every page reached (each parameter alone, then all at once) and to every field of every form found (each field
alone, the others as the page filled them in; then all at once; arrays for scalars; each submit button). Unlike
the test, the sign-in, password and token pages are driven too (the log-out is not). Any 5xx is a failure."""

from __future__ import annotations

import warnings
from urllib.parse import urlsplit

ROLES = (
    "superuser",
    "national viewer",
    "province staff (own)",
    "unit official",
    "ward clerk",
    "delegate",
    "no role",
    "anonymous",
)
QUICK_ROLES = ("superuser", "unit official", "ward clerk", "anonymous")
EXTRA_SEEDS = ["/tra-cuu/", "/accounts/login/", "/accounts/tokens/", "/accounts/password/", "/campaigns/national/"]


def generated_values(count: int) -> list[str]:
    """Text of any Unicode character but surrogates, numbers past 64 bits, odd dates and floats."""
    import datetime as dt

    from hypothesis import strategies as st
    from hypothesis.errors import NonInteractiveExampleWarning

    from pilot_portal.core.tests.strategies import names

    strategy = st.one_of(
        st.text(max_size=80),
        names,
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
        st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")),
        st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        return [strategy.example() for _ in range(count)]


def make_fuzzer(client, values: list[str], per_field: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pilot_portal.core.tests import test_hostile_requests as base

    class AuditFuzzer(base.Fuzzer):
        """The test's fuzzer with every value of ``values`` (``per_field`` of them per field, rotating)."""

        def _values(self, position: int) -> list[str]:
            start = (position * per_field) % len(values)
            return [values[(start + i) % len(values)] for i in range(per_field)]

        def fuzz_page(self, path: str, content: bytes) -> None:
            parser = base._Page()
            html = content.decode(errors="replace")
            parser.feed(html)
            options = base._Options()
            options.feed(html)
            target_path = urlsplit(path).path
            params = set(base.QUERY_PARAMS)
            for method, action, fields in parser.forms:
                target = urlsplit(action).path or target_path
                if method == "get":
                    params.update(f for f in fields if f != "csrfmiddlewaretoken")
                    continue
                name = base._url_name(target)
                key = (name, tuple(sorted(fields)))
                if not name or base._skipped(target, name) or key in self.fuzzed_forms:
                    continue
                self.fuzzed_forms.add(key)
                self.fuzz_form(target, fields, options.first)
            for position, param in enumerate(sorted(params)):
                for value in self._values(position + self.turn):
                    self._request("get", target_path, {param: value})
            for value in self._values(self.turn):
                self._request("get", target_path, dict.fromkeys(params, value))
            self._request("get", target_path, {param: [values[self.turn % len(values)], "1"] for param in params})
            self.turn += 1

        def fuzz_form(self, target: str, fields: dict, first_options: dict) -> None:
            valid, files = {}, []
            for field, (kind, default, *_buttons) in fields.items():
                if kind == "file":
                    files.append(field)
                elif kind == "select":
                    valid[field] = first_options.get(field, "")
                elif default is not None:
                    valid[field] = default
            names = [f for f in fields if f not in files and f != "csrfmiddlewaretoken"]
            for position, field in enumerate(names):
                for value in self._values(position):
                    self._request("post", target, {**valid, field: value})
                self._request("post", target, {**valid, field: [values[position % len(values)], "1"]})
            for value in self._values(len(names)):
                self._request("post", target, {field: value for field in fields if field not in files})
            for button, (kind, _first, *choices) in fields.items():
                for button_value in choices[0] if kind == "button" else ():
                    for field in sorted({*names, *base.EXTRA_POST_FIELDS} - {button}):
                        for value in ("abc\x00def", "99999999999999999999", "x" * 10_000):
                            self._request("post", target, {**valid, button: button_value, field: value})
            for field in files:  # the upload section sends the hostile files; here the form must hold up
                upload = SimpleUploadedFile("\x00.pdf", b"MZ\x90\x00", content_type="application/pdf")
                self._request("post", target, {**valid, field: upload})

    return AuditFuzzer(client)


def run(world, *, quick: bool = False, **_options) -> dict:
    from django.test import Client

    from pilot_portal.core.tests import test_hostile_requests as base

    base.SKIPPED_PREFIXES = ("/admin/", "/static/", "/accounts/logout/")  # drive the sign-in and token pages too
    base.SEEDS = base.SEEDS + [s for s in EXTRA_SEEDS if s not in base.SEEDS]
    values = list(base.HOSTILE) + generated_values(6 if quick else 30)
    per_field = 1 if quick else 4
    tried, pages, forms, failures, per_role = 0, 0, 0, [], {}
    for role in QUICK_ROLES if quick else ROLES:
        client = Client()
        user = world.users.get(role)
        if user is not None:
            client.force_login(user)
        fuzzer = make_fuzzer(client, values, per_field)
        for path, content in fuzzer.crawl():
            fuzzer.fuzz_page(path, content)
        fuzzer.request_unreached_patterns()
        tried += fuzzer.requests
        pages += len(fuzzer.seen_names)
        forms += len(fuzzer.fuzzed_forms)
        per_role[role] = fuzzer.requests
        failures += [f"[{role}] {failure}" for failure in fuzzer.failures]
    first = {}
    for failure in failures:  # one line per role, method and path
        first.setdefault(failure.split(" {")[0].split(": ")[0], failure)
    return {
        "tried": tried,
        "values": len(values),
        "pages": pages,
        "forms": forms,
        "per_role": per_role,
        "errors": list(first.values()),
        "error_count": len(failures),
    }
