"""A notification whose e-mail failed is e-mailed by a later sweep, with a backoff, and given up in the end."""

import smtplib
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from pilot_portal.notifications import delivery, tasks
from pilot_portal.notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


class MailServerDown(locmem.EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection lost")


def test_a_failed_e_mail_is_sent_by_a_later_sweep(unit_official, settings, frozen_now):
    notification = NotificationFactory(recipient=unit_official, title="Hạn hồ sơ")
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    with pytest.raises(smtplib.SMTPException):
        delivery.send_notification_emails(notification_ids=[notification.pk])
    notification.refresh_from_db()
    assert (notification.emailed_at, notification.email_attempts) == (None, 1)
    assert notification.email_retry_at == frozen_now + timedelta(minutes=5)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Not yet due: nothing is sent.
    assert tasks.retry_failed_emails((frozen_now + timedelta(minutes=4)).isoformat()) == 0
    assert mail.outbox == []
    assert tasks.retry_failed_emails((frozen_now + timedelta(minutes=5)).isoformat()) == 1
    assert [m.to for m in mail.outbox] == [[unit_official.email]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None and notification.email_retry_at is None
    # Sent once: a later sweep sends nothing.
    assert tasks.retry_failed_emails((frozen_now + timedelta(hours=1)).isoformat()) == 0


def test_retries_back_off_and_stop_after_the_last_attempt(unit_official, settings, frozen_now):
    notification = NotificationFactory(recipient=unit_official)
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    with pytest.raises(smtplib.SMTPException):
        delivery.send_notification_emails(notification_ids=[notification.pk])
    delays = []
    for _ in range(delivery.EMAIL_MAX_ATTEMPTS - 1):
        notification.refresh_from_db()
        delays.append(notification.email_retry_at - timezone.now())
        assert tasks.retry_failed_emails(notification.email_retry_at.isoformat()) == 0
    notification.refresh_from_db()
    assert delays[:4] == [timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert max(delays) == timedelta(hours=6)
    assert (notification.email_attempts, notification.email_retry_at) == (delivery.EMAIL_MAX_ATTEMPTS, None)


def test_beat_runs_the_retry_sweep():
    tasks_by_beat = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "pilot_portal.notifications.tasks.retry_failed_emails" in tasks_by_beat


def test_a_notification_never_e_mailed_on_purpose_is_not_retried(unit_official, frozen_now):
    NotificationFactory(recipient=unit_official)  # e.g. the recipient chose the daily digest
    assert tasks.retry_failed_emails((frozen_now + timedelta(days=1)).isoformat()) == 0
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None
