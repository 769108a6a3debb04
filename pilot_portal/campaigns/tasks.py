"""Celery entry points of the campaigns app: the nightly readiness snapshot."""

from celery import shared_task
from django.utils import timezone

from .snapshots import readiness_snapshots_take


@shared_task(acks_late=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def snapshot_readiness() -> int:
    """Today's snapshot of every campaign unit (beat runs it late in the evening; a re-run changes nothing)."""
    return readiness_snapshots_take(day=timezone.localdate())
