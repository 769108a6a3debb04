"""How notifications leave the portal: their e-mails, the daily digest, and the e-mail task queued after commit.

``services`` stores notifications and calls ``queue_notification_emails``; ``tasks`` (the worker's entry points)
call the senders here. This module imports neither of them.

``acks_late``: a worker that dies mid-task leaves the message in Redis, which redelivers it after the visibility
timeout; the idempotency keys make the rerun harmless. Transient database and broker errors are retried with an
exponential backoff.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from kombu.exceptions import OperationalError as KombuOperationalError

from pilot_portal.core.links import public_url

from .models import DigestDelivery, Notification, Preference

logger = logging.getLogger(__name__)

#: Notifications per e-mail task.
EMAIL_BATCH = 500
#: Local hour of the daily digest (its beat schedule runs then); each digest covers the 24 hours before it.
DIGEST_HOUR = 7
BROKER_ERRORS = (KombuOperationalError, ConnectionError, TimeoutError)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, KombuOperationalError, ConnectionError, TimeoutError)
#: The retry policy of every notifications task.
TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 10 * 60,
    "retry_jitter": True,
    "max_retries": 6,
    "soft_time_limit": 9 * 60,
    "time_limit": 10 * 60,
}
#: The tasks that send e-mail also retry when the mail server fails.
MAIL_TASK_OPTIONS = {**TASK_OPTIONS, "autoretry_for": (*TRANSIENT_ERRORS, OSError)}
#: A notification whose e-mail failed is tried again by ``retry_failed_emails`` (beat, every few minutes) after
#: 5 minutes, then 10, 20, ... at most 6 hours apart, and given up after this many failed attempts.
EMAIL_MAX_ATTEMPTS = 10
EMAIL_RETRY_FIRST = timedelta(minutes=5)
EMAIL_RETRY_MAX = timedelta(hours=6)


def email_retry_delay(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failure a notification's e-mail is tried again."""
    return min(EMAIL_RETRY_FIRST * 2 ** (attempts - 1), EMAIL_RETRY_MAX)


def absolute_link(link: str) -> str:
    """The link as an e-mail needs it, on the portal's public origin."""
    return public_url(link)


def queue_notification_emails(*, notification_ids: list[int]) -> None:
    """After commit: hand the e-mails to the worker in batches (a retried task never sends one twice).

    Without a broker the task runs right here (eager); when the broker is unreachable they are sent right here too,
    so a reminder never waits for Redis to come back.
    """
    for start in range(0, len(notification_ids), EMAIL_BATCH):
        batch = notification_ids[start : start + EMAIL_BATCH]
        try:
            send_notification_emails_task.delay(batch)
        except BROKER_ERRORS:
            logger.warning("broker unreachable: sending %d notification e-mails in-process", len(batch))
            try:
                send_notification_emails(notification_ids=batch)
            except OSError:
                logger.exception("could not e-mail %d notifications", len(batch))
        except Exception:
            # Eager mode (no broker) and the mail server failed: the notifications stay stored, not marked e-mailed.
            logger.exception("could not e-mail %d notifications", len(batch))


def send_notification_emails(*, notification_ids: list[int]) -> int:
    """E-mail the given notifications that have not been e-mailed yet, and mark them e-mailed.

    The messages go one by one over one connection, and those that went are marked even when a later one fails,
    so the retry sends only the rest. Raises ``OSError`` (``smtplib.SMTPException`` included) when the mail server
    fails, for the task to retry.
    """
    sent: list[int] = []
    failure: OSError | None = None
    with transaction.atomic():
        # The row locks make a duplicate task wait, then find the rows already e-mailed and send nothing.
        notifications = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(pk__in=notification_ids, emailed_at__isnull=True)
            .select_related("recipient")
            .order_by("pk")
        )
        if not notifications:
            return 0
        mail = get_connection()
        try:
            mail.open()
            with translation.override(settings.LANGUAGE_CODE):
                for n in notifications:
                    email = EmailMessage(
                        subject=_("[Pilot portal] %(title)s") % {"title": n.title},
                        body="\n\n".join(part for part in (n.body, absolute_link(n.link)) if part),
                        to=[n.recipient.email],
                    )
                    mail.send_messages([email])
                    sent.append(n.pk)
        except OSError as exc:
            failure = exc
        finally:
            try:
                mail.close()
            except OSError:
                logger.warning("could not close the mail connection")
        now = timezone.now()
        if sent:
            Notification.objects.filter(pk__in=sent).update(emailed_at=now, email_retry_at=None)
        if failure is not None:
            _record_failures([n for n in notifications if n.pk not in set(sent)], now=now)
    if failure is not None:
        raise failure
    return len(sent)


def _record_failures(notifications: list[Notification], *, now: datetime) -> None:
    """Count a failed attempt for each notification and plan its retry (none after ``EMAIL_MAX_ATTEMPTS``)."""
    for n in notifications:
        n.email_attempts += 1
        n.email_retry_at = now + email_retry_delay(n.email_attempts) if n.email_attempts < EMAIL_MAX_ATTEMPTS else None
    Notification.objects.bulk_update(notifications, ["email_attempts", "email_retry_at"])
    logger.warning("could not e-mail %d notifications: retried later", len(notifications))


def retry_failed_emails(*, at: datetime) -> int:
    """E-mail again the notifications whose e-mail failed and whose retry is due at ``at``; returns how many went.

    A mail server still down records one more failed attempt for each (a later retry, further apart).
    """
    due = list(
        Notification.objects.filter(emailed_at__isnull=True, email_retry_at__lte=at)
        .order_by("email_retry_at", "pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for start in range(0, len(due), EMAIL_BATCH):
        try:
            sent += send_notification_emails(notification_ids=due[start : start + EMAIL_BATCH])
        except OSError:
            logger.warning("mail server still failing: %d e-mails wait for the next retry", len(due) - start)
            break
    return sent


# Defined here, not in ``tasks``, so that queuing it needs no import of ``tasks``; its name is where it is exported.
@shared_task(name="pilot_portal.notifications.tasks.send_notification_emails", **MAIL_TASK_OPTIONS)
def send_notification_emails_task(notification_ids: list[int]) -> int:
    """E-mail these notifications; a mail server failure is retried with backoff, and nothing is sent twice."""
    return send_notification_emails(notification_ids=notification_ids)


def send_daily_digests(*, at: datetime) -> int:
    """E-mail each user who chose the daily digest what they received in the day that ended at the last
    ``DIGEST_HOUR`` (local time) before ``at``, once per day and user.

    Raises ``OSError`` when the mail server fails (the task retries; users already served are not served again).
    """
    # Fixed windows, from DIGEST_HOUR to DIGEST_HOUR local time: a run that is late or retried (the task may start
    # hours after beat queued it) covers the same day, and nothing falls between two digests.
    local = timezone.localtime(at)
    until = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if local < until:
        until -= timedelta(days=1)
    day = until.date()
    since = until - timedelta(days=1)
    preferences = list(
        Preference.objects.filter(daily_digest=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    if not preferences:
        return 0
    users = {p.user_id: p for p in preferences}
    recent: dict[int, list[Notification]] = {}
    for n in Notification.objects.filter(recipient_id__in=users, created_at__gte=since, created_at__lt=until).order_by(
        "recipient_id", "created_at", "id"
    ):
        if users[n.recipient_id].wants_email(n.kind):
            recent.setdefault(n.recipient_id, []).append(n)
    sent = 0
    for user_id, notifications in recent.items():
        with transaction.atomic():
            _delivery, created = DigestDelivery.objects.get_or_create(
                user_id=user_id, day=day, defaults={"notification_count": len(notifications)}
            )
            if created:
                # Sent inside the transaction: a mail server failure rolls the delivery back for the retry.
                _send_digest(user=users[user_id].user, notifications=notifications)
                sent += 1
    return sent


def _send_digest(*, user, notifications: list[Notification]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "[Pilot portal] %(count)d new notification",
            "[Pilot portal] %(count)d new notifications",
            len(notifications),
        ) % {"count": len(notifications)}
        lines = [f"- {n.title}\n  {absolute_link(n.link)}".rstrip() for n in notifications]
    EmailMessage(subject=subject, body="\n".join(lines), to=[user.email]).send()
