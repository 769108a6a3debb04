"""The official documents (programme, invitation list, minutes, adopted resolutions) as Word files and PDF, read back
with python-docx and pypdf."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx.table import Table as DocxTable
from pypdf import PdfReader

from sessions.models import Outcome, Participant, Session

from .factories import AgendaItemFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.datetime(2025, 6, 16, 8, 0, tzinfo=VN)
NAMES = ["programme", "invitations", "minutes", "resolutions"]


def _docx_text(content: bytes) -> str:
    """Every paragraph of the Word file in reading order, tables (nested ones too) included, one per line."""
    lines = []

    def walk(container):
        for block in container.iter_inner_content():
            if isinstance(block, DocxTable):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell)
            else:
                lines.append(block.text)

    walk(docx.Document(io.BytesIO(content)))
    return "\n".join(lines)


def _pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"[ \t]+", " ", text)


def _text(response) -> str:
    body = response.content
    return _docx_text(body) if response["Content-Type"].endswith("document") else _pdf_text(body)


def _flat(text: str) -> str:
    """Line breaks (a PDF wraps long cells) as spaces."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def ward(unit):
    unit.name, unit.short_name = "Phường Lê Đại Hành", "Lê Đại Hành"
    unit.save()
    return unit


def _closed_session(unit, *, kind=Session.Kind.HDND, members=3, items=2):
    session = SessionFactory(
        unit=unit,
        kind=kind,
        number=1,
        title="Kỳ họp thứ nhất",
        chair="Nguyễn Văn Thành",
        secretary="Trần Thị Thư",
        scheduled_start=START,
        status=Session.Status.CLOSED,
        actual_start=START,
        actual_end=START + dt.timedelta(minutes=10 * items + 3),
        minutes_summary="Kỳ họp hoàn thành toàn bộ chương trình.",
        lessons_good="Tài liệu chuẩn bị đầy đủ.",
        lessons_fix="Phần thảo luận vượt giờ.",
    )
    at = START
    for order in range(1, items + 1):
        minutes = 10 + (3 if order == 1 else 0)
        AgendaItemFactory(
            session=session,
            order=order,
            title=f"Nội dung số {order}",
            planned_minutes=10,
            started_at=at,
            ended_at=at + dt.timedelta(minutes=minutes),
        )
        at += dt.timedelta(minutes=minutes)
    for n in range(members):
        ParticipantFactory(session=session, name=f"Đại Biểu {n + 1}", attendance=Participant.Attendance.PRESENT)
    ParticipantFactory(
        session=session, name="Lê Văn Vắng", attendance=Participant.Attendance.ABSENT, absence_reason="Đi công tác"
    )
    ParticipantFactory(
        session=session,
        name="Phạm Khách Mời",
        is_member=False,
        position="Đại diện HĐND thành phố",
        attendance="present",
    )
    Outcome.objects.create(
        session=session, number="01/NQ-HĐND", title="Thành lập các cơ quan chuyên môn", votes_for=3, adopted=True
    )
    Outcome.objects.create(
        session=session,
        number="02/NQ-HĐND",
        title="Quy chế hoạt động",
        votes_for=1,
        votes_against=1,
        votes_abstain=1,
        adopted=False,
    )
    return session


def _get(client, name, fmt, session):
    return client.get(reverse(f"sessions:{name}_{fmt}", args=[session.pk]))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_minutes_carry_the_decree_30_header_and_the_record(client, ward_clerk, ward, fmt):
    session = _closed_session(ward)
    client.force_login(ward_clerk)
    response = _get(client, "minutes", fmt, session)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="bien-ban-ky-hop-{session.pk}.{fmt}"'
    text = _text(response)
    flat = _flat(text)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "HĐND PHƯỜNG LÊ ĐẠI HÀNH",
        "Số: .../BB-HĐND",
        "Lê Đại Hành, ngày 16 tháng 6 năm 2025",
        "BIÊN BẢN",
        "KỲ HỌP THỨ NHẤT HĐND PHƯỜNG LÊ ĐẠI HÀNH",
        "Tổng số đại biểu HĐND: 4; có mặt: 3; vắng mặt: 1.",
        "Vắng mặt: Đi công tác",
        "Khách mời: 1 người",
        "Phạm Khách Mời",
        "Thời lượng dự kiến: 45 phút; thực tế: 23 phút.",
        "Kỳ họp hoàn thành toàn bộ chương trình.",
        "Tài liệu chuẩn bị đầy đủ.",
        "Phần thảo luận vượt giờ.",
        "THƯ KÝ",
        "CHỦ TỌA",
        "Trần Thị Thư",
        "Nguyễn Văn Thành",
        "kết thúc hồi 08 giờ 23 phút",
    ]:
        assert expected in flat, expected
    # Every item with its planned and actual times, the overrun marked.
    assert re.search(r"Nội dung số 1.*?10\s+08:00\s+08:13\s+13\s+\+3", flat)
    assert re.search(r"Nội dung số 2.*?10\s+08:13\s+08:23\s+10", flat)
    # Every outcome with its votes (for / against / abstain) and whether it was adopted.
    assert re.search(r"01/NQ-\s?HĐND\s+Thành lập các cơ quan chuyên môn\s+3 / 0 / 0\s+Thông qua", flat)
    assert re.search(r"02/NQ-\s?HĐND\s+Quy chế hoạt động\s+1 / 1 / 1\s+Không thông\s?qua", flat)
    # The guest is listed apart from the delegates, after them.
    assert flat.index("Lê Văn Vắng") < flat.index("Khách mời: 1 người") < flat.index("Phạm Khách Mời")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_minutes_of_a_ubnd_meeting_are_those_of_a_phien_hop(client, ward_clerk, ward, fmt):
    session = _closed_session(ward, kind=Session.Kind.UBND)
    client.force_login(ward_clerk)
    response = _get(client, "minutes", fmt, session)
    flat = _flat(_text(response))
    assert "UBND PHƯỜNG LÊ ĐẠI HÀNH" in flat
    assert "Số: .../BB-UBND" in flat
    assert "PHIÊN HỌP THỨ NHẤT UBND PHƯỜNG LÊ ĐẠI HÀNH" in flat
    assert "Tổng số thành viên UBND: 4" in flat
    assert response["Content-Disposition"].endswith(f'bien-ban-phien-hop-{session.pk}.{fmt}"')


def test_the_date_line_is_in_vietnam_time(client, ward_clerk, ward):
    """A meeting opened at 06:30 in Vietnam is still on the 16th there (23:30 on the 15th in UTC)."""
    session = _closed_session(ward)
    early = dt.datetime(2025, 6, 15, 23, 30, tzinfo=dt.UTC)
    Session.objects.filter(pk=session.pk).update(actual_start=early, actual_end=early + dt.timedelta(minutes=30))
    client.force_login(ward_clerk)
    flat = _flat(_text(_get(client, "minutes", "docx", session)))
    assert "Lê Đại Hành, ngày 16 tháng 6 năm 2025" in flat
    assert "Hồi 06 giờ 30 phút, ngày 16 tháng 6 năm 2025" in flat


def test_days_under_ten_and_january_february_take_a_leading_zero(client, ward_clerk, ward):
    session = _closed_session(ward)
    day = dt.datetime(2026, 2, 5, 8, 0, tzinfo=VN)
    Session.objects.filter(pk=session.pk).update(actual_start=day, actual_end=day + dt.timedelta(minutes=30))
    client.force_login(ward_clerk)
    assert "Lê Đại Hành, ngày 05 tháng 02 năm 2026" in _text(_get(client, "minutes", "docx", session))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_programme_lists_each_item_with_its_planned_times(client, ward_clerk, ward, fmt):
    session = _closed_session(ward, items=3)
    client.force_login(ward_clerk)
    with time_machine.travel(dt.datetime(2025, 6, 12, 10, 0, tzinfo=VN), tick=False):
        response = _get(client, "programme", fmt, session)
    assert response.status_code == 200
    flat = _flat(_text(response))
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "HĐND PHƯỜNG LÊ ĐẠI HÀNH",
        "Số: .../CTr-HĐND",
        "Lê Đại Hành, ngày 12 tháng 6 năm 2025",
        "CHƯƠNG TRÌNH",
        "Kỳ họp thứ nhất",
        "TM. THƯỜNG TRỰC HĐND",
        "CHỦ TỊCH",
        "Nguyễn Văn Thành",
        "Nơi nhận:",
    ]:
        assert expected in flat, expected
    for order, (start, end) in enumerate([("08:00", "08:10"), ("08:10", "08:20"), ("08:20", "08:30")], start=1):
        assert re.search(rf"{start}\s?-\s?{end}\s+Nội dung số {order}", flat), order
    assert re.search(r"Tổng thời gian\s+30", flat)


def test_a_programme_printed_after_the_meeting_is_dated_the_meeting_day(client, ward_clerk, ward, frozen_now):
    session = _closed_session(ward)
    client.force_login(ward_clerk)
    assert "Lê Đại Hành, ngày 16 tháng 6 năm 2025" in _text(_get(client, "programme", "docx", session))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_invitation_list_separates_delegates_and_guests(client, ward_clerk, ward, fmt):
    session = _closed_session(ward, members=2)
    ParticipantFactory(session=session, name="Không Được Mời", is_invited=False)
    client.force_login(ward_clerk)
    flat = _flat(_text(_get(client, "invitations", fmt, session)))
    assert "DANH SÁCH" in flat
    assert "THÀNH PHẦN THAM DỰ KỲ HỌP THỨ NHẤT" in flat
    assert "Số: .../DS-HĐND" in flat
    assert "I. ĐẠI BIỂU HĐND (3 người)" in flat
    assert "II. KHÁCH MỜI (1 người)" in flat
    assert flat.index("Đại Biểu 1") < flat.index("II. KHÁCH MỜI") < flat.index("Phạm Khách Mời")
    assert "Không Được Mời" not in flat


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_resolutions_list_shows_only_the_adopted_ones(client, ward_clerk, ward, fmt):
    session = _closed_session(ward)
    client.force_login(ward_clerk)
    flat = _flat(_text(_get(client, "resolutions", fmt, session)))
    assert "NGHỊ QUYẾT ĐÃ ĐƯỢC THÔNG QUA TẠI KỲ HỌP THỨ NHẤT" in flat
    assert "Tổng số nghị quyết được thông qua: 1." in flat
    assert "Thành lập các cơ quan chuyên môn" in flat
    assert "Quy chế hoạt động" not in flat


@pytest.mark.parametrize("name", ["minutes", "resolutions"])
def test_minutes_of_an_open_session_redirect_with_a_message(client, ward_clerk, ward, name):
    session = SessionFactory(unit=ward, status=Session.Status.IN_PROGRESS)
    client.force_login(ward_clerk)
    response = client.get(reverse(f"sessions:{name}_docx", args=[session.pk]), follow=True)
    assert response.redirect_chain == [(session.get_absolute_url(), 302)]
    assert "chỉ tải được sau khi kỳ họp đã kết thúc" in response.content.decode()


def test_programme_of_a_draft_session_can_be_downloaded(client, unit_official, ward):
    session = SessionFactory(unit=ward)
    AgendaItemFactory(session=session)
    client.force_login(unit_official)
    assert _get(client, "programme", "pdf", session).status_code == 200


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_documents_of_another_unit_are_not_found(client, clerk_of_other_unit, ward, name, fmt):
    session = _closed_session(ward)
    client.force_login(clerk_of_other_unit)
    assert _get(client, name, fmt, session).status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_user_without_role_is_refused_the_documents(client, user_without_role, ward, name):
    session = _closed_session(ward)
    client.force_login(user_without_role)
    assert _get(client, name, "docx", session).status_code == 403


@pytest.mark.parametrize("who", ["province_staff", "national_viewer"])
def test_readers_in_scope_download_the_minutes(client, request, ward, who):
    session = _closed_session(ward)
    client.force_login(request.getfixturevalue(who))
    assert _get(client, "minutes", "pdf", session).status_code == 200


def test_session_page_links_to_the_documents_once_closed(client, ward_clerk, ward):
    session = _closed_session(ward)
    client.force_login(ward_clerk)
    page = client.get(session.get_absolute_url()).content.decode()
    for name in NAMES:
        for fmt in ("docx", "pdf"):
            assert reverse(f"sessions:{name}_{fmt}", args=[session.pk]) in page


def test_session_page_of_an_open_session_links_only_to_the_programme_and_invitations(client, ward_clerk, ward):
    session = SessionFactory(unit=ward)
    client.force_login(ward_clerk)
    page = client.get(session.get_absolute_url()).content.decode()
    assert reverse("sessions:programme_pdf", args=[session.pk]) in page
    assert reverse("sessions:invitations_docx", args=[session.pk]) in page
    assert reverse("sessions:minutes_pdf", args=[session.pk]) not in page


@pytest.mark.parametrize("name", NAMES)
def test_document_queries_do_not_grow_with_participants_and_items(
    client, ward_clerk, ward, django_assert_max_num_queries, name
):
    small = _closed_session(ward, members=1, items=1)
    large = _closed_session(ward, kind=Session.Kind.UBND, members=25, items=8)
    client.force_login(ward_clerk)
    with CaptureQueriesContext(connection) as few:
        assert _get(client, name, "docx", small).status_code == 200
    with django_assert_max_num_queries(len(few)):
        assert _get(client, name, "pdf", large).status_code == 200


def test_without_the_pdf_engine_the_user_is_sent_back_with_a_message(client, ward_clerk, ward, monkeypatch):
    from sessions.documents_export import FORMATS, PdfEngineUnavailable

    def unavailable(doc):
        raise PdfEngineUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setitem(FORMATS, "pdf", (FORMATS["pdf"][0], unavailable))
    session = _closed_session(ward)
    client.force_login(ward_clerk)
    response = _get(client, "minutes", "pdf", session)
    assert response.status_code == 302
    assert _get(client, "minutes", "docx", session).status_code == 200
