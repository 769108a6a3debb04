import re

import pytest
from playwright.sync_api import expect

from sessions.models import AgendaItem, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% e2e\n%%EOF\n"}


def test_secretary_plans_publishes_runs_and_closes_a_meeting(page, login, unit, unit_official):
    login(unit_official)
    page.get_by_role("link", name="Kỳ họp", exact=True).click()
    page.get_by_role("link", name="Lên kế hoạch kỳ họp").click()
    page.get_by_label("Loại").select_option("ubnd")
    page.get_by_label("Thời gian bắt đầu dự kiến").fill("16/06/2025 15:00")
    page.get_by_label("Địa điểm").fill("Hội trường UBND phường")
    page.get_by_role("button", name="Lưu").click()
    title = f"Phiên họp thứ nhất UBND {unit.name}"
    page.get_by_role("heading", name=title).wait_for()
    expect(page.locator("#agenda-total")).to_have_text("40 / 45")

    # The template's draft decisions are required: publishing is refused until they are uploaded and ready.
    # and a meeting with no member of the UBND on its list cannot be published either.
    page.get_by_role("button", name="Công bố").click()
    expect(page.locator(".alert-danger")).to_contain_text("Chưa thể công bố phiên họp")
    expect(page.locator(".alert-danger")).to_contain_text("chưa có đại biểu hoặc thành viên nào")
    not_ready = page.locator("li.list-group-item", has=page.get_by_text("Chưa sẵn sàng", exact=True))
    expect(not_ready).to_have_count(3)
    for _ in range(3):
        not_ready.first.get_by_role("link", name="Tải lên").click()
        page.get_by_label("Phiên bản mới").set_input_files(PDF)
        page.get_by_role("button", name="Tải lên").click()
        page.get_by_text("Đã tải lên phiên bản mới.").wait_for()
    expect(not_ready).to_have_count(0)
    page.get_by_role("link", name="Thành phần và điểm danh").click()
    page.get_by_label("Thành phần tham dự").fill(
        "Nguyễn Văn An; Chủ tịch UBND\nTrần Thị Bình; Phó Chủ tịch UBND\nLê Văn Cường; Ủy viên UBND"
    )
    page.get_by_role("button", name="Thêm", exact=True).click()
    page.get_by_text("Đã thêm thành phần tham dự.").wait_for()
    page.get_by_role("link", name="Quay lại phiên họp").click()
    page.get_by_role("button", name="Công bố").click()
    page.get_by_text("Đã chuyển phiên họp sang “Đã công bố”.").wait_for()

    # Opening without two thirds of the members present is refused with the figures, until the attendance is taken.
    page.get_by_role("button", name="Bắt đầu phiên họp").click()
    expect(page.locator(".alert-danger")).to_contain_text("có mặt 0/3")
    page.get_by_role("link", name="Thành phần và điểm danh").click()
    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        page.get_by_label(f"Điểm danh {name}").select_option("present")
    page.get_by_role("button", name="Lưu điểm danh").click()
    page.get_by_text("Đã lưu điểm danh.").wait_for()
    page.get_by_role("link", name="Quay lại phiên họp").click()

    # Run two items with the timer; the page survives a reload because the times live on the server.
    page.get_by_role("button", name="Bắt đầu phiên họp").click()
    page.get_by_role("heading", name=title).wait_for()
    first, second = AgendaItem.objects.filter(session__unit=unit).order_by("order")[:2]
    page.get_by_role("button", name=f"Bắt đầu: {first.title}").click()
    expect(page.locator("#current-title")).to_have_text(f"{first.order}. {first.title}")
    # At least a second on the timer (an expect, not wait_for_function: the CSP forbids evaluating strings).
    expect(page.locator("#current-timer")).to_have_text(re.compile(r"^(?!00:00)\d\d:\d\d"))
    page.reload()
    expect(page.locator("#current-title")).to_have_text(f"{first.order}. {first.title}")
    expect(page.locator("#current-timer")).to_have_text(re.compile(r"^\d\d:\d\d"))
    page.get_by_role("button", name=f"Bắt đầu: {second.title}").click()
    expect(page.locator("#current-title")).to_have_text(f"{second.order}. {second.title}")
    page.get_by_role("button", name="Dừng").click()
    expect(page.locator("#current-title")).to_have_text("Chưa có nội dung nào đang diễn ra")
    expect(page.locator(f"#item-{first.pk} .item-timer")).to_have_text(re.compile(r"^\d\d:\d\d / 03:00"))

    # Close with the minutes.
    page.get_by_role("link", name="Bế mạc phiên họp").click()
    page.get_by_label("Tóm tắt biên bản").fill("Phiên họp thông qua Quy chế làm việc và Chương trình công tác.")
    page.get_by_label("Tệp biên bản").set_input_files({**PDF, "name": "bien-ban.pdf"})
    page.get_by_label("Điểm làm tốt").fill("Đúng giờ, tài liệu đầy đủ.")
    page.get_by_role("button", name="Bế mạc phiên họp").click()
    page.get_by_text("Đã bế mạc phiên họp.").wait_for()
    expect(page.locator("#closing").locator("xpath=following-sibling::dl[1]")).to_contain_text(
        "Phiên họp thông qua Quy chế làm việc"
    )
    session = Session.objects.get(unit=unit)
    assert session.status == Session.Status.CLOSED
    assert session.actual_minutes is not None
    assert session.attendance_count == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.ended_at == second.started_at and second.ended_at is not None


def test_secretary_records_attendance_an_outcome_and_the_stream_viewers(page, login, unit, unit_official):
    from django.utils import timezone

    from units.tests.factories import UnitFactory

    from .factories import AgendaItemFactory, SessionFactory

    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS, actual_start=timezone.now())
    AgendaItemFactory(session=session, planned_minutes=20)
    neighbour = UnitFactory(province=unit.province, name="Phường Tân An", short_name="Tân An")
    login(unit_official)
    page.goto(session.get_absolute_url())
    page.get_by_role("link", name="Thành phần và điểm danh").click()

    page.get_by_label("Thành phần tham dự").fill(
        "Nguyễn Văn An; Chủ tịch HĐND; Tổ 1\nTrần Thị Bình; Đại biểu HĐND; Tổ 1\nLê Văn Cường; Đại biểu HĐND; Tổ 2"
    )
    page.get_by_role("button", name="Thêm", exact=True).click()
    page.get_by_text("Đã thêm thành phần tham dự.").wait_for()
    quorum = page.locator("#quorum")
    expect(quorum).to_contain_text("Có mặt: 0 / 3")
    expect(quorum).to_contain_text("chưa đủ số lượng")

    page.get_by_label("Điểm danh Nguyễn Văn An").select_option("present")
    page.get_by_label("Điểm danh Trần Thị Bình").select_option("present")
    page.get_by_label("Điểm danh Lê Văn Cường").select_option("absent")
    page.get_by_label("Lý do vắng mặt của Lê Văn Cường").fill("Đi công tác")
    page.get_by_role("button", name="Lưu điểm danh").click()
    page.get_by_text("Đã lưu điểm danh.").wait_for()
    expect(quorum).to_contain_text("Có mặt: 2 / 3")
    expect(quorum).to_contain_text("đủ số lượng để tiến hành")
    expect(page.get_by_label("Lý do vắng mặt của Lê Văn Cường")).to_have_value("Đi công tác")

    # Correct a participant's position and group, then remove one entered by mistake (after a confirmation).
    page.get_by_role("link", name="Sửa Trần Thị Bình").click()
    expect(page.get_by_label("Chức vụ")).to_have_value("Đại biểu HĐND")
    page.get_by_label("Chức vụ").fill("Phó Chủ tịch HĐND")
    page.get_by_label("Tổ đại biểu").fill("Tổ 2")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu thông tin người tham dự.").wait_for()
    row = page.locator("tr", has=page.get_by_text("Trần Thị Bình"))
    expect(row).to_contain_text("Phó Chủ tịch HĐND")
    expect(row).to_contain_text("Tổ 2")
    page.get_by_role("link", name="Xóa Lê Văn Cường").click()
    page.get_by_text("Xóa “Lê Văn Cường” khỏi thành phần tham dự kỳ họp này?").wait_for()
    page.get_by_role("button", name="Xóa", exact=True).click()
    page.get_by_text("Đã xóa “Lê Văn Cường” khỏi thành phần tham dự.").wait_for()
    expect(quorum).to_contain_text("Có mặt: 2 / 2")
    expect(page.get_by_label("Điểm danh Lê Văn Cường")).to_have_count(0)
    assert list(session.participants.order_by("pk").values_list("name", "delegate_group")) == [
        ("Nguyễn Văn An", "Tổ 1"),
        ("Trần Thị Bình", "Tổ 2"),
    ]
    assert session.events.filter(note="Xóa người tham dự “Lê Văn Cường”.").exists()

    page.get_by_role("link", name="Quay lại kỳ họp").click()
    page.get_by_role("link", name="Ghi kết quả biểu quyết").click()
    page.get_by_label("Số", exact=True).fill("01/NQ-HĐND")
    page.get_by_label("Tiêu đề").fill("Nghị quyết ban hành Quy chế hoạt động của HĐND")
    # The result is not typed: 3 votes with 2 delegates present are refused, and the form keeps what was typed.
    expect(page.get_by_label("Được thông qua")).to_have_count(0)
    page.get_by_label("Số phiếu tán thành").fill("3")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-danger")).to_contain_text("Đã nhập 3 phiếu")
    expect(page.get_by_label("Tiêu đề")).to_have_value("Nghị quyết ban hành Quy chế hoạt động của HĐND")
    page.get_by_label("Số phiếu tán thành").fill("2")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã ghi kết quả.").wait_for()
    outcome = page.locator("tr", has=page.get_by_text("01/NQ-HĐND")).first
    expect(outcome).to_contain_text("Quy chế hoạt động")
    expect(outcome).to_contain_text("Thông qua")

    page.get_by_role("link", name="Sửa danh sách").click()
    page.get_by_label("Hoặc dán danh sách tên đơn vị").fill("tan an")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("1 đơn vị đã theo dõi trực tuyến.").wait_for()
    expect(page.locator("#viewer-list")).to_contain_text(neighbour.name)
    assert list(session.stream_viewers.values_list("unit_id", flat=True)) == [neighbour.pk]


def test_province_staff_filter_the_list_and_comment_on_a_session(page, login, unit, province_staff):
    from .factories import AgendaItemFactory, SessionFactory

    over = SessionFactory(unit=unit, title="Kỳ họp thứ nhất HĐND vượt thời lượng")
    AgendaItemFactory(session=over, planned_minutes=60)
    SessionFactory(unit=unit, kind=Session.Kind.UBND, title="Phiên họp thứ nhất UBND đúng giờ")
    login(province_staff)
    page.get_by_role("link", name="Kỳ họp", exact=True).click()
    expect(page.locator("#sessions tbody tr")).to_have_count(2)
    page.get_by_label("Chỉ vượt thời lượng").check()
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r"over_budget=on"))
    expect(page.locator("#sessions tbody tr")).to_have_count(1)
    page.get_by_role("link", name=over.title).click()
    expect(page.locator("#over-budget")).to_be_visible()
    page.get_by_label("Ý kiến").fill("Đề nghị rút gọn phần khai mạc để đúng 45 phút.")
    page.get_by_role("button", name="Gửi ý kiến").click()
    page.get_by_text("Đã gửi ý kiến.").wait_for()
    expect(page.locator("#comments").locator("xpath=following-sibling::div[1]")).to_contain_text(
        "Đề nghị rút gọn phần khai mạc"
    )
