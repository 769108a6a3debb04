"""Webhooks: one signed delivery per status change for the receivers of the dossier's unit or province, logged,
retried after a failure; the counter never waits for a receiver."""

import hashlib
import hmac
import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pilot_portal.api import tasks, webhooks
from pilot_portal.api.models import WebhookDelivery, WebhookReceiver
from service_center import services
from service_center.models import Status
from service_center.tests.factories import DossierFactory
from units.tests.factories import UnitFactory

from .receiver import start_receiver

pytestmark = pytest.mark.django_db

SECRET = "bi-mat-chung-voi-he-thong-nhan"


@pytest.fixture
def receiver():
    state, server = start_receiver()
    yield state
    server.shutdown()
    server.server_close()


def expected_signature(headers, body: bytes) -> str:
    timestamp = headers["X-Pilot-Timestamp"]
    return "sha256=" + hmac.new(SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def test_a_receiver_is_for_a_province_or_a_unit_and_an_http_url(unit):
    for bad in (
        WebhookReceiver(name="Cả hai", url="https://a.example/hook", secret="s", unit=unit, province=unit.province),
        WebhookReceiver(name="Không gì", url="https://a.example/hook", secret="s"),
        WebhookReceiver(name="Tệp", url="file:///etc/passwd", secret="s", unit=unit),
        WebhookReceiver(name="FTP", url="ftp://a.example/hook", secret="s", unit=unit),
    ):
        with pytest.raises(ValidationError):
            bad.full_clean()
    WebhookReceiver(name="Một cửa", url="https://a.example/hook", secret="s", unit=unit).full_clean()


def test_each_status_change_is_one_signed_delivery_to_the_receivers_of_the_unit_and_province(
    receiver, ward_clerk, django_capture_on_commit_callbacks
):
    unit = ward_clerk.unit
    for_unit = WebhookReceiver.objects.create(name="Một cửa xã", url=receiver.url, secret=SECRET, unit=unit)
    WebhookReceiver.objects.create(name="Một cửa tỉnh", url=receiver.url, secret=SECRET, province=unit.province)
    WebhookReceiver.objects.create(name="Đơn vị khác", url=receiver.url, secret=SECRET, unit=UnitFactory())
    WebhookReceiver.objects.create(name="Tắt", url=receiver.url, secret=SECRET, unit=unit, is_active=False)
    dossier = DossierFactory(unit=unit, status=Status.RECEIVED, source_system="motcua", source_number="HP-9")
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        # The same change again changes nothing: nothing is sent.
        services.dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)
    deliveries = list(WebhookDelivery.objects.order_by("receiver__name"))
    assert [d.receiver.name for d in deliveries] == ["Một cửa tỉnh", "Một cửa xã"]
    assert all(d.status == WebhookDelivery.Status.PENDING for d in deliveries)  # no broker here: not sent yet
    for delivery in deliveries:
        assert tasks.deliver_webhook.apply(args=[delivery.pk]).get() is True
    assert len(receiver.requests) == 2
    for request in receiver.requests:
        assert request.headers["X-Pilot-Signature"] == expected_signature(request.headers, request.body)
        payload = json.loads(request.body)
        assert payload["dossier_code"] == dossier.code
        assert payload["source_number"] == "HP-9"
        assert (payload["from_status"], payload["to_status"]) == (2, 4)
        assert payload["changed_at"].endswith("+07:00")
        assert payload["due_at"].endswith("+07:00")
    delivery = WebhookDelivery.objects.get(receiver=for_unit)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None


def test_a_failed_attempt_is_logged_and_a_delivered_one_is_not_sent_again(receiver, ward_clerk):
    receiver.answers = [503]
    WebhookReceiver.objects.create(name="Một cửa", url=receiver.url, secret=SECRET, unit=ward_clerk.unit)
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    webhooks.on_dossier_status_changed(dossier_id=dossier.pk, from_status="2", to_status="4", at=dossier.received_at)
    delivery = WebhookDelivery.objects.get()
    assert webhooks.attempt(delivery.pk) is False
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.last_error) == (
        "pending",
        1,
        503,
        "HTTP 503",
    )
    assert webhooks.attempt(delivery.pk) is True
    assert webhooks.attempt(delivery.pk) is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 2, "")
    assert len(receiver.requests) == 2
    # The hook run twice for the same change records one delivery.
    webhooks.on_dossier_status_changed(dossier_id=dossier.pk, from_status="2", to_status="4", at=dossier.received_at)
    assert WebhookDelivery.objects.count() == 1


def test_a_redirect_is_not_followed(ward_clerk):
    target, target_server = start_receiver()
    redirecting, redirect_server = start_receiver(answers=[302])
    try:
        WebhookReceiver.objects.create(name="Một cửa", url=redirecting.url, secret=SECRET, unit=ward_clerk.unit)
        dossier = DossierFactory(unit=ward_clerk.unit)
        webhooks.on_dossier_status_changed(dossier_id=dossier.pk, from_status="2", to_status="4", at=dossier.due_at)
        assert webhooks.attempt(WebhookDelivery.objects.get().pk) is False
        assert target.requests == []
        assert WebhookDelivery.objects.get().response_status == 302
    finally:
        for server in (target_server, redirect_server):
            server.shutdown()
            server.server_close()


def test_a_receiver_that_is_down_is_a_logged_error(ward_clerk):
    _state, server = start_receiver()
    url = _state.url
    server.shutdown()
    server.server_close()
    WebhookReceiver.objects.create(name="Một cửa", url=url, secret=SECRET, unit=ward_clerk.unit)
    dossier = DossierFactory(unit=ward_clerk.unit)
    webhooks.on_dossier_status_changed(dossier_id=dossier.pk, from_status="2", to_status="4", at=dossier.due_at)
    assert tasks.deliver_webhook.apply(args=[WebhookDelivery.objects.get().pk]).get() is False
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, None)
    assert "refused" in delivery.last_error.lower()


def test_the_counter_does_not_wait_for_the_broker_nor_the_receiver(
    client,
    broker_down,
    ward_clerk,
    django_capture_on_commit_callbacks,
):
    WebhookReceiver.objects.create(name="Một cửa", url="http://127.0.0.1:1/hook", secret=SECRET, unit=ward_clerk.unit)
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    client.force_login(ward_clerk)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("service_center:transition", args=[dossier.code]), {"to": Status.PROCESSING})
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING


def test_the_admin_lists_deliveries_and_sends_a_pending_one_again(client, receiver, ward_clerk):
    from pilot_portal.accounts.tests.factories import UserFactory

    WebhookReceiver.objects.create(name="Một cửa", url=receiver.url, secret=SECRET, unit=ward_clerk.unit)
    dossier = DossierFactory(unit=ward_clerk.unit)
    webhooks.on_dossier_status_changed(dossier_id=dossier.pk, from_status="2", to_status="4", at=dossier.due_at)
    delivery = WebhookDelivery.objects.get()
    client.force_login(UserFactory(superuser=True))
    changelist = reverse("admin:api_webhookdelivery_changelist")
    assert dossier.code in client.get(changelist).content.decode()
    client.post(changelist, {"action": "send_again", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert client.get(reverse("admin:api_webhookdelivery_change", args=[delivery.pk])).status_code == 200
    assert client.get(reverse("admin:api_webhookreceiver_add")).status_code == 200
