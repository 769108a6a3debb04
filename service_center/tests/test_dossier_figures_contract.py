import datetime as dt

import pytest
from django.utils import timezone

from pilot_portal.core.tests.clock import FROZEN_NOW
from service_center.models import Status
from service_center.selectors import dossier_figures_by_unit

from .factories import DossierEventFactory, DossierFactory

pytestmark = pytest.mark.django_db

NOW = FROZEN_NOW  # the tests here run on the frozen clock (conftest.py)


def test_figures_cover_every_unit_even_without_dossiers(unit, other_unit):
    figures = dossier_figures_by_unit(unit_ids=[unit.id, other_unit.id])
    assert figures[other_unit.id] == {
        "received": 0,
        "returned": 0,
        "test_returned": 0,
        "open": 0,
        "overdue": 0,
        "finished": 0,
        "finished_late": 0,
        "on_time_rate": None,
    }


def test_figures_count_returned_test_open_overdue_and_late(unit, other_unit, django_assert_num_queries):
    due = NOW - dt.timedelta(days=2)
    DossierFactory(unit=unit, status=Status.RETURNED, is_test=True, due_at=due, closed_at=due - dt.timedelta(days=1))
    DossierFactory(unit=unit, status=Status.RETURNED, due_at=due, closed_at=due + dt.timedelta(days=1))
    DossierFactory(unit=unit, status=Status.DONE, due_at=due, closed_at=due)
    DossierFactory(unit=unit, status=Status.PROCESSING, due_at=due)
    DossierFactory(unit=unit, status=Status.SUPPLEMENT, due_at=due)  # clock stopped: not overdue
    DossierFactory(unit=unit, status=Status.REFUSED, closed_at=NOW)
    DossierFactory(unit=other_unit, status=Status.RECEIVED)
    with django_assert_num_queries(1):
        figures = dossier_figures_by_unit(unit_ids=[unit.id, other_unit.id])
    assert figures[unit.id] == {
        "received": 6,
        "returned": 2,
        "test_returned": 1,
        "open": 2,
        "overdue": 1,
        "finished": 3,
        "finished_late": 1,
        "on_time_rate": pytest.approx(66.7),
    }
    assert figures[other_unit.id]["open"] == 1
    assert dossier_figures_by_unit(unit_ids=[unit.id], until=due - dt.timedelta(days=1))[unit.id]["overdue"] == 0


# --- As of a moment (``until``): the figures as they stood then ---------------------------------------------------


def _at(day, hour=9):
    return timezone.make_aware(dt.datetime(2025, 6, day, hour, 0))


def _end_of(day):
    """The end of a June 2025 day in the portal's time zone."""
    return timezone.make_aware(dt.datetime(2025, 6, day + 1, 0, 0))


def test_a_test_dossier_counts_as_returned_only_from_its_return(unit):
    DossierFactory(
        unit=unit,
        is_test=True,
        status=Status.RETURNED,
        received_at=_at(16),
        due_at=_at(19),
        closed_at=_at(17, 10),
        returned_at=_at(18, 8),
    )
    DossierFactory(unit=unit, received_at=_at(18))  # not received yet on the 16th or 17th
    before = dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(16))[unit.id]
    assert before == {
        "received": 1,
        "returned": 0,
        "test_returned": 0,
        "open": 1,
        "overdue": 0,
        "finished": 0,
        "finished_late": 0,
        "on_time_rate": None,
    }
    done_not_returned = dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(17))[unit.id]
    assert (done_not_returned["open"], done_not_returned["test_returned"]) == (0, 0)
    assert done_not_returned["on_time_rate"] == 100.0
    after = dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(18))[unit.id]
    assert (after["received"], after["returned"], after["test_returned"], after["open"]) == (2, 1, 1, 1)


def test_a_returned_dossier_without_a_return_time_counts_from_its_closing(unit):
    DossierFactory(unit=unit, is_test=True, status=Status.RETURNED, received_at=_at(16), closed_at=_at(17))
    assert dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(16))[unit.id]["test_returned"] == 0
    assert dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(17))[unit.id]["test_returned"] == 1


def test_overdue_and_late_as_of_a_day(unit):
    # Due on the 18th, finished on the 20th: open and overdue on the 19th, finished late from the 20th.
    DossierFactory(unit=unit, status=Status.DONE, received_at=_at(16), due_at=_at(18), closed_at=_at(20))
    by_day = {day: dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(day))[unit.id] for day in (17, 19, 20)}
    assert (by_day[17]["open"], by_day[17]["overdue"], by_day[17]["finished_late"]) == (1, 0, 0)
    assert (by_day[19]["open"], by_day[19]["overdue"], by_day[19]["finished_late"]) == (1, 1, 0)
    assert (by_day[20]["open"], by_day[20]["overdue"], by_day[20]["finished_late"]) == (0, 0, 1)
    assert by_day[19]["on_time_rate"] is None
    assert by_day[20]["on_time_rate"] == 0.0


def test_awaiting_a_supplement_then_is_not_overdue_then(unit):
    """The status on the day comes from the dossier's history, not from its status now."""
    dossier = DossierFactory(unit=unit, status=Status.PROCESSING, received_at=_at(16), due_at=_at(18))
    for at, from_status, to_status in [
        (_at(16), "", Status.RECEIVED),
        (_at(17), Status.RECEIVED, Status.SUPPLEMENT),
        (_at(20), Status.SUPPLEMENT, Status.PROCESSING),
    ]:
        DossierEventFactory(dossier=dossier, at=at, from_status=from_status, to_status=to_status)
    assert dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(19))[unit.id]["overdue"] == 0
    assert dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(20))[unit.id]["overdue"] == 1


def test_an_apology_sent_after_the_day_does_not_move_that_day_s_due_date(unit):
    DossierFactory(
        unit=unit,
        status=Status.PROCESSING,
        received_at=_at(16),
        original_due_at=_at(18),
        due_at=_at(25),
        apologized_at=_at(20),
    )
    assert dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(19))[unit.id]["overdue"] == 1
    assert dossier_figures_by_unit(unit_ids=[unit.id], until=_end_of(20))[unit.id]["overdue"] == 0


@pytest.mark.parametrize("units", [2, 12])
def test_as_of_figures_take_one_query_whatever_the_number_of_units(django_assert_num_queries, units):
    unit_ids = []
    for dossier in DossierFactory.create_batch(units, received_at=_at(16), due_at=_at(18)):
        unit_ids.append(dossier.unit_id)
        DossierEventFactory(dossier=dossier, at=_at(16), to_status=Status.RECEIVED)
    with django_assert_num_queries(1):
        figures = dossier_figures_by_unit(unit_ids=unit_ids, until=_end_of(19))
    assert sum(f["overdue"] for f in figures.values()) == units
