import datetime as dt

import pytest
from django.utils import timezone

from service_center.models import Status
from service_center.selectors import dossier_figures_by_unit

from .factories import DossierFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def test_figures_cover_every_unit_even_without_dossiers(unit, other_unit):
    figures = dossier_figures_by_unit(unit_ids=[unit.id, other_unit.id])
    assert figures[other_unit.id] == {
        "received": 0,
        "returned": 0,
        "test_returned": 0,
        "open": 0,
        "overdue": 0,
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
        "finished_late": 1,
        "on_time_rate": pytest.approx(66.7),
    }
    assert figures[other_unit.id]["open"] == 1
    assert dossier_figures_by_unit(unit_ids=[unit.id], until=due - dt.timedelta(days=1))[unit.id]["overdue"] == 0
