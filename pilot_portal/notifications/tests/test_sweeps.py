from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from pilot_portal.notifications import services, sweeps, tasks
from pilot_portal.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def greeting_sweep(unit_official):
    """A sweep that greets one official once a day, registered for the test only."""

    def greet(at):
        day = at.astimezone(HCM).date()
        stored = services.notify(
            recipient=unit_official,
            kind=Kind.SYSTEM,
            key=f"test-greeting:{day}",
            title=f"Chào buổi sáng {day:%d/%m/%Y}",
        )
        return 1 if stored else 0

    sweeps.sweep("test_greeting", cadence=sweeps.Cadence.OFFICE_HOURS)(greet)
    yield "test_greeting"
    sweeps._registry.pop("test_greeting")


def test_each_app_registers_its_reminder_rules():
    cadences = {s.name: s.cadence for s in sweeps.registered()}
    assert cadences == {
        "campaign_milestones": sweeps.Cadence.HOURLY,
        "readiness_items": sweeps.Cadence.HOURLY,
        "sessions_upcoming": sweeps.Cadence.HOURLY,
        "sessions_not_closed": sweeps.Cadence.HOURLY,
        "dossiers_due": sweeps.Cadence.OFFICE_HOURS,
        "dossier_apology_deadline": sweeps.Cadence.OFFICE_HOURS,
        "citizen_notices_pending": sweeps.Cadence.OFFICE_HOURS,
        "issue_answers_due": sweeps.Cadence.OFFICE_HOURS,
    }
    assert [s.name for s in sweeps.registered(cadence="office_hours")] == [
        "citizen_notices_pending",
        "dossier_apology_deadline",
        "dossiers_due",
        "issue_answers_due",
    ]


def test_two_functions_cannot_share_a_sweep_name(greeting_sweep):
    with pytest.raises(ValueError, match="test_greeting"):
        sweeps.sweep("test_greeting")(lambda at: 0)


def test_an_unknown_sweep_is_a_clear_error():
    with pytest.raises(LookupError):
        sweeps.run("khong-co", at=datetime(2025, 6, 16, 8, tzinfo=HCM))


def test_send_reminders_runs_every_sweep_and_prints_what_it_sends(greeting_sweep, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--at", "2025-06-16 08:00", stdout=out)
    assert "test_greeting: 1" in out.getvalue()
    assert "Chào buổi sáng 16/06/2025" in out.getvalue()
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_send_reminders_twice_sends_nothing_twice(greeting_sweep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--at", "2025-06-16 08:00", stdout=StringIO())
        out = StringIO()
        call_command("send_reminders", "--at", "2025-06-16 08:15", stdout=out)
    assert "test_greeting: 0" in out.getvalue()
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_dry_run_prints_but_stores_and_sends_nothing(greeting_sweep, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--dry-run", "--at", "2025-06-16", stdout=out)
    assert "Chào buổi sáng 16/06/2025" in out.getvalue()
    assert "[dry-run]" in out.getvalue()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_send_reminders_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--at"):
        call_command("send_reminders", "--at", "16/06/2025 8h", stdout=StringIO())


def test_run_sweep_task_takes_the_moment_as_an_iso_string(greeting_sweep):
    assert tasks.run_sweep.delay(greeting_sweep, "2025-06-17T08:00:00+07:00").get() == 1
    assert Notification.objects.get().title == "Chào buổi sáng 17/06/2025"


def test_run_sweeps_queues_the_sweeps_of_a_cadence(greeting_sweep):
    names = tasks.run_sweeps.delay("office_hours", "2025-06-17T08:00:00+07:00").get()
    assert greeting_sweep in names
    assert Notification.objects.filter(key="test-greeting:2025-06-17").exists()


def test_sweep_tasks_retry_late_acknowledged_with_time_limits():
    for task in (tasks.run_sweep, tasks.run_sweeps, tasks.send_daily_digests):
        assert task.acks_late is True
        assert task.time_limit and task.soft_time_limit
        assert set(tasks.TRANSIENT_ERRORS) <= set(task.autoretry_for)


def test_beat_schedule_runs_every_cadence():
    from django.conf import settings

    scheduled = {tuple(entry.get("args", ())) for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for cadence in sweeps.Cadence:
        assert (cadence.value,) in scheduled
