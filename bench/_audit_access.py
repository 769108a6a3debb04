"""Access: every URL pattern x every role x objects of the own unit, of another unit of the province and of another
province. A 5xx is a failure; a 200 whose body (unzipped for .docx/.xlsx) holds a marker the role may not read is
a leak; a change in the records of a unit outside the role's units (a hash of their rows before and after the
role's requests) is a write that should have been refused."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter

from bench._audit_world import UNITS, World, fingerprints, visible_markers

ROLES = (
    "superuser",
    "national viewer",
    "province staff (own)",
    "province staff (other)",
    "unit official",
    "ward clerk",
    "delegate",
    "no role",
    "anonymous",
)
SKIPPED = {"accounts:logout", "sessions:live_events", "set_language"}
#: The units whose objects each role works on (superusers write everywhere; national viewers write nowhere).
UNITS_OF_ROLE = {
    "superuser": set(UNITS),
    "province staff (own)": {"AA", "AC"},
    "province staff (other)": {"BB"},
    "unit official": {"AA"},
    "ward clerk": {"AA"},
    "delegate": {"AA"},
}
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def patterns():
    from django.urls import get_resolver

    from pilot_portal.core.tests.test_hostile_requests import _patterns

    for route, name, _converters in _patterns(get_resolver()):
        if route.startswith("admin/") or name in SKIPPED:
            continue
        yield route, name


def _value(world: World, name: str, param: str, tag: str, user) -> str | None:
    objects = world.objects[tag]
    app = name.split(":")[0]
    if param == "code":
        return objects["unit"] if app == "units" or name == "api:unit" else objects["dossier"]
    if param == "pk":
        if name == "notifications:read":
            owner = user.username if user is not None and tag == "AA" else world.clerk_b.username
            return world.objects["notification"][owner]
        if name == "api_tokens:revoke":
            owner = user.username if user is not None and tag == "AA" else world.clerk_b.username
            return world.tokens[owner].token.pk
        if app == "sessions":
            return objects["session"]
        if name.startswith("campaigns:unit") or name == "campaigns:issue_create":
            return objects["campaign_unit"]
        if name.startswith("campaigns:item"):
            return objects["item"]
        if name.startswith("campaigns:issue") and name != "campaigns:issues":
            return objects["issue"]
        return objects["campaign"]
    table = {
        "document_pk": "document",
        "participant_pk": "participant",
        "outcome_pk": "outcome",
        "item_pk": "agenda",
        "speech_pk": "speech",
        "version_pk": "version",
        "token": "backlog",
        "session_id": "session",
        "campaign_id": "campaign",
    }
    if param in table:
        return objects[table[param]]
    return {"action": "start", "number": "01", "fmt": "csv"}.get(param)


def fill(world: World, route: str, name: str, tag: str, user) -> str:
    return "/" + _PARAM.sub(lambda m: str(_value(world, name, m.group(2), tag, user)), route)


def _texts(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body += b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
        except zipfile.BadZipFile:
            pass
    return body


def run(world: World, **_options) -> dict:
    from django.test import Client

    tried = 0
    statuses: Counter = Counter()
    per_role: dict[str, Counter] = {}
    errors, leaks, writes = [], [], []
    all_patterns = list(patterns())
    for role in ROLES:
        user = world.users.get(role)
        client = Client(raise_request_exception=False)
        headers = {}
        if user is not None:
            client.force_login(user)
            headers = {"Authorization": f"Bearer {world.tokens[user.username].raw}"}
        allowed = visible_markers(world, role)
        forbidden = [m.encode() for m in world.markers if m not in allowed]
        counts = per_role.setdefault(role, Counter())
        before = fingerprints(world)
        for route, name in all_patterns:
            fillings = UNITS if "<" in route else ("-",)
            for tag in fillings:
                path = fill(world, route, name, tag, user) if tag != "-" else "/" + route
                for method in ("get", "post"):
                    if name == "api_tokens:revoke" and method == "post" and tag == "AA":
                        continue  # revoking one's own token would end the role's API requests
                    tried += 1
                    response = getattr(client, method)(path, headers=headers)
                    code = response.status_code
                    statuses[code] += 1
                    counts[code] += 1
                    where = f"{method.upper()} {path} [{role}]"
                    if code >= 500:
                        errors.append(f"{where}: {code}")
                        continue
                    if code == 200:
                        body = _texts(response)
                        found = sorted({m.decode() for m in forbidden if m in body})
                        if found:
                            leaks.append(f"{where}: {', '.join(found[:4])}")
        after = fingerprints(world)
        for tag in UNITS:
            if before[tag] != after[tag] and tag not in UNITS_OF_ROLE.get(role, ()):
                writes.append(f"[{role}] changed records of unit {tag}")
    return {
        "tried": tried,
        "patterns": len(all_patterns),
        "statuses": dict(sorted(statuses.items())),
        "per_role": {role: dict(sorted(c.items())) for role, c in per_role.items()},
        "errors": errors,
        "leaks": leaks,
        "writes": writes,
    }
