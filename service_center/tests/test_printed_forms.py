import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from service_center.models import Status
from service_center.printing import qr_svg
from service_center.services import dossier_apologize, dossier_hand_over, dossier_transition

from .factories import DossierFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


@pytest.fixture
def dossier(ward_clerk):
    return DossierFactory(
        unit=ward_clerk.unit,
        code="H31.01-250616-0007",
        applicant_name="Phạm Thị Hoa",
        received_at=dt.datetime(2025, 6, 16, 8, 15, tzinfo=TZ),
        due_at=dt.datetime(2030, 6, 19, 8, 15, tzinfo=TZ),
        received_by=ward_clerk,
        lookup_secret="482913",
    )


def get(client, dossier, number):
    response = client.get(reverse("service_center:print", args=[dossier.code, number]))
    assert response.status_code == 200
    return response.content.decode()


def test_receipt_form_01_has_the_appointment_lookup_code_and_qr(client, ward_clerk, dossier):
    client.force_login(ward_clerk)
    content = get(client, dossier, "01")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".lower() in content.lower()
    assert "Phạm Thị Hoa" in content
    assert "08 giờ 15 phút, ngày 19/06/2030" in content
    assert "482913" in content
    assert "/tra-cuu/?ma=H31.01-250616-0007" in content
    # The QR code itself, in its box, encoding the public lookup address (not just any SVG on the page).
    qr_box = re.search(r'<div class="qr" aria-label="Mã QR tra cứu">(.*?)</div>', content, re.S)
    assert qr_box is not None
    assert qr_box.group(1) == qr_svg("http://testserver/tra-cuu/?ma=H31.01-250616-0007")
    assert qr_box.group(1).startswith("<svg") and "<path" in qr_box.group(1)
    assert "size: A5" in content


def test_the_receipt_links_to_the_public_origin_not_the_clerks_intranet_address(client, ward_clerk, dossier, settings):
    settings.ALLOWED_HOSTS = ["10.0.0.5", "testserver"]
    settings.PORTAL_BASE_URL = "https://thidiem.haiphong.gov.vn"
    client.force_login(ward_clerk)
    response = client.get(reverse("service_center:print", args=[dossier.code, "01"]), HTTP_HOST="10.0.0.5")
    content = response.content.decode()
    assert "https://thidiem.haiphong.gov.vn/tra-cuu/?ma=H31.01-250616-0007" in content
    assert "10.0.0.5" not in content


def test_supplement_and_refusal_forms_carry_the_reason(client, ward_clerk, dossier):
    dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=ward_clerk, note="Thiếu bản sao giấy khai sinh")
    client.force_login(ward_clerk)
    assert "Thiếu bản sao giấy khai sinh" in get(client, dossier, "02")
    dossier_transition(dossier=dossier, to=Status.WITHDRAWN, actor=ward_clerk)
    other = DossierFactory(unit=ward_clerk.unit)
    dossier_transition(dossier=other, to=Status.REFUSED, actor=ward_clerk, note="Không thuộc thẩm quyền")
    assert "Không thuộc thẩm quyền" in get(client, other, "03")


def test_supplement_form_02_keeps_the_reason_after_a_hand_over_while_waiting(
    client, ward_clerk, unit_official, dossier
):
    dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=ward_clerk, note="Thiếu bản sao giấy khai sinh")
    dossier_hand_over(dossier=dossier, to_user=unit_official, actor=ward_clerk, note="Nghỉ phép")
    client.force_login(ward_clerk)
    content = get(client, dossier, "02")
    assert "Thiếu bản sao giấy khai sinh" in content
    assert "Nghỉ phép" not in content


def test_apology_form_04_shows_old_and_new_dates(client, ward_clerk, dossier):
    dossier_apologize(
        dossier=dossier, new_due_at=dt.datetime(2030, 6, 25, 17, 0, tzinfo=TZ), actor=ward_clerk, reason="Chờ xác minh"
    )
    client.force_login(ward_clerk)
    content = get(client, dossier, "04")
    assert "08:15 ngày 19/06/2030" in content
    assert "17:00 ngày 25/06/2030" in content
    assert "Chờ xác minh" in content


def test_apology_form_04_gives_the_reason_without_repeating_the_new_date_in_it(client, ward_clerk, dossier):
    dossier_apologize(
        dossier=dossier, new_due_at=dt.datetime(2030, 6, 25, 17, 0, tzinfo=TZ), actor=ward_clerk, reason="Chờ xác minh"
    )
    client.force_login(ward_clerk)
    content = get(client, dossier, "04")
    assert '<p id="reason">Tuy nhiên đến nay, hồ sơ chưa giải quyết xong. Lý do: Chờ xác minh</p>' in content
    assert content.count("25/06/2030") == 1


def test_the_reason_of_an_apology_recorded_before_it_was_kept_apart_comes_from_its_note(ward_clerk, dossier):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("service_center.migrations.0006_papers_fees_delivery")
    dossier_apologize(
        dossier=dossier, new_due_at=dt.datetime(2030, 6, 25, 17, 0, tzinfo=TZ), actor=ward_clerk, reason="x"
    )
    dossier.events.filter(kind="apology").update(note="Hẹn lại ngày trả 17:00 25/06/2030. Chờ xác minh. Còn thiếu")
    type(dossier).objects.filter(pk=dossier.pk).update(apology_reason="")
    migration.apology_reasons(apps, None)
    dossier.refresh_from_db()
    assert dossier.apology_reason == "Chờ xác minh. Còn thiếu"


def test_control_slip_05_ends_with_the_return_of_the_result_to_the_citizen(client, ward_clerk, dossier):
    client.force_login(ward_clerk)
    waiting = get(client, dossier, "05")
    assert "Trả kết quả: Bộ phận tiếp nhận và trả kết quả" in waiting and "Nhận: Phạm Thị Hoa" in waiting
    assert "Ký nhận kết quả:" in waiting
    for status in (Status.PROCESSING, Status.DONE):
        dossier_transition(dossier=dossier, to=status, actor=ward_clerk, result="Giấy khai sinh bản chính")
    dossier_transition(dossier=dossier, to=Status.RETURNED, actor=ward_clerk)
    content = get(client, dossier, "05")
    last_row = re.search(r'<tr id="return-row">(.*?)</tr>\s*</tbody>', content, re.S)
    assert last_row is not None
    assert ward_clerk.get_full_name() in last_row.group(1)
    assert "15/07/2025" in last_row.group(1) and "Trước/đúng hạn" in last_row.group(1)
    assert "Giấy khai sinh bản chính" in last_row.group(1)


def test_control_slip_05_lists_the_hand_overs(client, ward_clerk, unit_official, dossier):
    dossier_hand_over(dossier=dossier, to_user=unit_official, actor=ward_clerk, note="Trình lãnh đạo ký")
    client.force_login(ward_clerk)
    content = get(client, dossier, "05")
    assert unit_official.get_full_name() in content
    assert "Trình lãnh đạo ký" in content


def test_an_unknown_form_number_is_not_found(client, ward_clerk, dossier):
    client.force_login(ward_clerk)
    assert client.get(reverse("service_center:print", args=[dossier.code, "09"])).status_code == 404


def test_tracking_book_page_and_excel_list_the_period_dossiers(client, ward_clerk, dossier):
    DossierFactory(unit=ward_clerk.unit, received_at=dt.datetime(2025, 5, 2, 9, 0, tzinfo=TZ), code="OUT-1")
    client.force_login(ward_clerk)
    period = {"start": "2025-06-01", "end": "2025-06-30"}
    page = client.get(reverse("service_center:book"), period).content.decode()
    assert "H31.01-250616-0007" in page and "OUT-1" not in page
    response = client.get(reverse("service_center:book"), period | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("STT", "Mã hồ sơ")
    assert [r[1] for r in rows[1:]] == ["H31.01-250616-0007"]


def test_a_book_too_large_for_one_file_asks_for_a_shorter_period(client, ward_clerk, dossier, monkeypatch):
    from service_center import report_views

    DossierFactory(unit=ward_clerk.unit, received_at=dt.datetime(2025, 6, 20, 9, 0, tzinfo=TZ))
    monkeypatch.setattr(report_views, "EXPORT_LIMIT", 1)  # the limit's value, not our code's behaviour
    client.force_login(ward_clerk)
    response = client.get(
        reverse("service_center:book"), {"start": "2025-06-01", "end": "2025-06-30", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "chọn khoảng thời gian ngắn hơn" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 25])
def test_tracking_book_query_count_does_not_grow_with_rows(client, ward_clerk, django_assert_max_num_queries, rows):
    DossierFactory.create_batch(rows, unit=ward_clerk.unit, received_at=dt.datetime(2025, 6, 17, 9, 0, tzinfo=TZ))
    client.force_login(ward_clerk)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("service_center:book"), {"start": "2025-06-01", "end": "2025-06-30"})
    assert len(response.context["dossiers"]) == rows
