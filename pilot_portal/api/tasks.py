"""The worker's entry point for webhooks: one delivery, retried with an exponential backoff."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import webhooks


def backoff(retries: int) -> float:
    """Seconds before the next attempt: API_WEBHOOK_RETRY_SECONDS, doubled each time, at most one hour."""
    return min(settings.API_WEBHOOK_RETRY_SECONDS * 2**retries, 3600)


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None, soft_time_limit=90, time_limit=120
)
def deliver_webhook(self, delivery_id: int) -> bool:
    """Post the delivery; on failure try again later, up to API_WEBHOOK_MAX_ATTEMPTS attempts in all.

    Without a broker (tasks run in-process, the embedded default) there is one attempt: the clerk's request does
    not wait for retries; the admin action sends a failed delivery again.
    """
    if webhooks.attempt(delivery_id):
        return True
    if self.request.is_eager or self.request.retries + 1 >= settings.API_WEBHOOK_MAX_ATTEMPTS:
        webhooks.give_up(delivery_id)
        return False
    raise self.retry(countdown=backoff(self.request.retries))
