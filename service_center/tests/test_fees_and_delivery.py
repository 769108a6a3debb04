"""The fee collected with its receipt number, and how the result is delivered (at the counter, or by public post
to an address): at intake, on the dossier page and on form 01."""

import uuid

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from service_center.models import Dossier, ResultDelivery
from service_center.services import Applicant, DossierError, dossier_receive

from .factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db
APPLICANT = Applicant(name="Nguyễn Thị Lan", id_number="031190123456", address="Số 5 Lê Lợi")


@pytest.fixture
def procedure():
    return ProcedureFactory(name="Thủ tục đăng ký tạm trú", fee=15000)


def receive(unit, clerk, procedure, **kwargs):
    return dossier_receive(unit=unit, procedure=procedure, applicant=APPLICANT, actor=clerk, **kwargs)


def intake_data(procedure, **overrides):
    return {
        "token": str(uuid.uuid4()),
        "procedure": procedure.pk,
        "applicant_name": "Trần Văn Bình",
        "applicant_id_number": "031190123456",
        "channel": "1",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    } | overrides


def confirm(client, data):
    preview = client.post(reverse("service_center:intake"), data | {"preview": "1"})
    data |= {"confirm": "1", "previewed_due": preview.context["due_at"].isoformat()}
    return client.post(reverse("service_center:intake"), data, follow=True)


# --- The service ----------------------------------------------------------------------------------------------


def test_the_fee_collected_is_stored_with_its_receipt_number(unit, ward_clerk, procedure):
    dossier = receive(unit, ward_clerk, procedure, fee_collected=15000, fee_receipt_number=" 0001234 ")
    dossier.refresh_from_db()
    assert (dossier.fee_collected, dossier.fee_receipt_number) == (15000, "0001234")


@pytest.mark.parametrize(
    ("fee", "receipt", "message"),
    [(15000, "", "Hãy ghi số biên lai thu phí, lệ phí."), (-1, "BL1", "Phí, lệ phí đã thu không thể là số âm.")],
)
def test_a_fee_without_a_receipt_or_below_zero_is_refused(unit, ward_clerk, procedure, fee, receipt, message):
    with pytest.raises(DossierError, match=message):
        receive(unit, ward_clerk, procedure, fee_collected=fee, fee_receipt_number=receipt)
    assert not Dossier.objects.exists()


def test_a_result_by_post_needs_the_address(unit, ward_clerk, procedure):
    with pytest.raises(DossierError, match="Hãy ghi địa chỉ nhận kết quả qua dịch vụ bưu chính công ích"):
        receive(unit, ward_clerk, procedure, result_delivery=ResultDelivery.POST, delivery_address="  ")
    posted = receive(unit, ward_clerk, procedure, result_delivery=ResultDelivery.POST, delivery_address="Số 5 Lê Lợi")
    assert (posted.result_delivery, posted.delivery_address) == (ResultDelivery.POST, "Số 5 Lê Lợi")


def test_an_address_typed_for_a_result_at_the_counter_is_not_kept(unit, ward_clerk, procedure):
    dossier = receive(unit, ward_clerk, procedure, delivery_address="Số 5 Lê Lợi")
    assert (dossier.result_delivery, dossier.delivery_address) == (ResultDelivery.COUNTER, "")


def test_the_database_refuses_a_result_by_post_without_an_address():
    with pytest.raises(IntegrityError):
        DossierFactory(result_delivery=ResultDelivery.POST, delivery_address="")


# --- The intake screen and the dossier page ----------------------------------------------------------------------


def test_intake_shows_the_procedure_fee_and_proposes_it_as_the_fee_collected(client, ward_clerk, procedure):
    client.force_login(ward_clerk)
    response = client.get(reverse("service_center:intake"), {"procedure": procedure.pk})
    assert "Phí, lệ phí theo quy định: <strong>15.000 đồng</strong>" in response.content.decode()
    assert response.context["form"]["fee_collected"].value() == 15000


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"result_delivery": "post", "delivery_address": ""}, "Hãy ghi địa chỉ nhận kết quả qua dịch vụ bưu chính"),
        ({"fee_collected": "15000", "fee_receipt_number": ""}, "Hãy ghi số biên lai thu phí, lệ phí."),
        ({"fee_collected": "-5"}, "Phí, lệ phí đã thu không thể là số âm."),
        ({"fee_collected": "15.000đ"}, "Hãy ghi phí, lệ phí bằng số đồng (số nguyên)."),
    ],
)
def test_a_missing_address_or_a_bad_fee_is_a_field_error_and_keeps_the_input(
    client, ward_clerk, procedure, typed, message
):
    client.force_login(ward_clerk)
    response = client.post(reverse("service_center:intake"), intake_data(procedure, **typed) | {"confirm": "1"})
    content = response.content.decode()
    assert message in content and "Trần Văn Bình" in content
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("typed", ["15000", "15.000", "15,000", "15 000"])
def test_the_fee_is_read_in_dong_whatever_the_thousands_separator(client, ward_clerk, procedure, typed):
    client.force_login(ward_clerk)
    confirm(client, intake_data(procedure, fee_collected=typed, fee_receipt_number="0001234"))
    assert Dossier.objects.get().fee_collected == 15000


def test_the_dossier_page_shows_the_fee_collected_and_the_delivery_by_post(client, ward_clerk, procedure):
    client.force_login(ward_clerk)
    data = intake_data(
        procedure,
        fee_collected="15000",
        fee_receipt_number="0001234",
        result_delivery="post",
        delivery_address="Số 7 Trần Phú",
    )
    content = confirm(client, data).content.decode()
    dossier = Dossier.objects.get()
    assert (dossier.fee_collected, dossier.fee_receipt_number) == (15000, "0001234")
    assert "theo quy định: 15.000 đồng · đã thu: 15.000 đồng · biên lai số 0001234" in content
    assert "Qua dịch vụ bưu chính công ích: Số 7 Trần Phú" in content


def test_an_intake_without_fee_or_delivery_fields_receives_at_the_counter_with_no_fee(client, ward_clerk, procedure):
    client.force_login(ward_clerk)
    confirm(client, intake_data(procedure))
    dossier = Dossier.objects.get()
    assert (dossier.fee_collected, dossier.result_delivery, dossier.delivery_address) == (0, "counter", "")


# --- Form 01 -------------------------------------------------------------------------------------------------


def test_receipt_form_01_prints_the_fee_the_receipt_and_the_delivery_address(client, ward_clerk, procedure):
    dossier = receive(
        ward_clerk.unit,
        ward_clerk,
        procedure,
        fee_collected=15000,
        fee_receipt_number="0001234",
        result_delivery=ResultDelivery.POST,
        delivery_address="Số 7 Trần Phú",
    )
    at_counter = receive(ward_clerk.unit, ward_clerk, ProcedureFactory(fee=0))
    client.force_login(ward_clerk)
    content = client.get(reverse("service_center:print", args=[dossier.code, "01"])).content.decode()
    assert "Phí, lệ phí: 15.000 đồng; đã thu: 15.000 đồng (biên lai số 0001234)" in content
    assert "Đăng ký nhận kết quả tại: qua dịch vụ bưu chính công ích, địa chỉ: Số 7 Trần Phú" in content
    other = client.get(reverse("service_center:print", args=[at_counter.code, "01"])).content.decode()
    assert "Phí, lệ phí: không thu</p>" in other
    assert "Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả" in other
