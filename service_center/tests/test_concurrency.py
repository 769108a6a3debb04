"""Real concurrent transactions on PostgreSQL: each thread has its own connection."""

import datetime as dt
import threading
import time
import uuid

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from pilot_portal.core.testing import run_together
from service_center.models import Dossier, DossierEvent, Status
from service_center.services import (
    Applicant,
    DossierError,
    dossier_apologize,
    dossier_hand_over,
    dossier_receive,
    dossier_transition,
)

from .factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db(transaction=True)


# Two closing actions: whichever commits second finds a status it cannot leave that way.
def test_two_clerks_moving_the_same_dossier_at_once_exactly_one_wins(ward_clerk, unit_official):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    actors = [ward_clerk, unit_official]
    targets = [Status.REFUSED, Status.WITHDRAWN]

    results = run_together(
        lambda i: dossier_transition(dossier=dossier, to=targets[i], actor=actors[i], note="đồng thời"), 2
    )

    wins = [r for r in results if isinstance(r, Dossier)]
    losses = [r for r in results if isinstance(r, DossierError)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert "Hồ sơ hiện đang ở trạng thái" in str(losses[0])
    dossier.refresh_from_db()
    assert dossier.status == wins[0].status
    assert dossier.events.count() == 1


# The same click twice at once: the second waits for the first's lock, finds the status it asked for, does nothing.
def test_the_same_change_submitted_twice_at_once_is_made_once(ward_clerk, unit_official):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    actors = [ward_clerk, unit_official]

    results = run_together(
        lambda i: dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=actors[i], note="đồng thời"), 2
    )

    assert [type(r) for r in results] == [Dossier, Dossier], results
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert list(dossier.events.values_list("from_status", "to_status")) == [(Status.RECEIVED, Status.PROCESSING)]


def test_concurrent_receipts_get_unique_consecutive_codes(ward_clerk):
    procedure = ProcedureFactory()
    unit = ward_clerk.unit
    count = 6

    results = run_together(
        lambda i: dossier_receive(
            unit=unit,
            procedure=procedure,
            applicant=Applicant(name=f"Công dân {i}", id_number="031190123456"),
            actor=ward_clerk,
        ),
        count,
    )

    assert all(isinstance(r, Dossier) for r in results), results
    numbers = sorted(int(r.code.rsplit("-", 1)[1]) for r in results)
    assert numbers == list(range(1, count + 1))
    assert Dossier.objects.filter(unit=unit).count() == count


def test_a_double_submit_racing_itself_creates_one_dossier(ward_clerk):
    procedure = ProcedureFactory()
    token = uuid.uuid4()

    results = run_together(
        lambda i: dossier_receive(
            unit=ward_clerk.unit,
            procedure=procedure,
            applicant=Applicant(name="Công dân", id_number="031190123456"),
            actor=ward_clerk,
            intake_token=token,
        ),
        2,
    )

    assert all(isinstance(r, Dossier) for r in results), results
    assert results[0].pk == results[1].pk
    assert Dossier.objects.count() == 1


# "Refuse" clicked on a Received page while another clerk moves the dossier to processing: the refusal was meant
# for a received dossier and is refused, whichever order the two commits come in.
def test_a_change_made_from_a_page_another_clerk_made_stale_is_refused(ward_clerk, unit_official):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    clicks = [
        {"to": Status.PROCESSING, "actor": unit_official, "note": ""},
        {"to": Status.REFUSED, "actor": ward_clerk, "note": "Thiếu tờ khai"},
    ]

    results = run_together(
        lambda i: dossier_transition(dossier=dossier, expected_status=Status.RECEIVED, **clicks[i]), 2
    )

    assert sorted(type(r).__name__ for r in results) == ["Dossier", "DossierError"], results
    dossier.refresh_from_db()
    assert dossier.status in (Status.PROCESSING, Status.REFUSED)
    assert dossier.events.count() == 1


# The second change waits for the first one's lock: its time is taken after the lock, so the history is in order.
def test_events_of_changes_that_waited_for_the_lock_are_stamped_in_order(ward_clerk, unit_official):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    first_holds_the_lock = threading.Event()

    def worker(i):
        if i == 0:
            with transaction.atomic():
                Dossier.objects.select_for_update().get(pk=dossier.pk)
                first_holds_the_lock.set()
                time.sleep(0.3)
                return dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=unit_official)
        first_holds_the_lock.wait(5)
        return dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=ward_clerk, note="Thiếu bản sao")

    with time_machine.travel(timezone.now(), tick=True):  # the clock runs while the second one waits
        results = run_together(worker, 2)

    assert [type(r) for r in results] == [Dossier, Dossier], results
    events = list(dossier.events.order_by("id").values_list("to_status", "at"))
    assert [status for status, _at in events] == [Status.PROCESSING, Status.SUPPLEMENT]
    assert events[0][1] < events[1][1]


def test_an_apology_and_a_hand_over_wait_for_the_lock_and_stamp_their_time_after_it(ward_clerk, unit_official):
    dossier = DossierFactory(
        unit=ward_clerk.unit, status=Status.PROCESSING, due_at=timezone.now() + dt.timedelta(days=5)
    )
    first_holds_the_lock = threading.Event()

    def worker(i):
        if i == 0:
            with transaction.atomic():
                Dossier.objects.select_for_update().get(pk=dossier.pk)
                first_holds_the_lock.set()
                time.sleep(0.3)
                return dossier_hand_over(dossier=dossier, to_user=unit_official, actor=ward_clerk)
        first_holds_the_lock.wait(5)
        return dossier_apologize(
            dossier=dossier,
            new_due_at=timezone.now() + dt.timedelta(days=9),
            actor=ward_clerk,
            reason="Chờ xác minh",
            expected_status=Status.PROCESSING,
        )

    with time_machine.travel(timezone.now(), tick=True):  # the clock runs while the second one waits
        results = run_together(worker, 2)

    assert not any(isinstance(r, Exception) for r in results), results
    events = list(dossier.events.order_by("id").values_list("kind", "at"))
    assert [kind for kind, _at in events] == [DossierEvent.Kind.HANDOVER, DossierEvent.Kind.APOLOGY]
    assert events[0][1] < events[1][1]
