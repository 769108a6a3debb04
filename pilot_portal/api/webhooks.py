"""Webhooks: every status change of a dossier, posted as signed JSON to the receivers of its province or unit.

``on_dossier_status_changed`` runs after the change has committed (``service_center.signals``): it writes one
``WebhookDelivery`` per active receiver and queues ``tasks.deliver_webhook`` for each. The task posts the JSON with
``X-Pilot-Signature: sha256=<hex>``, the HMAC-SHA256 with the receiver's secret of ``<X-Pilot-Timestamp>.<body>``,
and retries with an exponential backoff while the receiver is down or answers other than 2xx. Nothing here waits
for a receiver in the clerk's request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from celery import current_app, shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from service_center.models import Dossier

from .models import WEBHOOK_SCHEMES, WebhookDelivery, WebhookReceiver

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Pilot-Signature"
TIMESTAMP_HEADER = "X-Pilot-Timestamp"
DELIVERY_HEADER = "X-Pilot-Delivery"
EVENT = "dossier.status_changed"
BROKER_ERRORS = (KombuOperationalError, ConnectionError, TimeoutError)
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def payload_for(dossier: Dossier, *, from_status: str, to_status: str, at: dt.datetime) -> dict:
    """What a receiver gets: national status codes, times in Vietnam time (ISO 8601), the dossier's code and the
    source system's number."""
    return {
        "event": EVENT,
        "dossier_code": dossier.code,
        "source_system": dossier.source_system,
        "source_number": dossier.source_number,
        "unit_code": dossier.unit.code,
        "procedure_code": dossier.procedure.code,
        "from_status": int(from_status) if from_status else None,
        "to_status": int(to_status),
        "changed_at": _iso(at),
        "received_at": _iso(dossier.received_at),
        "due_at": _iso(dossier.due_at),
        "closed_at": _iso(dossier.closed_at),
        "returned_at": _iso(dossier.returned_at),
    }


def sign(*, secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def on_dossier_status_changed(*, dossier_id: int, from_status: str, to_status: str, at: dt.datetime, **_kwargs):
    """Record a delivery for each receiver of the dossier's unit or province, then queue them."""
    receivers = list(_receivers_of(dossier_id))
    if not receivers:
        return
    dossier = Dossier.objects.select_related("unit", "procedure").get(pk=dossier_id)
    payload = payload_for(dossier, from_status=from_status, to_status=to_status, at=at)
    ids = []
    for receiver in receivers:
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    receiver=receiver, dossier=dossier, to_status=to_status, changed_at=at, payload=payload
                )
        except IntegrityError:
            continue  # the same change recorded already (a hook run twice)
        ids.append(delivery.pk)
    for delivery_id in ids:
        queue_delivery(delivery_id)


def _receivers_of(dossier_id: int):
    dossier = Dossier.objects.filter(pk=dossier_id).values("unit_id", "unit__province_id").first()
    if dossier is None:
        return WebhookReceiver.objects.none()
    return WebhookReceiver.objects.filter(is_active=True).filter(
        Q(unit_id=dossier["unit_id"]) | Q(province_id=dossier["unit__province_id"])
    )


def queue_delivery(delivery_id: int) -> None:
    """Hand the delivery to the worker; with the broker down it stays pending (the admin can send it again).

    Without a broker (tasks would run here, in the clerk's request) nothing is sent: webhooks need the worker.
    """
    if current_app.conf.task_always_eager:
        logger.info("no broker: webhook delivery %s stays pending until it is sent from the admin", delivery_id)
        return
    try:
        # One quick publish retry: with Redis down the clerk's request goes on (the delivery stays pending).
        deliver_webhook_task.apply_async(args=[delivery_id], retry_policy=PUBLISH_RETRY)
    except BROKER_ERRORS:
        logger.warning("broker unreachable: webhook delivery %s stays pending", delivery_id)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A receiver's redirect is not followed (it could point anywhere, the portal's own network included)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def attempt(delivery_id: int) -> bool:
    """One attempt at posting the delivery; True when it is delivered (now or before). Records the attempt."""
    delivery = WebhookDelivery.objects.select_related("receiver").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == WebhookDelivery.Status.DELIVERED:
        return True
    receiver = delivery.receiver
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    status_code, error = None, ""
    if urllib.parse.urlsplit(receiver.url).scheme not in WEBHOOK_SCHEMES:
        error = "URL scheme not allowed"
    else:
        request = urllib.request.Request(
            receiver.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "pilot-portal-webhooks",
                SIGNATURE_HEADER: sign(secret=receiver.secret, timestamp=timestamp, body=body),
                TIMESTAMP_HEADER: timestamp,
                DELIVERY_HEADER: str(delivery.pk),
            },
        )
        try:
            with _opener.open(request, timeout=settings.API_WEBHOOK_TIMEOUT) as response:
                status_code = response.status
        except urllib.error.HTTPError as exc:
            status_code, error = exc.code, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            error = str(getattr(exc, "reason", exc))[:500] or exc.__class__.__name__
    delivered = status_code is not None and 200 <= status_code < 300
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=delivery.attempts + 1,
        response_status=status_code,
        last_error="" if delivered else error,
        last_attempt_at=now,
        delivered_at=now if delivered else None,
        status=WebhookDelivery.Status.DELIVERED if delivered else WebhookDelivery.Status.PENDING,
    )
    return delivered


def give_up(delivery_id: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id).exclude(status=WebhookDelivery.Status.DELIVERED).update(
        status=WebhookDelivery.Status.FAILED
    )


def backoff(retries: int) -> float:
    """Seconds before the next attempt: API_WEBHOOK_RETRY_SECONDS, doubled each time, at most one hour."""
    return min(settings.API_WEBHOOK_RETRY_SECONDS * 2**retries, 3600)


# Defined here, not in ``tasks``, so that queuing it needs no import of ``tasks``; its name is where it is exported.
@shared_task(
    name="pilot_portal.api.tasks.deliver_webhook",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
    soft_time_limit=90,
    time_limit=120,
)
def deliver_webhook_task(self, delivery_id: int) -> bool:
    """Post the delivery; on failure try again later, up to API_WEBHOOK_MAX_ATTEMPTS attempts in all.

    Run in-process (``apply``, the admin's action) there is one attempt: nobody waits for the retries.
    """
    if attempt(delivery_id):
        return True
    if self.request.is_eager or self.request.retries + 1 >= settings.API_WEBHOOK_MAX_ATTEMPTS:
        give_up(delivery_id)
        return False
    raise self.retry(countdown=backoff(self.request.retries))
