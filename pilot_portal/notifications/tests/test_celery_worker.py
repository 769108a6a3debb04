"""A real Celery worker on Redis, against the live test database: a queued sweep stores rows and sends e-mails."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pilot_portal.notifications.models import DigestDelivery, Notification, Preference
from pilot_portal.notifications.tests import celery_processes as proc
from pilot_portal.notifications.tests.factories import NotificationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.process, pytest.mark.slow]

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def worker(tmp_path):
    """``celery -A pilot_portal worker --pool=solo`` on a queue of its own, with production settings."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    proc.redis_reset()  # nothing left over from an earlier run
    process = proc.start(
        proc.celery(
            "worker",
            "--pool=solo",
            "-Q",
            f"{queue},celery",  # the e-mail tasks a sweep queues go to the default queue
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ),
        env=proc.production_env(mail_dir=mail_dir),
        log=log,
    )
    proc.wait_for(lambda: "ready." in log.read_text(errors="replace"), timeout=60, what="the worker", logs=[log])
    client = proc.broker_client("test-client")
    client.conf.task_default_queue = queue

    def send(task: str, *args):
        client.send_task(f"pilot_portal.notifications.tasks.{task}", args=list(args), queue=queue)

    yield type("Worker", (), {"send": staticmethod(send), "mail_dir": mail_dir, "log": log})
    client.close()
    assert proc.stop(process) == 0, log.read_text(errors="replace")[-3000:]


def test_a_queued_sweep_runs_on_a_real_worker_and_emails_once(worker, unit_official):
    from pilot_portal.notifications.tests.sweep_fixtures import dossier_due_tomorrow

    at = dossier_due_tomorrow(unit_official)
    worker.send("run_sweep", "dossiers_due", at.isoformat())
    worker.send("run_sweep", "dossiers_due", at.isoformat())
    rows = proc.wait_for(
        lambda: list(Notification.objects.filter(recipient=unit_official, emailed_at__isnull=False)),
        timeout=60,
        what="a notification e-mailed by the worker",
        logs=[worker.log],
    )
    proc.wait_for(
        lambda: worker.log.read_text().count("succeeded") >= 2, timeout=60, what="both runs", logs=[worker.log]
    )
    assert len(rows) == 1
    emails = proc.read_emails(worker.mail_dir)
    assert [m["To"] for m in emails] == [unit_official.email]
    assert proc.subject(emails[0]) == f"[Cổng thí điểm] {rows[0].title}"


def test_the_daily_digest_runs_on_a_real_worker(worker, unit_official):
    Preference.objects.create(user=unit_official, daily_digest=True)
    for title in ("Còn 7 ngày đến họp rút kinh nghiệm", "Hồ sơ H56.14-250616-0001 quá hạn"):
        notification = NotificationFactory(recipient=unit_official, title=title)
        Notification.objects.filter(pk=notification.pk).update(created_at=datetime(2025, 6, 16, 9, tzinfo=HCM))
    worker.send("send_daily_digests", datetime(2025, 6, 17, 7, tzinfo=HCM).isoformat())
    proc.wait_for(lambda: proc.read_emails(worker.mail_dir), timeout=60, what="the digest e-mail", logs=[worker.log])
    emails = proc.read_emails(worker.mail_dir)
    assert [proc.subject(m) for m in emails] == ["[Cổng thí điểm] 2 thông báo mới"]
    assert DigestDelivery.objects.filter(user=unit_official).count() == 1
