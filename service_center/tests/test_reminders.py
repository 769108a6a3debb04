"""Reminder rules of the service centre, on hand-made dossiers at fixed moments (``at`` passed explicitly)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.notifications import sweeps
from pilot_portal.notifications.models import Kind, Notification
from service_center.models import CalendarOverride, Status
from service_center.tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY_9 = dt.datetime(2025, 6, 17, 9, 0, tzinfo=HCM)


def local(*args):
    return dt.datetime(*args, tzinfo=HCM)


def due(unit, due_at, **kwargs):
    kwargs.setdefault("status", Status.PROCESSING)
    return DossierFactory(unit=unit, received_at=local(2025, 6, 12, 9, 0), due_at=due_at, **kwargs)


def sent(user=None):
    qs = Notification.objects.order_by("id")
    if user is not None:
        qs = qs.filter(recipient=user)
    return list(qs.values_list("kind", "title"))


@pytest.fixture
def officer(unit):
    return UserFactory(ward_clerk=True, unit=unit)


def test_dossier_due_within_the_next_working_day_reminds_officer_and_officials(unit, unit_official, officer):
    dossier = due(unit, local(2025, 6, 18, 8, 30), assigned_to=officer)
    assert sweeps.run("dossiers_due", at=TUESDAY_9) == 2
    expected = [(Kind.DOSSIER, f"Hồ sơ {dossier.code} đến hạn lúc 08:30 18/06/2025")]
    assert sent(officer) == expected
    assert sent(unit_official) == expected


def test_dossier_due_later_than_the_next_working_day_is_not_reminded_yet(unit, unit_official):
    due(unit, local(2025, 6, 18, 10, 0))  # more than 8 office hours after Tuesday 09:00
    assert sweeps.run("dossiers_due", at=TUESDAY_9) == 0


def test_friday_afternoon_reminds_of_a_dossier_due_monday_morning(unit, unit_official):
    due(unit, local(2025, 6, 23, 9, 0))
    assert sweeps.run("dossiers_due", at=local(2025, 6, 20, 15, 0)) == 1


def test_a_local_day_off_is_skipped_when_looking_one_working_day_ahead(unit, unit_official):
    due(unit, local(2025, 6, 19, 8, 30))  # Thursday morning: beyond one working day from Tuesday 09:00
    assert sweeps.run("dossiers_due", at=TUESDAY_9) == 0
    CalendarOverride.objects.create(date=dt.date(2025, 6, 18), kind=CalendarOverride.Kind.DAY_OFF)
    assert sweeps.run("dossiers_due", at=local(2025, 6, 17, 9, 15)) == 1  # Wednesday off: Thursday is next


def test_overdue_dossier_is_reminded_once_each_working_day(unit, unit_official):
    dossier = due(unit, local(2025, 6, 16, 16, 0))
    assert sweeps.run("dossiers_due", at=TUESDAY_9) == 1
    assert sweeps.run("dossiers_due", at=local(2025, 6, 17, 15, 45)) == 0
    assert sweeps.run("dossiers_due", at=local(2025, 6, 18, 9, 0)) == 1
    assert sent(unit_official)[0] == (Kind.DOSSIER, f"Hồ sơ {dossier.code} đã quá hạn từ 16:00 16/06/2025")


def test_nothing_is_sent_outside_office_hours(unit, unit_official):
    due(unit, local(2025, 6, 16, 16, 0))
    assert sweeps.run("dossiers_due", at=local(2025, 6, 17, 12, 0)) == 0  # lunch break
    assert sweeps.run("dossiers_due", at=local(2025, 6, 17, 19, 0)) == 0
    assert sweeps.run("dossiers_due", at=local(2025, 6, 21, 9, 0)) == 0  # Saturday


def test_a_dossier_returned_before_its_reminder_gets_none(unit, unit_official):
    due(unit, local(2025, 6, 18, 8, 30), status=Status.RETURNED)
    due(unit, local(2025, 6, 16, 8, 30), status=Status.DONE)
    due(unit, local(2025, 6, 16, 8, 30), status=Status.WITHDRAWN)
    assert sweeps.run("dossiers_due", at=TUESDAY_9) == 0
    assert sweeps.run("dossier_apology_deadline", at=TUESDAY_9) == 0


def test_a_dossier_waiting_for_a_supplement_is_not_reminded(unit, unit_official):
    due(unit, local(2025, 6, 16, 8, 30), status=Status.SUPPLEMENT)
    assert sweeps.run("dossiers_due", at=TUESDAY_9) == 0


def test_a_new_due_date_after_an_apology_gets_its_own_reminder(unit, unit_official):
    dossier = due(unit, local(2025, 6, 18, 8, 30))
    assert sweeps.run("dossiers_due", at=TUESDAY_9) == 1
    dossier.due_at, dossier.apologized_at = local(2025, 6, 18, 16, 0), TUESDAY_9
    dossier.save()
    assert sweeps.run("dossiers_due", at=local(2025, 6, 17, 9, 15)) == 0  # the new date is not within a day yet
    assert sweeps.run("dossiers_due", at=local(2025, 6, 17, 16, 0)) == 1


def test_apology_deadline_is_announced_once_the_day_before_it(unit, unit_official, officer):
    dossier = due(unit, local(2025, 6, 19, 8, 30), assigned_to=officer)
    assert sweeps.run("dossier_apology_deadline", at=TUESDAY_9) == 2
    assert sweeps.run("dossier_apology_deadline", at=local(2025, 6, 17, 10, 0)) == 0
    kind, title = sent(officer)[0]
    assert kind == Kind.APOLOGY
    assert title == f"Ngày cuối gửi phiếu xin lỗi và hẹn lại ngày trả kết quả hồ sơ {dossier.code}"
    body = Notification.objects.filter(recipient=officer).get().body
    assert "trước 08:30 18/06/2025" in body


def test_no_apology_reminder_once_apologized_or_too_late(unit, unit_official):
    due(unit, local(2025, 6, 19, 8, 30), apologized_at=local(2025, 6, 16, 9, 0))
    due(unit, local(2025, 6, 17, 16, 0))  # the apology deadline has passed
    assert sweeps.run("dossier_apology_deadline", at=TUESDAY_9) == 0


def test_an_inactive_officer_is_skipped_and_the_officials_still_hear(unit, unit_official):
    gone = UserFactory(ward_clerk=True, unit=unit, is_active=False)
    due(unit, local(2025, 6, 18, 8, 30), assigned_to=gone)
    assert sweeps.run("dossiers_due", at=TUESDAY_9) == 1
    assert sent(gone) == []


def test_officials_of_another_unit_hear_nothing(unit, other_unit, unit_official):
    UserFactory(unit_official=True, unit=other_unit)
    due(unit, local(2025, 6, 18, 8, 30))
    sweeps.run("dossiers_due", at=TUESDAY_9)
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [unit_official.pk]


def test_running_the_dossier_sweeps_twice_sends_nothing_twice(
    unit, unit_official, officer, django_capture_on_commit_callbacks
):
    due(unit, local(2025, 6, 18, 8, 30), assigned_to=officer)
    due(unit, local(2025, 6, 16, 8, 30), assigned_to=officer)
    due(unit, local(2025, 6, 19, 8, 30), assigned_to=officer)
    with django_capture_on_commit_callbacks(execute=True):
        first = sweeps.run("dossiers_due", at=TUESDAY_9) + sweeps.run("dossier_apology_deadline", at=TUESDAY_9)
        again = sweeps.run("dossiers_due", at=TUESDAY_9) + sweeps.run("dossier_apology_deadline", at=TUESDAY_9)
    assert (first, again) == (6, 0)
    assert len(mail.outbox) == 6


@pytest.mark.parametrize("dossiers", [2, 40])
def test_dossier_sweep_query_count_does_not_grow_with_dossiers(
    unit, unit_official, officer, django_assert_max_num_queries, dossiers
):
    for _ in range(dossiers):
        due(unit, local(2025, 6, 18, 8, 30), assigned_to=officer)
    with django_assert_max_num_queries(10):
        assert sweeps.run("dossiers_due", at=TUESDAY_9) == 2 * dossiers
