"""Nothing user-facing waits on the broker: with Redis unreachable, pages and dossier intake keep working."""

import time

import pytest
from django.urls import reverse

from pilot_portal.celery import app as celery_app
from pilot_portal.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = DEAD_BROKER
    settings.HEALTHZ_BROKER_TIMEOUT = 0.5
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = DEAD_BROKER, False
    # The connection and producer pools are built for the broker URL of their first use.
    celery_app._pool = celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
    celery_app._pool = celery_app.amqp._producer_pool = None


def test_pages_and_notifications_work_while_the_broker_is_down(client, broker_down, unit_official):
    NotificationFactory(recipient=unit_official)
    client.force_login(unit_official)
    started = time.monotonic()
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("notifications:list")).status_code == 200
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert time.monotonic() - started < 5
    assert client.get("/healthz").status_code == 503  # the health check says so; the pages do not wait


def test_dossier_intake_works_while_the_broker_is_down(
    client, broker_down, ward_clerk, unit_official, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    """A clerk receives a dossier through the real intake screens while Redis is unreachable.

    Intake queues no task of its own today; here it also notifies the unit's officials in its transaction (as a
    notice of a new dossier would), so that the e-mail task queued after commit really meets the dead broker: the
    after-commit work runs (it never would in the test's rolled-back transaction otherwise).
    """
    import uuid

    from django.core import mail
    from django.utils import timezone

    from pilot_portal.notifications import services as notifications
    from pilot_portal.notifications import tasks
    from pilot_portal.notifications.models import Kind, Notification
    from service_center import services
    from service_center.models import Dossier
    from service_center.tests.factories import ProcedureFactory

    # The broker is really down for this process: any enqueue fails, and fast.
    started = time.monotonic()
    with pytest.raises(notifications.BROKER_ERRORS):
        tasks.send_notification_emails.delay([0])
    assert time.monotonic() - started < 5

    receive = services.dossier_receive

    def receive_and_notify(**kwargs):
        dossier = receive(**kwargs)
        notifications.notify(
            recipient=unit_official, kind=Kind.DOSSIER, key=f"dossier:{dossier.pk}:received", title=dossier.code
        )
        return dossier

    monkeypatch.setattr(services, "dossier_receive", receive_and_notify)
    client.force_login(ward_clerk)
    data = {
        "token": str(uuid.uuid4()),
        "procedure": ProcedureFactory().pk,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "031090123456",
        "channel": "1",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    started = time.monotonic()
    preview = client.post(reverse("service_center:intake"), data | {"preview": "1"})
    data |= {"confirm": "1", "previewed_due": preview.context["due_at"].isoformat()}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("service_center:intake"), data, follow=True)
    assert time.monotonic() - started < 5

    dossier = Dossier.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == dossier.get_absolute_url()
    assert f"Đã tiếp nhận hồ sơ {dossier.code}." in response.content.decode()
    # The e-mail task went to the dead broker after commit, and the e-mail left in-process instead.
    assert callbacks
    assert "broker unreachable: sending 1 notification e-mails in-process" in caplog.text
    assert [m.subject for m in mail.outbox] == [f"[Cổng thí điểm] {dossier.code}"]
    assert Notification.objects.get(recipient=unit_official).emailed_at is not None


def test_a_notification_is_emailed_in_process_when_the_broker_is_down(
    broker_down, unit_official, django_capture_on_commit_callbacks
):
    from django.core import mail

    from pilot_portal.notifications import services
    from pilot_portal.notifications.models import Kind, Notification

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=unit_official, kind=Kind.SYSTEM, key="test:broker-down", title="Thử khi Redis dừng")
    assert time.monotonic() - started < 10
    assert [m.subject for m in mail.outbox] == ["[Cổng thí điểm] Thử khi Redis dừng"]
    assert Notification.objects.get().emailed_at is not None
