"""Celery tasks of the reminders: they take names and ISO strings only and call the sweeps and services.

``acks_late``: a worker that dies mid-sweep leaves the message in Redis, which redelivers it after the visibility
timeout; the idempotency keys make the rerun harmless. Transient database and broker errors are retried with an
exponential backoff.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from kombu.exceptions import OperationalError as BrokerOperationalError

from . import services, sweeps

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerOperationalError, ConnectionError, TimeoutError)
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


@shared_task(**{**TASK_OPTIONS, "autoretry_for": (*TRANSIENT_ERRORS, OSError)})
def send_daily_digests(at_iso: str | None = None) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return services.send_daily_digests(at=_at(at_iso))


@shared_task(**{**TASK_OPTIONS, "autoretry_for": (*TRANSIENT_ERRORS, OSError)})
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail these notifications; a mail server failure is retried with backoff, and nothing is sent twice."""
    return services.send_notification_emails(notification_ids=notification_ids)
