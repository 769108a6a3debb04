"""The statistics page in Chromium: province staff switch the grouping of 06a (unit, field, procedure), drill into
one unit, and read the Decision 766 indicators with their formulas; the clerk ticks the digitization boxes."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from service_center.models import Channel, Dossier, Status
from units.tests.factories import UnitFactory

from .factories import DossierFactory, ProcedureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TZ = timezone.get_default_timezone()


def at(day, hour=9):
    return dt.datetime(2025, 6, day, hour, 0, tzinfo=TZ)


def test_province_staff_switch_the_grouping_and_read_the_indicators_with_their_formulas(
    page, login, unit, province_staff
):
    second = UnitFactory(province=unit.province, short_name="An Lạc")
    birth = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch")
    copy = ProcedureFactory(code="2.000815", name="Chứng thực bản sao từ bản chính", field="Chứng thực")
    DossierFactory(unit=unit, procedure=birth, received_at=at(17), due_at=at(19), status=Status.RETURNED,
                   closed_at=at(18), returned_at=at(18), channel=Channel.ONLINE, papers_digitized=True,
                   result_digitized=True)  # fmt: skip
    DossierFactory(unit=unit, procedure=copy, received_at=at(18), due_at=at(19), status=Status.DONE, closed_at=at(20))
    DossierFactory(unit=second, procedure=birth, received_at=at(20), due_at=at(25))
    login(province_staff)

    page.goto("/service-center/statistics/?start=2025-06-16&end=2025-06-30")
    expect(page.locator("#report-scope")).to_contain_text("Kỳ báo cáo: từ 16/06/2025 đến 30/06/2025")
    rows = page.locator("#statistics tbody tr th")
    expect(rows).to_have_text([re.compile(second.name), re.compile(unit.name)])
    formulas = page.locator("#indicator-formulas")
    on_time = formulas.locator('tr[data-indicator="on_time"]')
    expect(on_time.locator(".formula")).to_have_text(
        "Số hồ sơ giải quyết trước hạn và đúng hạn / số hồ sơ đã giải quyết × 100%"
    )
    expect(on_time.locator(".rate")).to_have_text("50,0%")
    expect(formulas.locator('tr[data-indicator="papers_digitized"] .rate')).to_have_text("33,3%")
    expect(formulas.locator('tr[data-indicator="results_digitized"] .rate')).to_have_text("100,0%")
    expect(formulas.locator('tr[data-indicator="satisfaction"] .rate')).to_have_text("—")
    expect(page.locator("#indicator-units tfoot")).to_contain_text("(1/2)")

    page.locator("#grouping").get_by_role("link", name="Theo lĩnh vực").click()
    expect(page.locator("#grouping .active")).to_have_text("Theo lĩnh vực")
    expect(rows).to_have_text(["Chứng thực", "Hộ tịch"])
    expect(page.locator("#statistics tfoot td").first).to_have_text("3")
    expect(page.get_by_label("Từ ngày")).to_have_value("16/06/2025")  # the period stays

    page.locator("#grouping").get_by_role("link", name="Theo thủ tục").click()
    expect(rows).to_have_text([re.compile(r"Chứng thực bản sao từ bản chính \(2\.000815\)"), re.compile("khai sinh")])
    expect(page.locator("#statistics tfoot td").first).to_have_text("3")

    page.locator("#grouping").get_by_role("link", name="Theo đơn vị").click()
    page.locator("#statistics").get_by_role("link", name=unit.name).click()
    expect(page.locator("#report-scope")).to_contain_text(f"Đơn vị: {unit.name}")
    expect(rows).to_have_text(["Chứng thực", "Hộ tịch"])
    expect(page.locator("#statistics tfoot td").first).to_have_text("2")


def test_the_clerk_ticks_papers_digitized_at_intake_and_result_digitized_at_return(page, login, ward_clerk):
    ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh", time_limit=1)
    login(ward_clerk)
    page.goto("/service-center/intake/")
    page.locator("#id_procedure").select_option(label="Thủ tục đăng ký khai sinh (1.001193)")
    page.locator("#id_applicant_name").fill("Nguyễn Thị Mai")
    page.locator("#id_applicant_id_number").fill("031190123456")
    page.get_by_label("Thành phần hồ sơ đã được số hóa khi tiếp nhận").check()
    page.get_by_role("button", name="Xem ngày hẹn trả").click()
    page.get_by_role("button", name="Xác nhận tiếp nhận").click()
    expect(page.locator("#digitization")).to_have_text("thành phần hồ sơ đã số hóa khi tiếp nhận")

    page.get_by_role("button", name="Chuyển sang: Đang xử lý").click()
    page.get_by_text("Hồ sơ đã chuyển sang “Đang xử lý”.").wait_for()
    expect(page.get_by_label("Kết quả đã được số hóa (lưu bản điện tử trong hệ thống)")).to_have_count(0)
    page.locator("#result").fill("Giấy khai sinh bản chính")
    page.get_by_role("button", name="Chuyển sang: Đã xử lý xong").click()
    page.get_by_text("Hồ sơ đã chuyển sang “Đã xử lý xong”.").wait_for()
    page.get_by_label("Kết quả đã được số hóa (lưu bản điện tử trong hệ thống)").check()
    page.get_by_role("button", name="Chuyển sang: Đã trả kết quả").click()
    page.get_by_text("Hồ sơ đã chuyển sang “Đã trả kết quả”.").wait_for()
    expect(page.locator("#digitization")).to_have_text("thành phần hồ sơ đã số hóa khi tiếp nhận · kết quả đã số hóa")
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.papers_digitized, dossier.result_digitized) == (Status.RETURNED, True, True)
