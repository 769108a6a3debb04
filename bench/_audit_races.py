"""Races (PostgreSQL): two users click at the same moment, through the pages, each thread with its own database
connection (``pilot_portal.core.testing.run_together``: a barrier releases both requests).

- ``refuse / processing``: a received dossier; one clerk moves it to processing, the other refuses it (confirmed),
  both from the Received page. Right: exactly one change, one event; the other clerk gets a message.
- ``same change twice``: both move it to processing. Right: one event, both land on the dossier.
- ``apology / hand-over``: a dossier in processing; one clerk sends the apology, the other hands it over. Right: both
  recorded, events in commit order.
- ``evidence / evidence``: two users save the same checklist item's evidence note from the same form. Right: one
  saved, the other told (the form's version); a *lost update* is two successes or a note neither of them sees.

*Out of order*: events of a dossier whose times do not grow with their ids.
"""

from __future__ import annotations

import datetime as dt

KINDS = {"refuse / processing": 40, "same change twice": 35, "apology / hand-over": 35, "evidence / evidence": 35}


def _client(user):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _in_order(dossier) -> bool:
    times = list(dossier.events.order_by("id").values_list("at", flat=True))
    return times == sorted(times)


def _dossier_round(kind: str, clerks, unit, official) -> tuple[bool, bool, str]:
    """(right outcome, events in order, what happened)."""
    from django.utils import timezone

    from pilot_portal.core.testing import run_together
    from service_center.models import Status
    from service_center.tests.factories import DossierFactory

    start = Status.PROCESSING if kind == "apology / hand-over" else Status.RECEIVED
    dossier = DossierFactory(unit=unit, status=start, due_at=timezone.now() + dt.timedelta(days=5))
    base = f"/service-center/dossiers/{dossier.code}"
    if kind == "refuse / processing":
        posts = [
            (f"{base}/transition/", {"to": Status.PROCESSING, "seen": Status.RECEIVED}),
            (f"{base}/transition/", {"to": Status.REFUSED, "seen": Status.RECEIVED, "confirmed": "1", "note": "Thiếu"}),
        ]
    elif kind == "same change twice":
        posts = [(f"{base}/transition/", {"to": Status.PROCESSING, "seen": Status.RECEIVED})] * 2
    else:
        new_due = timezone.localtime(timezone.now() + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
        posts = [
            (f"{base}/apology/", {"new_due_at": new_due, "reason": "Chờ xác minh", "seen": Status.PROCESSING}),
            (f"{base}/handover/", {"to_user": official.pk, "note": "Bàn giao", "seen": Status.PROCESSING}),
        ]
    clients = [_client(clerk) for clerk in clerks]
    responses = run_together(lambda i: clients[i].post(posts[i][0], posts[i][1]), 2)
    codes = [getattr(r, "status_code", repr(r)) for r in responses]
    dossier.refresh_from_db()
    events = dossier.events.count()
    if kind == "refuse / processing":
        right = events == 1 and sorted(codes) == [200, 302]
    elif kind == "same change twice":
        right = events == 1 and codes == [302, 302] and dossier.status == Status.PROCESSING
    else:
        right = events == 2 and codes == [302, 302] and dossier.apologized_at is not None
    return right, _in_order(dossier), f"{kind}: {dossier.code} answers {codes}, {events} events, {dossier.status}"


def _evidence_round(n: int, users, item_pk: int) -> tuple[bool, bool, str]:
    """(no lost update, right outcome, what happened)."""
    import re

    from pilot_portal.campaigns.models import ChecklistItem
    from pilot_portal.core.testing import run_together

    clients = [_client(user) for user in users]
    page = clients[0].get(f"/campaigns/items/{item_pk}/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    status = ChecklistItem.objects.get(pk=item_pk).status
    notes = [f"Ghi chú {n} của người thứ {i + 1}" for i in range(2)]
    responses = run_together(
        lambda i: clients[i].post(
            f"/campaigns/items/{item_pk}/", {"status": status, "evidence_note": notes[i], "version": version}
        ),
        2,
    )
    codes = [getattr(r, "status_code", repr(r)) for r in responses]
    saved = ChecklistItem.objects.get(pk=item_pk).evidence_note
    winners = [notes[i] for i, code in enumerate(codes) if code == 302]
    told = all(
        code == 302 or "Người khác vừa lưu việc này" in _text(r) for r, code in zip(responses, codes, strict=True)
    )
    no_lost_update = len(winners) == 1 and saved == winners[0]
    return no_lost_update, no_lost_update and told, f"evidence: item {item_pk} answers {codes}, saved {saved!r}"


def _text(response) -> str:
    return getattr(response, "content", b"").decode(errors="replace")


def run(world, *, quick: bool = False, **_options) -> dict:
    from pilot_portal.accounts.tests.factories import UserFactory
    from pilot_portal.campaigns.models import ChecklistItem

    unit = world.units["AA"]
    official = world.users["unit official"]
    clerks = [world.users["ward clerk"], UserFactory(username="audit.clerk2.aa", ward_clerk=True, unit=unit)]
    officials = [official, UserFactory(username="audit.official2.aa", unit_official=True, unit=unit)]
    item = (
        ChecklistItem.objects.filter(campaign_unit__unit=unit, derived_source="")
        .exclude(pk=world.objects["AA"]["item"])
        .first()
    )
    rounds, wrong, lost, out_of_order, details = 0, [], 0, [], {}
    for kind, count in KINDS.items():
        count = max(3, count // 10) if quick else count
        wrong_here = 0
        for n in range(count):
            rounds += 1
            if kind == "evidence / evidence":
                no_lost, right, what = _evidence_round(n, officials, item.pk)
                lost += not no_lost
                in_order = True
            else:
                right, in_order, what = _dossier_round(kind, clerks, unit, official)
            if not right:
                wrong.append(what)
                wrong_here += 1
            if not in_order:
                out_of_order.append(what)
        details[kind] = {"rounds": count, "wrong": wrong_here}
    return {
        "rounds": rounds,
        "by_kind": details,
        "wrong": wrong,
        "lost_updates": lost,
        "out_of_order": out_of_order,
    }
