import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from service_center.models import Dossier, Status
from service_center.services import Applicant, dossier_receive

from .factories import ProcedureFactory
from .xlsx import table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_finds_a_dossier_apologizes_hands_over_requests_a_supplement_and_reads_the_statistics(
    page, login, ward_clerk, unit_official
):
    unit_official.first_name = "Lê Văn Duyệt"
    unit_official.save()
    dossier = dossier_receive(
        unit=ward_clerk.unit,
        procedure=ProcedureFactory(name="Chứng thực bản sao từ bản chính", time_limit=5),
        applicant=Applicant(name="Hoàng Thị Lan", id_number="031190654321"),
        actor=ward_clerk,
    )
    new_due = timezone.localtime(dossier.due_at + dt.timedelta(days=2)).replace(hour=16, minute=0)
    login(ward_clerk)

    page.get_by_role("link", name="Trung tâm PVHCC").click()
    page.get_by_label("Tìm kiếm").fill("031190654321")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name=dossier.code).click()

    page.get_by_role("button", name="Chuyển sang: Đang xử lý").click()
    page.get_by_text("Hồ sơ đã chuyển sang “Đang xử lý”.").wait_for()

    page.get_by_label("Ngày hẹn trả mới").fill(new_due.strftime("%d/%m/%Y %H:%M"))
    page.locator("#id_reason").fill("Chờ xác minh bản chính")
    page.get_by_role("button", name="Ghi nhận xin lỗi").click()
    page.get_by_text("Đã ghi nhận xin lỗi và hẹn lại ngày trả; hãy in mẫu số 04.").wait_for()
    expect(page.locator("#due")).to_have_text(re.compile("^" + re.escape(new_due.strftime("%H:%M %d/%m/%Y"))))

    page.locator("#id_to_user").select_option(label=f"Lê Văn Duyệt ({unit_official.username})")
    page.locator("#id_note").fill("Trình lãnh đạo ký")
    page.get_by_role("button", name="Ghi nhận bàn giao").click()
    page.get_by_text("Đã ghi nhận việc bàn giao.").wait_for()

    page.locator("#note").fill("Thiếu bản chính để đối chiếu")
    page.get_by_role("button", name="Chuyển sang: Chờ bổ sung").click()
    page.get_by_text("Hồ sơ đã chuyển sang “Chờ bổ sung”.").wait_for()
    expect(page.locator("#timeline li")).to_have_count(5)

    with page.expect_popup() as popup:
        page.get_by_role("link", name="02 Phiếu yêu cầu bổ sung").click()
    form02 = popup.value
    expect(form02.get_by_text("Thiếu bản chính để đối chiếu")).to_be_visible()
    form02.close()

    page.locator("#mainnav").get_by_role("link", name="Trung tâm PVHCC").click()
    page.get_by_role("link", name="Chờ bổ sung").click()
    expect(page.locator("#dossiers").get_by_role("link", name=dossier.code)).to_be_visible()

    page.get_by_role("link", name="Thống kê").click()
    total = page.locator("#statistics tfoot tr")
    expect(total.locator("td").nth(0)).to_have_text("1")
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = table(sheet, "Đơn vị")
    assert rows[1][0] == ward_clerk.unit.name
    assert rows[1][1] == 1

    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT
    assert dossier.assigned_to == unit_official
    assert Dossier.objects.count() == 1
