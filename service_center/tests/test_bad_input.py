"""Bad input on the clerk's screens: a clear message, nothing saved, nothing typed lost, never a server error."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from service_center.models import Dossier, DossierEvent, Status
from service_center.services import Applicant, DossierError, dossier_receive

from .factories import DossierFactory, ProcedureFactory
from .test_clerk_screens import intake_data
from .xlsx import header_row, workbook

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


@pytest.mark.parametrize("name", ["service_center:statistics", "service_center:book"])
@pytest.mark.parametrize(
    ("start", "end"), [("9999-01-01", "9999-12-31"), ("0001-01-01", "0001-12-31"), ("1999-12-31", "2000-01-05")]
)
def test_a_period_outside_the_supported_years_shows_a_message(client, ward_clerk, name, start, end):
    client.force_login(ward_clerk)
    for params in ({"start": start, "end": end}, {"start": start, "end": end, "format": "xlsx"}):
        response = client.get(reverse(name), params)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "Hãy chọn một ngày từ 01/01/2000 đến 31/12/2099." in response.content.decode()


def test_a_period_typed_as_day_month_year_is_read_that_way(client, ward_clerk):
    DossierFactory(unit=ward_clerk.unit, received_at=dt.datetime(2025, 6, 5, 9, 0, tzinfo=TZ))
    client.force_login(ward_clerk)
    response = client.get(reverse("service_center:book"), {"start": "05/06/2025", "end": "05/06/2025"})
    assert response.context["start"] == dt.date(2025, 6, 5)
    assert len(response.context["dossiers"]) == 1


def test_the_period_fields_hold_dates_the_date_picker_can_show(client, ward_clerk):
    client.force_login(ward_clerk)
    content = client.get(reverse("service_center:statistics")).content.decode()
    first_of_month = timezone.localdate().replace(day=1)
    assert f'value="{first_of_month:%Y-%m-%d}"' in content


def test_excel_exports_drop_control_characters_and_never_write_a_formula(client, ward_clerk):
    DossierFactory(unit=ward_clerk.unit, applicant_name='=HYPERLINK("http://x")\x0b', received_at=timezone.now())
    client.force_login(ward_clerk)
    response = client.get(reverse("service_center:book"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = workbook(response).active
    first = header_row(sheet, "STT") + 1
    assert sheet[f"D{first}"].value == '=HYPERLINK("http://x")'
    assert sheet[f"D{first}"].data_type == "s"
    assert sheet[f"H{first}"].number_format == "dd/mm/yyyy hh:mm"


def test_a_receipt_before_2000_is_a_field_error_and_saves_nothing(client, ward_clerk):
    client.force_login(ward_clerk)
    data = intake_data(ProcedureFactory(), received_at="1925-06-16T08:00") | {"confirm": "1"}
    response = client.post(reverse("service_center:intake"), data)
    assert response.status_code == 200
    assert "Thời gian tiếp nhận không được trước 01/01/2000." in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_receiving_service_refuses_a_receipt_before_2000(unit, ward_clerk):
    with pytest.raises(DossierError):
        dossier_receive(
            unit=unit,
            procedure=ProcedureFactory(),
            applicant=Applicant(name="Trần Văn Bình", id_number="031190123456"),
            actor=ward_clerk,
            received_at=dt.datetime(1925, 6, 16, 8, 0, tzinfo=TZ),
        )
    assert not Dossier.objects.exists()


def test_a_transition_refused_because_the_page_was_stale_keeps_the_note_and_result(client, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    client.force_login(ward_clerk)
    response = client.post(
        reverse("service_center:transition", args=[dossier.code]),
        {"to": Status.DONE, "note": "Đã thẩm định xong", "result": "Giấy khai sinh số 12"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "không thể chuyển sang" in content
    assert ">Đã thẩm định xong</textarea>" in content
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert not DossierEvent.objects.filter(dossier=dossier).exists()


def test_an_unknown_target_status_is_a_message(client, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit)
    client.force_login(ward_clerk)
    response = client.post(reverse("service_center:transition", args=[dossier.code]), {"to": "99", "note": "x"})
    assert response.status_code == 200
    assert "Hãy chọn một thao tác hợp lệ." in response.content.decode()


@pytest.mark.parametrize(
    ("new_due_at", "message"),
    [
        ("ngày mai", "Nhập một ngày/thời gian hợp lệ."),
        ("2000-01-01T08:00", "Ngày hẹn mới phải sau hạn trả hiện tại."),
        ("9999-12-31T23:59", "Hãy chọn một ngày từ 01/01/2000 đến 31/12/2099."),
    ],
)
def test_a_refused_apology_shows_why_and_keeps_the_reason(client, ward_clerk, new_due_at, message):
    dossier = DossierFactory(
        unit=ward_clerk.unit, status=Status.PROCESSING, due_at=timezone.now() + dt.timedelta(days=4)
    )
    client.force_login(ward_clerk)
    response = client.post(
        reverse("service_center:apology", args=[dossier.code]),
        {"new_due_at": new_due_at, "reason": "Chờ kết quả xác minh của công an"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "Chờ kết quả xác minh của công an" in content
    dossier.refresh_from_db()
    assert dossier.apologized_at is None


def test_a_refused_hand_over_keeps_the_note(client, ward_clerk, clerk_of_other_unit):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    client.force_login(ward_clerk)
    response = client.post(
        reverse("service_center:handover", args=[dossier.code]),
        {"to_user": clerk_of_other_unit.pk, "note": "Chuyển phòng Văn hóa - Xã hội"},
    )
    content = response.content.decode()
    assert "Hãy chọn một cán bộ của đơn vị." in content
    assert "Chuyển phòng Văn hóa - Xã hội" in content
    dossier.refresh_from_db()
    assert dossier.assigned_to is None
