"""Celery tasks of the reminders: they take names and ISO strings only and call the sweeps and ``delivery``.

The retry policy (``TASK_OPTIONS``: ``acks_late``, backoff on transient errors) and the e-mail task
``send_notification_emails`` live in ``delivery``, which queues that task after commit without importing this
module; both are exported here under their usual names.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from . import delivery, sweeps
from .delivery import MAIL_TASK_OPTIONS, TASK_OPTIONS
from .delivery import TRANSIENT_ERRORS as TRANSIENT_ERRORS

logger = logging.getLogger(__name__)


def _at(at_iso: str | None):
    if not at_iso:
        return timezone.now()
    at = parse_datetime(at_iso)
    if at is None:
        raise ValueError(f"Not an ISO date and time: {at_iso!r}")
    return at if timezone.is_aware(at) else timezone.make_aware(at)


@shared_task(**TASK_OPTIONS)
def run_sweep(name: str, at_iso: str | None = None) -> int:
    """Run the sweep ``name`` as of ``at_iso`` (default: now); returns how many notifications it stored."""
    with translation.override(settings.LANGUAGE_CODE):
        sent = sweeps.run(name, at=_at(at_iso))
    logger.info("reminder sweep %s sent %d notifications", name, sent)
    return sent


@shared_task(**TASK_OPTIONS)
def run_sweeps(cadence: str, at_iso: str | None = None) -> list[str]:
    """Queue ``run_sweep`` for every sweep of ``cadence`` (what beat calls); each sweep retries on its own."""
    at_iso = at_iso or timezone.now().isoformat()
    names = [s.name for s in sweeps.registered(cadence=cadence)]
    for name in names:
        run_sweep.delay(name, at_iso)
    return names


@shared_task(**MAIL_TASK_OPTIONS)
def send_daily_digests(at_iso: str | None = None) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return delivery.send_daily_digests(at=_at(at_iso))


@shared_task(**TASK_OPTIONS)
def retry_failed_emails(at_iso: str | None = None) -> int:
    """E-mail again the notifications whose e-mail failed, once their retry is due (what beat calls)."""
    with translation.override(settings.LANGUAGE_CODE):
        return delivery.retry_failed_emails(at=_at(at_iso))


#: The e-mail task, under its usual name (``delivery`` defines it, to queue it without importing this module).
send_notification_emails = delivery.send_notification_emails_task
