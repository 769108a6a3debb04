import re

import pytest

from sessions.models import AgendaItem, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% e2e\n%%EOF\n"}


def test_secretary_plans_publishes_runs_and_closes_a_meeting(page, login, unit, unit_official):
    login(unit_official)
    page.get_by_role("link", name="Kỳ họp", exact=True).click()
    page.get_by_role("link", name="Lên kế hoạch kỳ họp").click()
    page.get_by_label("Loại").select_option("ubnd")
    page.get_by_label("Thời gian bắt đầu dự kiến").fill("2025-06-16T15:00")
    page.get_by_label("Địa điểm").fill("Hội trường UBND phường")
    page.get_by_role("button", name="Lưu").click()
    title = f"Phiên họp thứ nhất UBND {unit.name}"
    page.get_by_role("heading", name=title).wait_for()
    assert page.locator("#agenda-total").inner_text() == "40 / 45"

    # The template's draft decisions are required: publishing is refused until they are uploaded and ready.
    page.get_by_role("button", name="Công bố").click()
    assert "Chưa thể công bố kỳ họp" in page.locator(".alert-danger").inner_text()
    not_ready = page.locator("li.list-group-item", has=page.get_by_text("Chưa sẵn sàng", exact=True))
    assert not_ready.count() == 3
    for _ in range(3):
        not_ready.first.get_by_role("link", name="Tải lên").click()
        page.get_by_label("Phiên bản mới").set_input_files(PDF)
        page.get_by_role("button", name="Tải lên").click()
        page.get_by_text("Đã tải lên phiên bản mới.").wait_for()
    assert not_ready.count() == 0
    page.get_by_role("button", name="Công bố").click()
    page.get_by_text("Kỳ họp đã chuyển sang “Đã công bố”.").wait_for()

    # Run two items with the timer; the page survives a reload because the times live on the server.
    page.get_by_role("button", name="Bắt đầu kỳ họp").click()
    page.get_by_role("heading", name=title).wait_for()
    first, second = AgendaItem.objects.filter(session__unit=unit).order_by("order")[:2]
    page.get_by_role("button", name=f"Bắt đầu: {first.title}").click()
    assert page.locator("#current-title").inner_text().endswith(first.title)
    page.wait_for_function("document.getElementById('current-timer').textContent >= '00:01'")
    page.reload()
    assert page.locator("#current-title").inner_text().endswith(first.title)
    assert re.match(r"\d\d:\d\d", page.locator("#current-timer").inner_text())
    page.get_by_role("button", name=f"Bắt đầu: {second.title}").click()
    assert page.locator("#current-title").inner_text().endswith(second.title)
    page.get_by_role("button", name="Dừng").click()
    assert page.locator("#current-title").inner_text() == "Chưa có nội dung nào đang diễn ra"
    assert re.match(r"\d\d:\d\d / 03:00", page.locator(f"#item-{first.pk} .item-timer").inner_text())

    # Close with the minutes.
    page.get_by_role("link", name="Bế mạc kỳ họp").click()
    page.get_by_label("Tóm tắt biên bản").fill("Phiên họp thông qua Quy chế làm việc và Chương trình công tác.")
    page.get_by_label("Tệp biên bản").set_input_files({**PDF, "name": "bien-ban.pdf"})
    page.get_by_label("Điểm làm tốt").fill("Đúng giờ, tài liệu đầy đủ.")
    page.get_by_role("button", name="Bế mạc kỳ họp").click()
    page.get_by_text("Đã bế mạc kỳ họp.").wait_for()
    assert (
        "Phiên họp thông qua Quy chế làm việc"
        in page.locator("#closing").locator("xpath=following-sibling::dl[1]").inner_text()
    )
    session = Session.objects.get(unit=unit)
    assert session.status == Session.Status.CLOSED
    assert session.actual_minutes is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.ended_at == second.started_at and second.ended_at is not None
