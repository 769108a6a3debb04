"""Celery tasks of the core: housekeeping of the shared counters."""

from celery import shared_task

from . import counters


@shared_task(acks_late=True, ignore_result=True)
def purge_expired_counters() -> int:
    """Delete the limit counters that expired (beat, once a day)."""
    return counters.purge_expired()
