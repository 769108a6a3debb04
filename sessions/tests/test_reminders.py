"""Reminder rules of the first sessions: two days before (what is missing) and not closed a day after."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.notifications import sweeps
from pilot_portal.notifications.models import Kind, Notification
from sessions.models import Session
from sessions.tests.factories import AgendaItemFactory, DocumentFactory, SessionFactory
from sessions.tests.helpers import publishable

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.datetime(2025, 6, 20, 8, 0, tzinfo=HCM)


def at(day, hour=8):
    return dt.datetime(2025, 6, day, hour, 0, tzinfo=HCM)


def ready_session(unit, **kwargs):
    """A published session with a ready document and an agenda within its budget."""
    session = SessionFactory(unit=unit, scheduled_start=START, status=Session.Status.PUBLISHED, **kwargs)
    DocumentFactory(session=session)
    AgendaItemFactory(session=session, planned_minutes=30)
    return publishable(session)


def only_notification(user):
    return Notification.objects.get(recipient=user)


def test_a_session_that_is_ready_gets_no_reminder(unit, unit_official):
    ready_session(unit)
    assert sweeps.run("sessions_upcoming", at=at(18)) == 0


def test_two_days_before_the_officials_hear_what_is_missing(unit, unit_official):
    session = SessionFactory(unit=unit, scheduled_start=START, title="Kỳ họp thứ nhất HĐND phường Lê Đại Hành")
    DocumentFactory.create_batch(2, session=session)
    DocumentFactory(session=session, is_required=False)
    AgendaItemFactory(session=session, planned_minutes=30)
    AgendaItemFactory(session=session, planned_minutes=25)
    assert sweeps.run("sessions_upcoming", at=at(17)) == 0  # three days before
    assert sweeps.run("sessions_upcoming", at=at(18)) == 1
    notification = only_notification(unit_official)
    assert notification.kind == Kind.SESSION
    assert notification.title == "Kỳ họp thứ nhất HĐND phường Lê Đại Hành lúc 08:00 20/06/2025 chưa sẵn sàng"
    assert notification.body.splitlines() == [
        "- 2 tài liệu bắt buộc chưa sẵn sàng.",
        "- Chương trình dài 55 phút, vượt thời lượng tối đa 45 phút.",
        "- Kỳ họp chưa được công bố.",
    ]
    assert notification.link == session.get_absolute_url()


def test_a_document_marked_ready_without_a_file_still_counts_as_missing(unit, unit_official):
    session = ready_session(unit)
    DocumentFactory(session=session, is_ready=True)
    assert sweeps.run("sessions_upcoming", at=at(19)) == 1
    assert only_notification(unit_official).body == "- 1 tài liệu bắt buộc chưa sẵn sàng."


def test_rescheduling_a_session_checks_it_again(unit, unit_official):
    session = SessionFactory(unit=unit, scheduled_start=START)
    assert sweeps.run("sessions_upcoming", at=at(18)) == 1
    assert sweeps.run("sessions_upcoming", at=at(19)) == 0
    session.scheduled_start = START + dt.timedelta(days=2)
    session.save()
    assert sweeps.run("sessions_upcoming", at=at(20)) == 1


def test_cancelled_and_started_sessions_get_no_reminder_before(unit, unit_official):
    SessionFactory(unit=unit, scheduled_start=START, status=Session.Status.CANCELLED)
    SessionFactory(unit=unit, scheduled_start=START, status=Session.Status.IN_PROGRESS)
    assert sweeps.run("sessions_upcoming", at=at(19)) == 0


def test_a_session_not_closed_a_day_after_its_start_is_reminded_once(unit, unit_official):
    session = ready_session(unit, title="Phiên họp thứ nhất UBND")
    Session.objects.filter(pk=session.pk).update(status=Session.Status.IN_PROGRESS)
    assert sweeps.run("sessions_not_closed", at=at(20, 20)) == 0
    assert sweeps.run("sessions_not_closed", at=at(21, 9)) == 1
    assert sweeps.run("sessions_not_closed", at=at(22, 9)) == 0
    assert only_notification(unit_official).title == "Phiên họp thứ nhất UBND lúc 08:00 20/06/2025 chưa được kết thúc"


def test_closed_and_cancelled_sessions_are_not_chased(unit, unit_official):
    SessionFactory(unit=unit, scheduled_start=START, status=Session.Status.CLOSED)
    SessionFactory(unit=unit, scheduled_start=START, status=Session.Status.CANCELLED)
    assert sweeps.run("sessions_not_closed", at=at(23)) == 0


def test_officials_of_another_unit_hear_nothing(unit, other_unit, unit_official):
    stranger = UserFactory(unit_official=True, unit=other_unit)
    SessionFactory(unit=unit, scheduled_start=START)
    sweeps.run("sessions_upcoming", at=at(18))
    assert not Notification.objects.filter(recipient=stranger).exists()


def test_running_the_session_sweeps_twice_sends_nothing_twice(unit, unit_official, django_capture_on_commit_callbacks):
    SessionFactory(unit=unit, scheduled_start=START)
    SessionFactory(unit=unit, scheduled_start=START - dt.timedelta(days=3), status=Session.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        first = sweeps.run("sessions_upcoming", at=at(18)) + sweeps.run("sessions_not_closed", at=at(18))
        again = sweeps.run("sessions_upcoming", at=at(18)) + sweeps.run("sessions_not_closed", at=at(18))
    assert (first, again) == (2, 0)
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("sessions", [1, 12])
def test_session_sweeps_query_count_does_not_grow_with_sessions(
    unit, unit_official, django_assert_max_num_queries, sessions
):
    for _ in range(sessions):
        session = SessionFactory(unit=unit, scheduled_start=START)
        DocumentFactory.create_batch(2, session=session)
        AgendaItemFactory.create_batch(2, session=session)
    with django_assert_max_num_queries(10):
        assert sweeps.run("sessions_upcoming", at=at(18)) == sessions
