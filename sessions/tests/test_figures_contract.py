import datetime as dt

import pytest
from django.utils import timezone

from sessions.models import Session, SessionEvent
from sessions.selectors import first_sessions_closed_by_unit, session_figures_by_unit
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


# --- As of a moment (``until``): the figures as they stood then ---------------------------------------------------


def _at(day, hour=8, minute=0):
    return timezone.make_aware(dt.datetime(2025, 6, day, hour, minute))


def _end_of(day):
    """The end of a June 2025 day in the portal's time zone."""
    return timezone.make_aware(dt.datetime(2025, 6, day + 1, 0, 0))


def _history(session, *changes):
    """Logged status changes ``(at, from, to)``, created before ``session`` (the log stamps "now" on save)."""
    Session.objects.filter(pk=session.pk).update(created_at=changes[0][0])
    for at, from_status, to_status in changes:
        event = SessionEvent.objects.create(session=session, from_status=from_status, to_status=to_status)
        SessionEvent.objects.filter(pk=event.pk).update(at=at)


def test_a_first_session_counts_as_closed_only_from_its_end(unit):
    session = SessionFactory(
        unit=unit, kind=Session.Kind.HDND, number=1, budget_minutes=45, lessons_good="Gọn", lessons_fix="Âm thanh"
    )
    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.CLOSED, actual_start=_at(16, 8), actual_end=_at(16, 8, 52)
    )
    _history(
        session,
        (_at(10), "", Session.Status.DRAFT),
        (_at(12), Session.Status.DRAFT, Session.Status.PUBLISHED),
        (_at(16, 8), Session.Status.PUBLISHED, Session.Status.IN_PROGRESS),
        (_at(16, 8, 52), Session.Status.IN_PROGRESS, Session.Status.CLOSED),
    )
    before = session_figures_by_unit(unit_ids=[unit.pk], until=_end_of(15))[unit.pk]
    assert before["first_hdnd_closed"] is False
    (entry,) = before["sessions"]
    assert entry["status"] == Session.Status.PUBLISHED
    assert (entry["actual_minutes"], entry["overrun_minutes"]) == (None, 0)
    assert (entry["lessons_good"], entry["lessons_fix"]) == ("", "")  # written at the closing, after that day
    after = session_figures_by_unit(unit_ids=[unit.pk], until=_end_of(16))[unit.pk]
    assert after["first_hdnd_closed"] is True
    (entry,) = after["sessions"]
    assert entry["status"] == Session.Status.CLOSED
    assert (entry["actual_minutes"], entry["overrun_minutes"]) == (52, 7)
    assert (entry["lessons_good"], entry["lessons_fix"]) == ("Gọn", "Âm thanh")
    assert session_figures_by_unit(unit_ids=[unit.pk])[unit.pk] == after


def test_a_session_running_at_the_end_of_the_day_is_in_progress_then(unit):
    session = SessionFactory(unit=unit, kind=Session.Kind.UBND, number=1)
    # No logged history (a row written directly): the times tell the story.
    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.CLOSED, actual_start=_at(16, 23, 30), actual_end=_at(17, 0, 20)
    )
    then = session_figures_by_unit(unit_ids=[unit.pk], until=_end_of(16))[unit.pk]
    assert then["first_ubnd_closed"] is False
    assert then["sessions"][0]["status"] == Session.Status.IN_PROGRESS
    assert session_figures_by_unit(unit_ids=[unit.pk], until=_end_of(17))[unit.pk]["first_ubnd_closed"] is True


@pytest.mark.usefixtures("frozen_now")
def test_sessions_created_after_the_day_are_left_out_and_a_later_cancellation_is_not_seen(unit):
    SessionFactory(unit=unit, number=2)  # created now (15/7/2025), after the 16/6 the figures are asked for
    cancelled = SessionFactory(unit=unit, number=3)
    Session.objects.filter(pk=cancelled.pk).update(status=Session.Status.CANCELLED)
    _history(
        cancelled,
        (_at(10), "", Session.Status.DRAFT),
        (_at(12), Session.Status.DRAFT, Session.Status.PUBLISHED),
        (_at(20), Session.Status.PUBLISHED, Session.Status.CANCELLED),
    )
    then = session_figures_by_unit(unit_ids=[unit.pk], until=_end_of(16))[unit.pk]["sessions"]
    assert [(s["id"], s["status"]) for s in then] == [(cancelled.pk, Session.Status.PUBLISHED)]
    assert len(session_figures_by_unit(unit_ids=[unit.pk])[unit.pk]["sessions"]) == 2


@pytest.mark.parametrize("units", [2, 12])
def test_as_of_figures_run_a_constant_number_of_queries(django_assert_num_queries, units):
    unit_ids = []
    for unit in UnitFactory.create_batch(units):
        unit_ids.append(unit.pk)
        for session in SessionFactory.create_batch(2, unit=unit):
            AgendaItemFactory.create_batch(2, session=session)
            _history(session, (_at(10), "", Session.Status.DRAFT))
    with django_assert_num_queries(1):
        figures = session_figures_by_unit(unit_ids=unit_ids, until=_end_of(16))
    assert sum(len(f["sessions"]) for f in figures.values()) == units * 2


def _flags(figures: dict) -> dict:
    return {uid: (f["first_hdnd_closed"], f["first_ubnd_closed"]) for uid, f in figures.items()}


def test_first_sessions_flags_agree_with_the_full_figures_in_one_query(unit, other_unit, django_assert_num_queries):
    hdnd = SessionFactory(unit=unit, kind=Session.Kind.HDND, number=1)
    Session.objects.filter(pk=hdnd.pk).update(
        status=Session.Status.CLOSED, actual_start=_at(16, 8), actual_end=_at(16, 8, 40)
    )
    logged_only = SessionFactory(unit=other_unit, kind=Session.Kind.UBND, number=1)  # closed, no end time
    Session.objects.filter(pk=logged_only.pk).update(status=Session.Status.CLOSED)
    _history(logged_only, (_at(17, 9), Session.Status.IN_PROGRESS, Session.Status.CLOSED))
    rehearsal = SessionFactory(unit=other_unit, kind=Session.Kind.HDND, number=1, is_rehearsal=True)
    _closed(rehearsal, 30)  # a rehearsal never counts
    second = SessionFactory(unit=other_unit, kind=Session.Kind.HDND, number=2)
    _closed(second, 30)  # nor a second session
    ids = [unit.pk, other_unit.pk]
    for until in (None, _end_of(15), _end_of(16), _end_of(17)):
        with django_assert_num_queries(1):
            flags = first_sessions_closed_by_unit(unit_ids=ids, until=until)
        assert _flags(flags) == _flags(session_figures_by_unit(unit_ids=ids, until=until)), until
    assert _flags(first_sessions_closed_by_unit(unit_ids=ids, until=_end_of(16))) == {
        unit.pk: (True, False),
        other_unit.pk: (False, False),
    }
    assert _flags(first_sessions_closed_by_unit(unit_ids=ids)) == {unit.pk: (True, False), other_unit.pk: (False, True)}
