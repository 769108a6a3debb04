"""Notices to the citizen: only with the consent recorded at intake, sent after the commit (never on a rollback),
by e-mail and SMS, retried after a gateway failure, and never blocking the counter."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pilot_portal.notifications.tests import test_broker_down
from service_center import notices, reminders
from service_center.models import CitizenNotice, Dossier, Status
from service_center.selectors import supplement_items
from service_center.services import Applicant, DossierError, dossier_apologize, dossier_receive, dossier_transition
from service_center.sms import HttpGatewayBackend, SmsError

from .citizen_fixtures import consenting_dossier
from .factories import DossierFactory, ProcedureFactory
from .test_clerk_screens import confirmed, intake_data

pytestmark = pytest.mark.django_db

dead_broker = test_broker_down.broker_down  # the notifications' fixture: Redis unreachable for this process

PRIVATE = ("Hoàng Thị Riêng Tư", "Hoang Thi Rieng Tu", "Số 9 ngõ Bí Mật", "246810")


def processing(dossier, clerk):
    dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=clerk)
    return dossier


# --- Consent at intake ---------------------------------------------------------------------------------------


def test_intake_records_the_consent_with_its_time_and_the_email(client, ward_clerk, frozen_now):
    client.force_login(ward_clerk)
    data = intake_data(ProcedureFactory(), applicant_email="binh@example.vn", notices_consent="on")
    response = client.post(reverse("service_center:intake"), confirmed(client, data), follow=True)
    dossier = Dossier.objects.get()
    assert dossier.applicant_email == "binh@example.vn"
    assert dossier.notices_consented_at == frozen_now
    assert "Đã ghi nhận đồng ý nhận thông báo lúc 09:30 15/07/2025." in response.content.decode()


def test_intake_without_the_checkbox_records_no_consent(client, ward_clerk):
    client.force_login(ward_clerk)
    data = intake_data(ProcedureFactory(), applicant_email="binh@example.vn")
    response = client.post(reverse("service_center:intake"), confirmed(client, data), follow=True)
    assert Dossier.objects.get().notices_consented_at is None
    assert "Không có đồng ý nhận thông báo" in response.content.decode()


def test_consent_with_only_a_landline_asks_for_a_mobile_number_and_keeps_what_was_typed(client, ward_clerk):
    client.force_login(ward_clerk)
    data = intake_data(ProcedureFactory(), applicant_phone="02253 123 456", notices_consent="on") | {"preview": "1"}
    response = client.post(reverse("service_center:intake"), data)
    content = response.content.decode()
    assert "Tin nhắn SMS cần số điện thoại di động" in content
    assert 'value="Trần Văn Bình"' in content
    assert not Dossier.objects.exists()


def test_consent_without_any_address_is_a_field_error(client, ward_clerk):
    client.force_login(ward_clerk)
    data = intake_data(ProcedureFactory(), applicant_phone="", notices_consent="on") | {"preview": "1"}
    content = client.post(reverse("service_center:intake"), data).content.decode()
    assert "Nhập địa chỉ thư điện tử hoặc số điện thoại di động để nhận thông báo." in content


def test_the_receiving_service_refuses_consent_without_a_mobile_or_an_email(unit, ward_clerk):
    applicant = Applicant(name="Trần Văn Bình", id_number="031190123456", phone="02253123456", notices_consent=True)
    with pytest.raises(DossierError, match="điện thoại di động"):
        dossier_receive(unit=unit, procedure=ProcedureFactory(), applicant=applicant, actor=ward_clerk)
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("number", ["0912345678", "0321234567", "0862345678", "0592345678", "0701234567"])
def test_mobile_numbers_of_every_carrier_are_mobile(number):
    from service_center.validators import is_mobile_phone

    assert is_mobile_phone(number)


@pytest.mark.parametrize("number", ["02253123456", "0212345678", "0612345678", "091234567", "09123456789"])
def test_landlines_and_wrong_lengths_are_not_mobile(number):
    from service_center.validators import is_mobile_phone

    assert not is_mobile_phone(number)


# --- What is sent, and when --------------------------------------------------------------------------------


def test_without_consent_nothing_is_sent(ward_clerk, sms_outbox, django_capture_on_commit_callbacks):
    dossier = consenting_dossier(ward_clerk.unit, notices_consented_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        processing(dossier, ward_clerk)
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk, result="Giấy khai sinh")
    assert not CitizenNotice.objects.exists()
    assert sms_outbox.messages() == []
    assert mail.outbox == []


def test_the_result_notice_goes_by_sms_and_email_after_the_commit_only(
    ward_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    dossier = processing(consenting_dossier(ward_clerk.unit), ward_clerk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk, result="Giấy khai sinh")
        # Written in the transaction, not sent before the commit.
        assert CitizenNotice.objects.filter(status=CitizenNotice.State.PENDING).count() == 2
        assert sms_outbox.messages() == []
        assert mail.outbox == []
    assert len(callbacks) == 2  # the citizen's notices, and the status change announced (the API's webhooks)
    for callback in callbacks:
        callback()
    [sms] = sms_outbox.messages()
    assert sms["to"] == "0912345678"
    assert dossier.code in sms["text"] and "/tra-cuu/?ma=" in sms["text"]
    assert "da co ket qua" in sms["text"]
    assert len(sms["text"]) <= 160 + len(dossier.code)
    [email] = mail.outbox
    assert email.to == ["cong.dan@example.vn"]
    assert email.subject == f"Hồ sơ {dossier.code}: đã có kết quả"
    assert dossier.procedure.name in email.body
    for private in PRIVATE:
        assert private not in sms["text"] and private not in email.body
    assert set(CitizenNotice.objects.values_list("channel", "status", "attempts")) == {
        ("sms", "sent", 1),
        ("email", "sent", 1),
    }


def test_nothing_is_sent_when_the_transaction_rolls_back(ward_clerk, sms_outbox, django_capture_on_commit_callbacks):
    dossier = processing(consenting_dossier(ward_clerk.unit), ward_clerk)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk, result="Giấy khai sinh")
        raise RuntimeError("something after the change failed")
    assert callbacks == []
    assert sms_outbox.messages() == [] and mail.outbox == []
    assert not CitizenNotice.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING


def test_a_repeated_change_sends_nothing_twice(ward_clerk, sms_outbox, django_capture_on_commit_callbacks):
    dossier = processing(consenting_dossier(ward_clerk.unit), ward_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk)
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk)  # a second submit: no change
    assert len(sms_outbox.messages()) == 1 and len(mail.outbox) == 1


def test_the_supplement_notice_lists_what_is_missing(ward_clerk, sms_outbox, django_capture_on_commit_callbacks):
    dossier = processing(consenting_dossier(ward_clerk.unit), ward_clerk)
    note = "Bản sao giấy chứng sinh\n- Tờ khai đăng ký khai sinh có chữ ký\n\n"
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=ward_clerk, note=note)
    assert supplement_items(dossier) == ["Bản sao giấy chứng sinh", "Tờ khai đăng ký khai sinh có chữ ký"]
    [email] = mail.outbox
    assert email.subject == f"Hồ sơ {dossier.code}: cần bổ sung giấy tờ"
    assert "- Bản sao giấy chứng sinh\n- Tờ khai đăng ký khai sinh có chữ ký" in email.body
    [sms] = sms_outbox.messages()
    assert "can bo sung" in sms["text"] and dossier.code in sms["text"]


def test_a_second_supplement_request_gets_its_own_notice(ward_clerk, sms_outbox, django_capture_on_commit_callbacks):
    dossier = processing(consenting_dossier(ward_clerk.unit, applicant_email=""), ward_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=ward_clerk, note="Tờ khai")
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)
    import time_machine

    with (
        time_machine.travel(timezone.now() + dt.timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=ward_clerk, note="Bản sao CCCD")
    assert supplement_items(dossier) == ["Bản sao CCCD"]
    assert len(sms_outbox.messages()) == 2


def test_the_apology_notice_gives_the_new_date(ward_clerk, sms_outbox, django_capture_on_commit_callbacks):
    dossier = processing(consenting_dossier(ward_clerk.unit, due_at=timezone.now() + dt.timedelta(days=3)), ward_clerk)
    new_due = timezone.now().replace(hour=3, minute=0) + dt.timedelta(days=6)  # 10:00 in Vietnam
    with django_capture_on_commit_callbacks(execute=True):
        dossier_apologize(dossier=dossier, new_due_at=new_due, actor=ward_clerk, reason="Chờ xác minh")
    expected = timezone.localtime(new_due).strftime("%H:%M %d/%m/%Y")
    [sms] = sms_outbox.messages()
    assert expected in sms["text"] and "xin loi" in sms["text"].lower()
    assert expected in mail.outbox[0].body
    assert "Chờ xác minh" not in mail.outbox[0].body  # the internal reason stays inside


def test_a_landline_gets_no_sms_but_the_email_goes(ward_clerk, sms_outbox, django_capture_on_commit_callbacks):
    dossier = processing(consenting_dossier(ward_clerk.unit, applicant_phone="02253123456"), ward_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk)
    assert sms_outbox.messages() == []
    assert len(mail.outbox) == 1


# --- Failures never block the counter ------------------------------------------------------------------------


def test_the_transition_succeeds_while_the_broker_is_down_and_the_notice_stays_pending(
    client,
    ward_clerk,
    dead_broker,
    sms_outbox,
    django_capture_on_commit_callbacks,
    caplog,
):
    dossier = processing(consenting_dossier(ward_clerk.unit), ward_clerk)
    client.force_login(ward_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("service_center:transition", args=[dossier.code]), {"to": Status.DONE, "result": "Giấy khai sinh"}
        )
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.DONE
    assert "could not queue citizen notice" in caplog.text
    assert set(CitizenNotice.objects.values_list("status", "attempts")) == {("pending", 0)}
    assert sms_outbox.messages() == []


def test_the_sweep_queues_the_notices_left_pending(ward_clerk, sms_outbox, django_capture_on_commit_callbacks):
    dossier = consenting_dossier(ward_clerk.unit)
    old = CitizenNotice.objects.create(
        dossier=dossier, kind="result", channel="sms", recipient="0912345678", body="Ho so", key="k-old"
    )
    CitizenNotice.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    CitizenNotice.objects.create(
        dossier=dossier, kind="result", channel="sms", recipient="0912345678", body="x", key="k"
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders.citizen_notices_pending(timezone.now())
    assert [m["text"] for m in sms_outbox.messages()] == ["Ho so"]  # the fresh one has its own task on the way
    assert CitizenNotice.objects.get(pk=old.pk).status == "sent"


def test_in_process_sending_with_the_gateway_down_leaves_the_notice_pending(
    ward_clerk, http_gateway, django_capture_on_commit_callbacks
):
    http_gateway.answers = [503]
    dossier = processing(consenting_dossier(ward_clerk.unit, applicant_email=""), ward_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk)
    notice = CitizenNotice.objects.get()
    assert (notice.status, notice.attempts, notice.last_error) == ("pending", 1, "the SMS gateway answered 503")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.DONE


@pytest.fixture
def eager_retries():
    """Run the task's retries in-process as Celery does eagerly (its own errors become the result's)."""
    from pilot_portal.celery import app

    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


def test_the_task_retries_after_a_gateway_failure_and_sends_once(ward_clerk, http_gateway, eager_retries):
    http_gateway.answers = [500, 503]
    dossier = consenting_dossier(ward_clerk.unit)
    notice = CitizenNotice.objects.create(
        dossier=dossier, kind="result", channel="sms", recipient="0912345678", body="Ho so da co ket qua", key="k1"
    )
    result = notices.send_citizen_notice.apply(args=[notice.pk])  # eager: the retries run at once
    assert result.get() is True
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("sent", 3)
    assert len(http_gateway.received) == 3
    body = http_gateway.received[-1]
    assert body["body"] == {
        "to": "84912345678",
        "from": "UBND-PHUONG",
        "text": "Ho so da co ket qua",
        "reference": "k1",
    }
    assert body["authorization"] == "Bearer token-thu-nghiem"
    # A duplicate task finds it sent and sends nothing.
    assert notices.send_citizen_notice.apply(args=[notice.pk]).get() is False
    assert len(http_gateway.received) == 3


def test_a_notice_is_marked_failed_once_the_retries_are_used_up(ward_clerk, http_gateway, eager_retries):
    http_gateway.answers = [500] * (notices.MAX_RETRIES + 1)
    notice = CitizenNotice.objects.create(
        dossier=consenting_dossier(ward_clerk.unit), kind="result", channel="sms", recipient="0912345678", body="x"
    )
    result = notices.send_citizen_notice.apply(args=[notice.pk])
    assert result.failed()
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("failed", notices.MAX_RETRIES + 1)
    assert notice.last_error == "the SMS gateway answered 500"


def test_the_http_adapter_times_out_instead_of_waiting(settings, gateway):
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        backend = HttpGatewayBackend(url=f"http://127.0.0.1:{silent.getsockname()[1]}/", timeout=0.5)
        with pytest.raises(SmsError, match="cannot be reached"):
            backend.send(to="0912345678", text="x")
    finally:
        silent.close()


def test_an_unconfigured_http_adapter_says_so(settings):
    settings.SERVICE_CENTER_SMS_GATEWAY_URL = ""
    with pytest.raises(SmsError, match="SMS_GATEWAY_URL"):
        HttpGatewayBackend()


def test_the_console_backend_logs_the_message(settings, caplog, ward_clerk, django_capture_on_commit_callbacks):
    import logging

    settings.SERVICE_CENTER_SMS_BACKEND = "service_center.sms.ConsoleBackend"
    dossier = processing(consenting_dossier(ward_clerk.unit, applicant_email=""), ward_clerk)
    with (
        caplog.at_level(logging.INFO, logger="service_center.sms"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk)
    assert f"SMS to 0912345678 (dossier:{dossier.pk}:result::sms)" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_in_a_real_transaction_the_sms_leaves_after_the_commit(ward_clerk, sms_outbox):
    dossier = processing(consenting_dossier(ward_clerk.unit), ward_clerk)
    with transaction.atomic():
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk)
        assert sms_outbox.messages() == []
    assert len(sms_outbox.messages()) == 1
    assert CitizenNotice.objects.get(channel="sms").status == "sent"


def test_the_dossier_page_lists_the_notices_sent(client, ward_clerk, sms_outbox, django_capture_on_commit_callbacks):
    dossier = processing(consenting_dossier(ward_clerk.unit), ward_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk)
    client.force_login(ward_clerk)
    content = client.get(dossier.get_absolute_url()).content.decode()
    assert "Đã có kết quả · SMS · Đã gửi" in content
    assert "Đã có kết quả · Thư điện tử · Đã gửi" in content


def test_a_dossier_made_by_the_factory_has_no_consent():
    assert DossierFactory().notices_consented_at is None


def test_without_a_broker_a_notice_gives_up_after_as_many_attempts_as_the_task(ward_clerk, http_gateway):
    http_gateway.answers = [500] * (notices.MAX_RETRIES + 2)
    notice = CitizenNotice.objects.create(
        dossier=consenting_dossier(ward_clerk.unit), kind="result", channel="sms", recipient="0912345678", body="x"
    )
    for _ in range(notices.MAX_RETRIES + 1):
        assert notices.notices_enqueue(notice_ids=[notice.pk]) == 0  # in-process, one attempt each (the sweep's)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("failed", notices.MAX_RETRIES + 1)
    assert notices.notices_pending(at=timezone.now() + dt.timedelta(days=1)) == []
