import datetime as dt

import pytest
from django.utils import timezone

from sessions.models import Session
from sessions.selectors import session_figures_by_unit
from units.tests.factories import UnitFactory

from .factories import AgendaItemFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _closed(session, minutes):
    start = timezone.make_aware(dt.datetime(2025, 6, 16, 8, 0))
    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.CLOSED, actual_start=start, actual_end=start + dt.timedelta(minutes=minutes)
    )


def test_figures_cover_every_unit_even_without_sessions(unit, other_unit):
    figures = session_figures_by_unit(unit_ids=[unit.pk, other_unit.pk])
    assert figures == {
        unit.pk: {"first_hdnd_closed": False, "first_ubnd_closed": False, "sessions": []},
        other_unit.pk: {"first_hdnd_closed": False, "first_ubnd_closed": False, "sessions": []},
    }


def test_figures_report_closed_first_sessions_planned_actual_and_overrun(unit):
    hdnd = SessionFactory(
        unit=unit, kind=Session.Kind.HDND, number=1, budget_minutes=45, lessons_good="Gọn", lessons_fix="Âm thanh"
    )
    AgendaItemFactory.create_batch(2, session=hdnd, planned_minutes=20)
    _closed(hdnd, 52)
    rehearsal = SessionFactory(unit=unit, kind=Session.Kind.UBND, number=1, is_rehearsal=True)
    _closed(rehearsal, 30)
    figures = session_figures_by_unit(unit_ids=[unit.pk])[unit.pk]
    assert figures["first_hdnd_closed"] is True
    assert figures["first_ubnd_closed"] is False  # a rehearsal does not count
    first = figures["sessions"][0]
    assert first["kind"] == "hdnd"
    assert first["planned_minutes"] == 40
    assert first["actual_minutes"] == 52
    assert first["overrun_minutes"] == 7
    assert (first["lessons_good"], first["lessons_fix"]) == ("Gọn", "Âm thanh")
    assert figures["sessions"][1]["is_rehearsal"] is True


def test_open_session_has_no_actual_minutes_and_no_overrun(unit):
    SessionFactory(unit=unit)
    entry = session_figures_by_unit(unit_ids=[unit.pk])[unit.pk]["sessions"][0]
    assert entry["actual_minutes"] is None
    assert entry["overrun_minutes"] == 0
    assert entry["status"] == "draft"


@pytest.mark.parametrize("units", [2, 12])
def test_figures_run_a_constant_number_of_queries(django_assert_num_queries, units):
    unit_ids = []
    for unit in UnitFactory.create_batch(units):
        unit_ids.append(unit.pk)
        for session in SessionFactory.create_batch(2, unit=unit):
            AgendaItemFactory.create_batch(2, session=session)
    with django_assert_num_queries(1):
        figures = session_figures_by_unit(unit_ids=unit_ids)
    assert sum(len(f["sessions"]) for f in figures.values()) == units * 2
