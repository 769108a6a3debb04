"""Demo sessions of the seed articles: on 16/6/2025 each pilot unit holds its first HĐND session and first UBND
meeting (Lê Đại Hành in the morning, streamed to the other pilot units; the others in the afternoon). Idempotent:
a unit's session that already exists is left alone.

The services stamp "now"; each session's history is then dated as the story goes: planned from the standard
programme on 10/6, documents ready on 12/6, published on 13/6, held at its scheduled time on 16/6."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from units.demo import DONG_NAI_CODE, HAI_PHONG_CODE, pilot_units

from . import services
from .models import AgendaItem, Document, DocumentVersion, Participant, Session, SessionEvent

PILOT_DAY = dt.date(2025, 6, 16)
PLANNED_ON = dt.date(2025, 6, 10)
DOCUMENTS_READY_ON = dt.date(2025, 6, 12)
PUBLISHED_ON = dt.date(2025, 6, 13)
# Units whose sessions are closed in the demo (the others stay published or draft).
CLOSED_UNITS = {"Lê Đại Hành", "Đường An", "Nguyễn Lương Bằng", "Đồng Xoài", "Chơn Thành"}
# A closed session that ran over its budget, and a draft whose agenda is over budget.
OVERRUN_UNIT = "Đường An"
OVER_BUDGET_DRAFT_UNIT = "Tân Kỳ"
DRAFT_UNITS = {"Tân Kỳ", "Hà Bắc", "Đa Kia"}

DELEGATES = [
    ("Nguyễn Văn Thành", "Chủ tịch HĐND", "Tổ 1"),
    ("Trần Thị Hương", "Phó Chủ tịch HĐND", "Tổ 1"),
    ("Lê Văn Quang", "Trưởng Ban Kinh tế - Ngân sách", "Tổ 2"),
    ("Phạm Thị Thu", "Trưởng Ban Văn hóa - Xã hội", "Tổ 2"),
    ("Hoàng Văn Bình", "Đại biểu HĐND", "Tổ 3"),
    ("Vũ Thị Lan", "Đại biểu HĐND", "Tổ 3"),
    ("Đặng Văn Hải", "Đại biểu HĐND", "Tổ 4"),
    ("Bùi Thị Ngọc", "Đại biểu HĐND", "Tổ 4"),
    ("Đỗ Văn Sơn", "Đại biểu HĐND", "Tổ 5"),
    ("Ngô Thị Yến", "Đại biểu HĐND", "Tổ 5"),
    ("Dương Văn Tùng", "Đại biểu HĐND", "Tổ 6"),
    ("Lý Thị Mai", "Đại biểu HĐND", "Tổ 6"),
]
UBND_MEMBERS = [
    ("Phạm Quốc Việt", "Chủ tịch UBND", ""),
    ("Nguyễn Thị Hà", "Phó Chủ tịch UBND", ""),
    ("Trần Văn Long", "Phó Chủ tịch UBND", ""),
    ("Lê Thị Minh", "Ủy viên UBND, Trưởng Phòng Văn hóa - Xã hội", ""),
    ("Hoàng Văn Tú", "Ủy viên UBND, Trưởng Phòng Kinh tế", ""),
]
LESSONS = {
    Session.Kind.HDND: (
        "Tài liệu gửi đại biểu trước 3 ngày; chương trình gọn, đúng 45 phút; truyền hình trực tuyến ổn định.",
        "Cần chuẩn bị sẵn kịch bản điều hành chi tiết hơn; kiểm tra âm thanh điểm cầu trước 30 phút.",
    ),
    Session.Kind.UBND: (
        "Quy chế làm việc được thảo luận kỹ; phân công nhiệm vụ rõ người, rõ việc.",
        "Rút ngắn phần báo cáo, dành thời gian cho thảo luận.",
    ),
}
# Minutes each agenda item really took (closed sessions): on plan, or over for the overrun example.
ON_PLAN = 0
OVERRUN = 3

PDF = b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _prepare_documents(session: Session, actor) -> None:
    for document in Document.objects.filter(session=session):
        services.document_upload_version(
            document=document, upload=ContentFile(PDF, name=f"tai-lieu-{document.pk}.pdf"), actor=actor, mark_ready=True
        )


def _run_and_close(session: Session, *, kind: str, extra_per_item: int, viewers, actor) -> None:
    """Run the session through the services, then move its recorded times to the pilot day."""
    people = Participant.objects.filter(session=session).order_by("pk")
    marks = {p.pk: (Participant.Attendance.PRESENT, "") for p in people}
    last = people.last()
    if last:
        marks[last.pk] = (Participant.Attendance.ABSENT, "Đi công tác theo phân công")
    services.attendance_record(session=session, actor=actor, marks=marks)
    present = people.filter(is_member=True, attendance=Participant.Attendance.PRESENT).count()
    services.session_transition(session=session, to=Session.Status.IN_PROGRESS, actor=actor)
    items = list(AgendaItem.objects.filter(session=session).order_by("order"))
    titles = [
        i.title
        for i in items
        if "Nghị quyết" in i.title or "Quy chế" in i.title or "Chương trình" in i.title or "Phân công" in i.title
    ]
    suffix = "NQ-HĐND" if kind == Session.Kind.HDND else "QĐ-UBND"
    for n, title in enumerate(titles, start=1):
        services.outcome_add(
            session=session,
            actor=actor,
            number=f"{n:02d}/{suffix}",
            title=title,
            votes_for=present,
            votes_against=0,
            votes_abstain=0,
        )
    if viewers:
        services.stream_viewers_set(session=session, actor=actor, units=viewers)
    good, fix = LESSONS[kind]
    services.session_close(
        session=session,
        actor=actor,
        minutes_summary="Kỳ họp/phiên họp đã hoàn thành toàn bộ chương trình đề ra.",
        lessons_good=good,
        lessons_fix=fix if not extra_per_item else fix + " Chương trình bị kéo dài quá thời lượng.",
    )
    # Historical times: the session started on schedule; each item took its planned minutes (+ extra).
    start = session.scheduled_start
    at = start
    for item in items:
        end = at + dt.timedelta(minutes=item.planned_minutes + extra_per_item)
        AgendaItem.objects.filter(pk=item.pk).update(started_at=at, ended_at=end)
        at = end
    Session.objects.filter(pk=session.pk).update(actual_start=start, actual_end=at)


def _date_history(session: Session) -> None:
    """Move the times the services recorded to the story's days: created on 10/6 and prepared until published on
    13/6 (documents uploaded on 12/6); once published, what happened at the session (opening, attendance,
    outcomes, the units that followed the stream) at its start, and the closing at its end."""
    session.refresh_from_db(fields=["actual_start", "actual_end"])
    planned, ready = _aware(PLANNED_ON, 9), _aware(DOCUMENTS_READY_ON, 10)
    published, end = _aware(PUBLISHED_ON, 16), session.actual_end
    Session.objects.filter(pk=session.pk).update(created_at=planned)
    DocumentVersion.objects.filter(document__session=session).update(uploaded_at=ready)
    # The moment of each status the session reaches, and of what is done while it has that status.
    moments = {
        Session.Status.DRAFT: (planned, ready),
        Session.Status.PUBLISHED: (published, session.actual_start or published),
        Session.Status.IN_PROGRESS: (session.actual_start, session.actual_start),
        Session.Status.CLOSED: (end, end),
    }
    status = Session.Status.DRAFT
    for event in SessionEvent.objects.filter(session=session).order_by("pk"):
        if event.to_status:
            status = event.to_status
            moment = moments[status][0]
        else:
            moment = moments[status][1]
        SessionEvent.objects.filter(pk=event.pk).update(at=moment)


@transaction.atomic
def seed(*, stdout) -> None:
    from pilot_portal.accounts.models import User

    units = pilot_units()
    hai_phong, dong_nai = units[HAI_PHONG_CODE], units[DONG_NAI_CODE]
    le_dai_hanh = hai_phong[0]
    created = 0
    for unit in [*hai_phong, *dong_nai]:
        actor = User.objects.filter(unit=unit, role="unit_official").first()
        morning = unit.pk == le_dai_hanh.pk
        viewers = hai_phong[1:] if morning else []
        for kind, (hour, minute) in (
            (Session.Kind.HDND, (8, 0) if morning else (14, 0)),
            (Session.Kind.UBND, (9, 0) if morning else (15, 0)),
        ):
            if Session.objects.filter(unit=unit, kind=kind, number=1, is_rehearsal=False).exists():
                continue
            session = services.session_create_from_template(
                unit=unit,
                kind=kind,
                scheduled_start=_aware(PILOT_DAY, hour, minute),
                actor=actor,
                venue=f"Hội trường {unit.name}",
                chair="Nguyễn Văn Thành" if kind == Session.Kind.HDND else "Phạm Quốc Việt",
                secretary="Trần Thị Thu Hà" if kind == Session.Kind.HDND else "Lê Minh Tuấn",
                stream_url="https://truyenhinh.example.vn/" + unit.code if morning else "",
                stream_access=Session.StreamAccess.PROVINCE_STAFF,
            )
            created += 1
            people = DELEGATES if kind == Session.Kind.HDND else UBND_MEMBERS
            services.participants_add(session=session, actor=actor, lines="\n".join("; ".join(p) for p in people))
            name = unit.short_name
            if name == OVER_BUDGET_DRAFT_UNIT and kind == Session.Kind.HDND:
                services.agenda_save(
                    session=session,
                    actor=actor,
                    rows=[
                        services.AgendaRowInput(
                            pk=i.pk,
                            title=i.title,
                            presenter=i.presenter,
                            planned_minutes=i.planned_minutes + 2,
                            order=i.order,
                        )
                        for i in AgendaItem.objects.filter(session=session).order_by("order")
                    ],
                )
            elif name not in DRAFT_UNITS:
                _prepare_documents(session, actor)
                services.session_transition(session=session, to=Session.Status.PUBLISHED, actor=actor)
                if name in CLOSED_UNITS:
                    extra = OVERRUN if name == OVERRUN_UNIT and kind == Session.Kind.HDND else ON_PLAN
                    _run_and_close(session, kind=kind, extra_per_item=extra, viewers=viewers, actor=actor)
            _date_history(session)
    stdout.write(f"Sessions: {created} created, {Session.objects.count()} in total.")
