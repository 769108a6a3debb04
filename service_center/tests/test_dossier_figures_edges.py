"""Edges of the dossier figures that mutation testing showed no test held (docs/mutation.md)."""

import datetime as dt

import pytest
from django.utils import timezone

from pilot_portal.core.tests.clock import FROZEN_NOW
from service_center.models import Status
from service_center.selectors import dossier_figures_by_unit

from .factories import DossierEventFactory, DossierFactory

pytestmark = pytest.mark.django_db


def _at(day, hour=9, minute=0):
    return timezone.make_aware(dt.datetime(2025, 6, day, hour, minute))


def _end_of(day):
    return timezone.make_aware(dt.datetime(2025, 6, day + 1, 0, 0))


def _status_on(unit, day):
    return dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(day))[unit.id]


def test_a_dossier_awaiting_a_supplement_now_is_not_overdue_now(unit):
    DossierFactory(unit=unit, status=Status.SUPPLEMENT, due_at=FROZEN_NOW - dt.timedelta(days=2))
    assert dossier_figures_by_unit(unit_ids=[unit.id])[unit.id]["overdue"] == 0


def test_the_status_then_of_a_dossier_comes_from_its_own_history_only(unit):
    waiting = DossierFactory(unit=unit, status=Status.PROCESSING, received_at=_at(16), due_at=_at(18))
    DossierEventFactory(dossier=waiting, at=_at(17), from_status=Status.RECEIVED, to_status=Status.SUPPLEMENT)
    other = DossierFactory(unit=unit, status=Status.PROCESSING, received_at=_at(16), due_at=_at(18))
    DossierEventFactory(dossier=other, at=_at(17, 10), from_status=Status.RECEIVED, to_status=Status.PROCESSING)
    assert _status_on(unit, 19)["overdue"] == 1  # ``other``; ``waiting`` awaited a supplement on the 19th


def test_the_status_then_is_that_of_the_latest_event_by_time_not_by_row_order(unit):
    dossier = DossierFactory(unit=unit, status=Status.PROCESSING, received_at=_at(16), due_at=_at(18))
    DossierEventFactory(dossier=dossier, at=_at(17, 15), from_status=Status.RECEIVED, to_status=Status.SUPPLEMENT)
    # Written later (a higher id) but about an earlier moment.
    DossierEventFactory(dossier=dossier, at=_at(17, 8), from_status="", to_status=Status.PROCESSING)
    assert _status_on(unit, 19)["overdue"] == 0


@pytest.mark.parametrize(
    ("first", "second", "overdue"),
    [(Status.PROCESSING, Status.SUPPLEMENT, 0), (Status.SUPPLEMENT, Status.PROCESSING, 1)],
)
def test_events_at_the_same_moment_are_ordered_by_their_row(unit, first, second, overdue):
    dossier = DossierFactory(unit=unit, status=Status.PROCESSING, received_at=_at(16), due_at=_at(18))
    DossierEventFactory(dossier=dossier, at=_at(17), from_status=Status.RECEIVED, to_status=first)
    DossierEventFactory(dossier=dossier, at=_at(17), from_status=first, to_status=second)
    assert _status_on(unit, 19)["overdue"] == overdue


@pytest.mark.parametrize(
    ("first", "second", "overdue"),
    [(Status.PROCESSING, Status.SUPPLEMENT, 0), (Status.SUPPLEMENT, Status.PROCESSING, 1)],
)
def test_a_tie_in_time_goes_to_the_higher_row_even_when_it_was_written_first(unit, first, second, overdue):
    # An import can write rows out of order: the row with the higher id is stored before the other.
    dossier = DossierFactory(unit=unit, status=Status.PROCESSING, received_at=_at(16), due_at=_at(18))
    DossierEventFactory(id=10**9, dossier=dossier, at=_at(17), from_status=first, to_status=second)
    DossierEventFactory(dossier=dossier, at=_at(17), from_status=Status.RECEIVED, to_status=first)
    assert _status_on(unit, 19)["overdue"] == overdue


def test_an_event_without_a_status_does_not_hide_the_status_then(unit):
    dossier = DossierFactory(unit=unit, status=Status.PROCESSING, received_at=_at(16), due_at=_at(18))
    DossierEventFactory(dossier=dossier, at=_at(17), from_status=Status.RECEIVED, to_status=Status.SUPPLEMENT)
    DossierEventFactory(dossier=dossier, at=_at(18), from_status="", to_status="")
    assert _status_on(unit, 19)["overdue"] == 0


def test_an_apologized_dossier_without_its_original_due_date_keeps_its_due_date(unit):
    # An imported row: apologized after the day, but the due date before the apology was not kept.
    DossierFactory(unit=unit, status=Status.PROCESSING, received_at=_at(16), due_at=_at(18), apologized_at=_at(20))
    assert _status_on(unit, 19)["overdue"] == 1
