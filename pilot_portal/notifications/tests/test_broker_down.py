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


def test_dossier_intake_works_while_the_broker_is_down(broker_down, unit, ward_clerk):
    from service_center import services
    from service_center.tests.factories import ProcedureFactory

    started = time.monotonic()
    dossier = services.dossier_receive(
        unit=unit,
        procedure=ProcedureFactory(),
        applicant=services.Applicant(name="Nguyễn Văn An", id_number="031090123456"),
        actor=ward_clerk,
    )
    assert dossier.pk is not None
    assert time.monotonic() - started < 5


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
