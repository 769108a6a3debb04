import re

import pytest
from playwright.sync_api import expect

from service_center.models import Dossier

from .factories import ProcedureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_receives_prints_citizen_looks_up_and_clerk_returns_the_result(
    page, login, browser, live_server, ward_clerk
):
    ward_clerk.unit.agency_code = "H31.01"
    ward_clerk.unit.save()
    ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh", time_limit=1)
    login(ward_clerk)

    page.get_by_role("link", name="Trung tâm PVHCC").click()
    page.get_by_role("link", name="Tiếp nhận hồ sơ").first.click()
    page.locator("#id_procedure").select_option(label="Thủ tục đăng ký khai sinh (1.001193)")
    page.locator("#id_applicant_name").fill("Nguyễn Thị Mai")
    page.locator("#id_applicant_id_number").fill("031190123456")
    page.locator("#id_applicant_phone").fill("0912 345 678")
    page.get_by_role("button", name="Xem ngày hẹn trả").click()
    expect(page.locator("#due-preview").get_by_text(re.compile(r"\d\d:\d\d ngày \d\d/\d\d/\d{4}"))).to_be_visible()
    page.get_by_role("button", name="Xác nhận tiếp nhận").click()

    dossier = Dossier.objects.get()
    assert re.fullmatch(r"H31\.01-\d{6}-0001", dossier.code)
    page.get_by_text(f"Đã tiếp nhận hồ sơ {dossier.code}.").wait_for()

    with page.expect_popup() as popup:
        page.get_by_role("link", name="01 Giấy tiếp nhận và hẹn trả").click()
    receipt = popup.value
    expect(receipt.get_by_text("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")).to_be_visible()
    expect(receipt.locator("#lookup-secret")).to_have_text(dossier.lookup_secret)
    expect(receipt.locator(".qr svg")).to_be_visible()
    receipt.close()

    citizen = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    citizen.goto(f"/tra-cuu/?ma={dossier.code}")
    citizen.get_by_label("Mã tra cứu trên giấy tiếp nhận").fill(dossier.lookup_secret)
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.locator("#lookup-status")).to_have_text("2 · Được tiếp nhận")

    for status in ("Đang xử lý", "Đã xử lý xong", "Đã trả kết quả"):
        page.get_by_role("button", name=f"Chuyển sang: {status}").click()
        page.get_by_text(f"Hồ sơ đã chuyển sang “{status}”.").wait_for()
    expect(page.locator("#status")).to_have_text("10 · Đã trả kết quả")
    expect(page.locator("#timeline li")).to_have_count(4)

    citizen.get_by_label("Mã tra cứu trên giấy tiếp nhận").fill(dossier.lookup_secret)
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.locator("#lookup-status")).to_have_text("10 · Đã trả kết quả")
    expect(citizen.get_by_text("Nguyễn Thị Mai")).to_have_count(0)
    citizen.context.close()
