"""A real Celery worker on Redis sends a citizen's SMS through the HTTP gateway adapter, retrying after a failure."""

import uuid

import pytest

from pilot_portal.notifications.tests import celery_processes as proc
from service_center.models import CitizenNotice

from .citizen_fixtures import Gateway, consenting_dossier

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.process, pytest.mark.slow]


def test_a_real_worker_retries_the_gateway_and_sends_the_sms_once(tmp_path, ward_clerk):
    gateway = Gateway(answers=[503])  # down at the first attempt, up at the retry
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
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
        env=proc.production_env(
            mail_dir=mail_dir,
            SMS_GATEWAY_URL=gateway.url,
            SMS_GATEWAY_TOKEN="token-worker",
            SMS_GATEWAY_SENDER="UBND-PHUONG",
            SMS_GATEWAY_TIMEOUT="2",
        ),
        log=log,
    )
    client = proc.broker_client("test-client")
    try:
        proc.wait_for(lambda: "ready." in log.read_text(errors="replace"), timeout=60, what="the worker", logs=[log])
        notice = CitizenNotice.objects.create(
            dossier=consenting_dossier(ward_clerk.unit),
            kind=CitizenNotice.Kind.RESULT_READY,
            channel=CitizenNotice.Channel.SMS,
            recipient="0912345678",
            body="Ho so da co ket qua",
            key="worker-test",
        )
        client.send_task("service_center.tasks.send_citizen_notice", args=[notice.pk], queue=queue)
        client.send_task("service_center.tasks.send_citizen_notice", args=[notice.pk], queue=queue)  # a duplicate
        sent = proc.wait_for(
            lambda: CitizenNotice.objects.filter(pk=notice.pk, status="sent").first(),
            timeout=60,
            what="the SMS sent by the worker after a retry",
            logs=[log],
        )
        proc.wait_for(lambda: log.read_text().count("succeeded") >= 2, timeout=30, what="both tasks", logs=[log])
    finally:
        client.close()
        assert proc.stop(process) == 0, log.read_text(errors="replace")[-3000:]
        gateway.close()
    assert sent.attempts == 2
    assert sent.last_error == "the SMS gateway answered 503"
    assert [r["body"]["to"] for r in gateway.received] == ["84912345678", "84912345678"]
    assert gateway.received[-1]["authorization"] == "Bearer token-worker"
    assert "Retry in" in log.read_text()
