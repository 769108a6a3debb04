"""What each official document says, built from a session loaded by ``selectors.session_for_documents`` (its unit,
agenda items, participants and outcomes prefetched: the builders make no query).

The wording is the fixed wording of Vietnamese administrative documents (Decree 30/2020/NĐ-CP: documents are written
in Vietnamese), so it is not translated with the interface."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from ..models import Participant, Session
from ..selectors import quorum_of, votes_needed
from .model import Heading, OfficialDocument, Paragraph, Signer, Table

_ORDINALS = {1: "nhất", 2: "hai", 3: "ba", 4: "tư", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}
_BODY = {Session.Kind.HDND: ("HĐND", "Hội đồng nhân dân"), Session.Kind.UBND: ("UBND", "Ủy ban nhân dân")}
_MEETING = {Session.Kind.HDND: "kỳ họp", Session.Kind.UBND: "phiên họp"}
_MEMBER = {Session.Kind.HDND: "đại biểu HĐND", Session.Kind.UBND: "thành viên UBND"}
_OUTCOME = {Session.Kind.HDND: "nghị quyết", Session.Kind.UBND: "quyết định"}
_SIGNING_BODY = {Session.Kind.HDND: "TM. THƯỜNG TRỰC HĐND", Session.Kind.UBND: "TM. ỦY BAN NHÂN DÂN"}


def _local(moment: dt.datetime) -> dt.datetime:
    """``moment`` in Vietnam time (the project's TIME_ZONE), whatever time zone is active."""
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))


def vietnamese_date(day: dt.date) -> str:
    """ "ngày 16 tháng 6 năm 2025"; a day under 10 and the months 1 and 2 take a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _in_sentence(name: str) -> str:
    """ "Phường Lê Đại Hành" inside a sentence: "phường Lê Đại Hành"."""
    return name[:1].lower() + name[1:]


def clock(moment: dt.datetime | None) -> str:
    return _local(moment).strftime("%H:%M") if moment else "—"


def meeting_name(session: Session) -> str:
    """ "Kỳ họp thứ nhất" (HĐND) / "Phiên họp thứ nhất" (UBND), with "(tổng duyệt)" for a rehearsal."""
    ordinal = _ORDINALS.get(session.number, str(session.number))
    name = f"{_MEETING[session.kind].capitalize()} thứ {ordinal}"
    return f"{name} (tổng duyệt)" if session.is_rehearsal else name


def _header(session: Session, *, doc_code: str, day: dt.date, title: str, subtitles: list[str], filename: str):
    short, _full = _BODY[session.kind]
    unit = session.unit
    return OfficialDocument(
        issuing_body=f"{short} {unit.name}".upper(),
        number_line=f"Số: .../{doc_code}-{short}",
        place_date=f"{unit.short_name or unit.name}, {vietnamese_date(day)}",
        title=title,
        subtitles=subtitles,
        filename=f"{filename}-{session.pk}",
    )


def _session_day(session: Session) -> dt.date:
    return _local(session.actual_start or session.scheduled_start).date()


def _issue_day(session: Session) -> dt.date:
    """A document prepared before the meeting (programme, invitation list) is dated the day it is made, and never
    after the meeting's day."""
    return min(timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE)), _session_day(session))


def _chair_signer(session: Session) -> Signer:
    return Signer(capacity=[_SIGNING_BODY[session.kind], "CHỦ TỊCH"], name=session.chair)


def _when_where(session: Session) -> Paragraph:
    start = _local(session.scheduled_start)
    text = f"{start:%H} giờ {start:%M} phút, {vietnamese_date(start.date())}"
    if session.venue:
        text += f", tại {session.venue}"
    return Paragraph(text + ".", bold_lead="Thời gian, địa điểm: ")


def _with_title(session: Session, line: str) -> list[str]:
    """``line``, then the session's own title unless it says the same (the standard title does)."""
    return [line] if session.title.casefold() == line.casefold() else [line, session.title]


def _meeting_subtitles(session: Session) -> list[str]:
    return _with_title(session, f"{meeting_name(session).upper()} {_BODY[session.kind][0]} {session.unit.name.upper()}")


def programme(session: Session) -> OfficialDocument:
    doc = _header(
        session,
        doc_code="CTr",
        day=_issue_day(session),
        title="CHƯƠNG TRÌNH",
        subtitles=_meeting_subtitles(session),
        filename="chuong-trinh",
    )
    doc.blocks.append(_when_where(session))
    if session.chair:
        doc.blocks.append(Paragraph(session.chair + ".", bold_lead="Chủ tọa: "))
    rows, start, total = [], session.scheduled_start, 0
    for number, item in enumerate(session.agenda_items.all(), start=1):
        end = start + dt.timedelta(minutes=item.planned_minutes)
        rows.append(
            [str(number), f"{clock(start)} - {clock(end)}", item.title, item.presenter, str(item.planned_minutes)]
        )
        start, total = end, total + item.planned_minutes
    rows.append(["", "", "Tổng thời gian", "", str(total)])
    doc.blocks.append(
        Table(
            headers=["STT", "Thời gian", "Nội dung", "Người thực hiện", "Số phút"],
            rows=rows,
            widths=[6, 19, 45, 20, 10],
            centred=frozenset({0, 1, 4}),
            bold_rows=frozenset({len(rows) - 1}),
        )
    )
    doc.signers = [_chair_signer(session)]
    doc.recipients = ["Như thành phần mời;", "Lưu: VT."]
    return doc


def _people_table(people: list[Participant], *, last_header: str, last_cell) -> Table:
    rows = [[str(n), p.name, p.position, p.delegate_group, last_cell(p)] for n, p in enumerate(people, start=1)] or [
        ["", "(không có)", "", "", ""]
    ]
    return Table(
        headers=["STT", "Họ và tên", "Chức vụ", "Tổ đại biểu", last_header],
        rows=rows,
        widths=[6, 28, 28, 20, 18],
        centred=frozenset({0}),
    )


def invitations(session: Session) -> OfficialDocument:
    doc = _header(
        session,
        doc_code="DS",
        day=_issue_day(session),
        title="DANH SÁCH",
        subtitles=_with_title(session, f"THÀNH PHẦN THAM DỰ {meeting_name(session).upper()}"),
        filename="danh-sach-thanh-phan",
    )
    doc.blocks.append(_when_where(session))
    invited = [p for p in session.participants.all() if p.is_invited]
    members = [p for p in invited if p.is_member]
    guests = [p for p in invited if not p.is_member]
    doc.blocks.append(Heading(f"I. {_MEMBER[session.kind].upper()} ({len(members)} người)"))
    doc.blocks.append(_people_table(members, last_header="Ghi chú", last_cell=lambda p: ""))
    doc.blocks.append(Heading(f"II. KHÁCH MỜI ({len(guests)} người)"))
    doc.blocks.append(_people_table(guests, last_header="Ghi chú", last_cell=lambda p: ""))
    doc.signers = [_chair_signer(session)]
    doc.recipients = ["Như danh sách;", "Lưu: VT."]
    return doc


def _attendance(p: Participant) -> str:
    if p.attendance == Participant.Attendance.PRESENT:
        return "Có mặt"
    if p.attendance == Participant.Attendance.ABSENT:
        return f"Vắng mặt: {p.absence_reason}" if p.absence_reason else "Vắng mặt"
    return "Chưa ghi nhận"


def _votes(outcome) -> str:
    return f"{outcome.votes_for} / {outcome.votes_against} / {outcome.votes_abstain}"


def minutes(session: Session) -> OfficialDocument:
    full = _BODY[session.kind][1]
    meeting = meeting_name(session)
    doc = _header(
        session,
        doc_code="BB",
        day=_session_day(session),
        title="BIÊN BẢN",
        subtitles=_meeting_subtitles(session),
        filename="bien-ban-ky-hop" if session.kind == Session.Kind.HDND else "bien-ban-phien-hop",
    )
    opened = _local(session.actual_start or session.scheduled_start)
    venue = f", tại {session.venue}" if session.venue else ""
    doc.blocks.append(
        Paragraph(
            f"Hồi {opened:%H} giờ {opened:%M} phút, {vietnamese_date(opened.date())}{venue}, {full} "
            f"{_in_sentence(session.unit.name)} tiến hành {meeting.lower()}."
        )
    )
    participants = list(session.participants.all())
    members = [p for p in participants if p.is_member]
    guests = [p for p in participants if not p.is_member]
    quorum = quorum_of(participants, kind=session.kind)
    absent = sum(1 for p in members if p.attendance == Participant.Attendance.ABSENT)
    doc.blocks += [
        Heading("I. THÀNH PHẦN THAM DỰ"),
        Paragraph(
            f"Tổng số {_MEMBER[session.kind]}: {quorum.members}; có mặt: {quorum.present}; vắng mặt: {absent}.",
        ),
        Paragraph(session.chair or "—", bold_lead="Chủ tọa: "),
        Paragraph(session.secretary or "—", bold_lead="Thư ký: "),
        _people_table(members, last_header="Tham dự", last_cell=_attendance),
        Paragraph(f"Khách mời: {len(guests)} người (không tính vào số {_MEMBER[session.kind]})."),
    ]
    if guests:
        doc.blocks.append(_people_table(guests, last_header="Tham dự", last_cell=_attendance))
    doc.blocks += [Heading("II. NỘI DUNG VÀ DIỄN BIẾN"), _agenda_table(session), *_speakers(session)]
    actual = session.actual_minutes
    timing = f"Thời lượng dự kiến: {session.budget_minutes} phút; thực tế: "
    timing += f"{actual} phút" if actual is not None else "—"
    if actual is not None and actual > session.budget_minutes:
        timing += f" (vượt {actual - session.budget_minutes} phút)"
    doc.blocks.append(Paragraph(timing + "."))
    needed = votes_needed(members=quorum.members, kind=session.kind)
    doc.blocks += [
        Heading("III. KẾT QUẢ BIỂU QUYẾT"),
        Paragraph(
            f"Thông qua khi có ít nhất {needed} phiếu tán thành (quá nửa tổng số {_MEMBER[session.kind]}). "
            "Số phiếu ghi theo thứ tự: tán thành / không tán thành / không biểu quyết."
        ),
        _outcome_table(list(session.outcomes.all())),
        Heading("IV. KẾT LUẬN"),
        *[Paragraph(line) for line in (session.minutes_summary or "—").splitlines() if line.strip()],
        Heading("V. RÚT KINH NGHIỆM"),
        Paragraph(session.lessons_good or "—", bold_lead="Làm tốt: "),
        Paragraph(session.lessons_fix or "—", bold_lead="Cần khắc phục: "),
    ]
    if session.actual_end:
        ended = _local(session.actual_end)
        doc.blocks.append(
            Paragraph(f"{meeting} kết thúc hồi {ended:%H} giờ {ended:%M} phút, {vietnamese_date(ended.date())}.")
        )
    doc.signers = [Signer(["THƯ KÝ"], session.secretary), Signer(["CHỦ TỌA"], session.chair)]
    return doc


def _agenda_table(session: Session) -> Table:
    rows = []
    for number, item in enumerate(session.agenda_items.all(), start=1):
        actual = item.actual_minutes
        rows.append(
            [
                str(number),
                item.title + (f" ({item.presenter})" if item.presenter else ""),
                str(item.planned_minutes),
                clock(item.started_at),
                clock(item.ended_at),
                "—" if actual is None else str(actual),
                f"+{item.overrun_minutes}" if item.overrun_minutes else "",
            ]
        )
    return Table(
        headers=["STT", "Nội dung", "Dự kiến (phút)", "Bắt đầu", "Kết thúc", "Thực tế (phút)", "Vượt (phút)"],
        rows=rows or [["", "(không có)", "", "", "", "", ""]],
        widths=[6, 40, 11, 10, 10, 12, 11],
        centred=frozenset({0, 2, 3, 4, 5, 6}),
    )


def _speakers(session: Session) -> list:
    """Who spoke on each item, with the times: "Ý kiến phát biểu" under the agenda table (nothing without any)."""
    blocks = []
    for number, item in enumerate(session.agenda_items.all(), start=1):
        speeches = list(item.speeches.all())
        if not speeches:
            continue
        blocks.append(Paragraph(item.title + ":", bold_lead=f"Ý kiến phát biểu, nội dung {number}: "))
        for speech in speeches:
            minutes = "" if speech.minutes is None else f", {speech.minutes} phút"
            blocks.append(
                Paragraph(
                    f"- {speech.participant.name}: {clock(speech.started_at)} - {clock(speech.ended_at)}{minutes}."
                )
            )
    return blocks


def _outcome_table(outcomes) -> Table:
    rows = [
        [str(n), o.number, o.title, _votes(o), "Thông qua" if o.adopted else "Không thông qua"]
        for n, o in enumerate(outcomes, start=1)
    ]
    return Table(
        headers=["STT", "Số, ký hiệu", "Nội dung", "Số phiếu", "Kết quả"],
        rows=rows or [["", "", "(không có)", "", ""]],
        widths=[6, 18, 44, 14, 18],
        centred=frozenset({0, 3, 4}),
    )


def resolutions(session: Session) -> OfficialDocument:
    kind = _OUTCOME[session.kind]
    doc = _header(
        session,
        doc_code="DS",
        day=_session_day(session),
        title="DANH SÁCH",
        subtitles=_with_title(session, f"{kind.upper()} ĐÃ ĐƯỢC THÔNG QUA TẠI {meeting_name(session).upper()}"),
        filename="danh-sach-nghi-quyet" if session.kind == Session.Kind.HDND else "danh-sach-quyet-dinh",
    )
    adopted = [o for o in session.outcomes.all() if o.adopted]
    doc.blocks.append(Paragraph(f"Tổng số {kind} được thông qua: {len(adopted)}."))
    rows = [[str(n), o.number, o.title, _votes(o)] for n, o in enumerate(adopted, start=1)]
    doc.blocks.append(
        Table(
            headers=["STT", "Số, ký hiệu", "Trích yếu nội dung", "Tán thành / Không / Không biểu quyết"],
            rows=rows or [["", "", "(không có)", ""]],
            widths=[6, 20, 50, 24],
            centred=frozenset({0, 3}),
        )
    )
    doc.signers = [_chair_signer(session)]
    doc.recipients = ["Như danh sách;", "Lưu: VT."]
    return doc


#: The documents, by the name used in the URLs; ``needs_closed``: only once the session is closed.
BUILDERS = {
    "programme": (programme, False),
    "invitations": (invitations, False),
    "minutes": (minutes, True),
    "resolutions": (resolutions, True),
}
