"""Webhooks end to end: a status change at the counter, the task on Redis, a real Celery worker posting to a
receiver on 127.0.0.1 that fails once, then takes it (one delivery, retried, signed)."""

import hashlib
import hmac
import json
import uuid

import pytest

from pilot_portal.api.models import WebhookDelivery, WebhookReceiver
from pilot_portal.celery import app as celery_app
from pilot_portal.notifications.tests import celery_processes as proc
from service_center import services
from service_center.models import Status
from service_center.tests.factories import DossierFactory

from .receiver import start_receiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.process, pytest.mark.slow]

SECRET = "bi-mat-chung-voi-he-thong-nhan"


@pytest.fixture
def worker_queue(tmp_path):
    """A celery worker with production settings on a queue of its own, and this process sending to it."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    proc.redis_reset()
    process = proc.start(
        proc.celery(
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ),
        env=proc.production_env(mail_dir=tmp_path, API_WEBHOOK_RETRY_SECONDS="1", API_WEBHOOK_TIMEOUT="3"),
        log=log,
    )
    proc.wait_for(lambda: "ready." in log.read_text(errors="replace"), timeout=60, what="the worker", logs=[log])
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager, conf.broker_transport_options, conf.task_default_queue)
    conf.broker_url, conf.task_always_eager = proc.REDIS_TEST_URL, False
    conf.broker_transport_options, conf.task_default_queue = dict(proc.BROKER_TRANSPORT_OPTIONS), queue
    celery_app._pool = celery_app.amqp._producer_pool = None
    yield log
    conf.broker_url, conf.task_always_eager, conf.broker_transport_options, conf.task_default_queue = saved
    celery_app._pool = celery_app.amqp._producer_pool = None
    assert proc.stop(process) == 0, log.read_text(errors="replace")[-3000:]


def test_a_status_change_reaches_the_receiver_once_after_a_retry(worker_queue, ward_clerk):
    receiver, server = start_receiver(answers=[503])
    try:
        WebhookReceiver.objects.create(name="Một cửa tỉnh", url=receiver.url, secret=SECRET, unit=ward_clerk.unit)
        dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED, source_number="HP-77")
        services.dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)
        delivered = proc.wait_for(
            lambda: WebhookDelivery.objects.filter(status=WebhookDelivery.Status.DELIVERED).first(),
            timeout=60,
            what="the delivery",
            logs=[worker_queue],
        )
    finally:
        server.shutdown()
        server.server_close()
    assert delivered.attempts == 2
    assert delivered.response_status == 200
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.requests) == 2  # the failed attempt and the retry, nothing more
    last = receiver.requests[-1]
    timestamp = last.headers["X-Pilot-Timestamp"]
    signature = hmac.new(SECRET.encode(), timestamp.encode() + b"." + last.body, hashlib.sha256).hexdigest()
    assert last.headers["X-Pilot-Signature"] == f"sha256={signature}"
    payload = json.loads(last.body)
    assert (payload["dossier_code"], payload["source_number"], payload["to_status"]) == (dossier.code, "HP-77", 4)
