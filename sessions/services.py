"""Writes of the sessions app. Keyword-only, one transaction each; refusals raise :class:`SessionError` whose
message is shown to the user."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from units.models import Unit

from .config import allowed_extensions, max_upload_bytes, session_budget_for
from .models import (
    ALLOWED_TRANSITIONS,
    AgendaItem,
    Comment,
    Document,
    DocumentVersion,
    Outcome,
    Participant,
    Session,
    SessionEvent,
    StreamViewer,
)
from .selectors import publish_problems

logger = logging.getLogger(__name__)


class SessionError(Exception):
    """A refused action; ``str(error)`` is a message for the user."""


PLANNING_STATUSES = frozenset({Session.Status.DRAFT, Session.Status.PUBLISHED})
OPEN_STATUSES = frozenset({Session.Status.DRAFT, Session.Status.PUBLISHED, Session.Status.IN_PROGRESS})
#: Where participants and documents are added, edited and removed.
PARTICIPANT_STATUSES = DOCUMENT_STATUSES = OPEN_STATUSES
#: Where outcomes are recorded, edited and removed.
OUTCOME_STATUSES = frozenset({Session.Status.IN_PROGRESS, Session.Status.CLOSED})


# --- templates of the standard programmes (domain.md, "First sessions") -------------------------------------------


@dataclass(frozen=True)
class TemplateItem:
    title: str
    presenter: str
    minutes: int
    document: str = ""
    document_kind: str = Document.Kind.DRAFT_RESOLUTION


PROGRAMME_TEMPLATES: dict[str, list[TemplateItem]] = {
    Session.Kind.HDND: [
        TemplateItem("Khai mạc kỳ họp; công bố danh sách đại biểu HĐND và các quyết định chỉ định", "Chủ tọa", 5),
        TemplateItem(
            "Nghị quyết thành lập các cơ quan chuyên môn thuộc UBND và Trung tâm Phục vụ hành chính công",
            "Văn phòng HĐND và UBND",
            8,
            "Tờ trình và dự thảo Nghị quyết thành lập các cơ quan chuyên môn và Trung tâm PVHCC",
        ),
        TemplateItem(
            "Nghị quyết thành lập các Ban của HĐND và các Tổ đại biểu HĐND",
            "Thường trực HĐND",
            7,
            "Tờ trình và dự thảo Nghị quyết thành lập các Ban và Tổ đại biểu",
        ),
        TemplateItem(
            "Nghị quyết ban hành Quy chế hoạt động của HĐND",
            "Thường trực HĐND",
            7,
            "Dự thảo Quy chế hoạt động của HĐND",
        ),
        TemplateItem(
            "Nghị quyết về Chương trình kỳ họp thường lệ năm 2025 của HĐND",
            "Thường trực HĐND",
            5,
            "Dự thảo Nghị quyết về Chương trình kỳ họp năm 2025",
        ),
        TemplateItem("Thảo luận, biểu quyết thông qua các nghị quyết", "Chủ tọa", 8),
        TemplateItem("Bế mạc kỳ họp", "Chủ tọa", 3),
    ],
    Session.Kind.UBND: [
        TemplateItem("Khai mạc; thông qua chương trình phiên họp", "Chủ tịch UBND", 3),
        TemplateItem(
            "Dự thảo Quy chế làm việc của UBND",
            "Văn phòng HĐND và UBND",
            12,
            "Dự thảo Quyết định ban hành Quy chế làm việc của UBND",
            Document.Kind.DRAFT_DECISION,
        ),
        TemplateItem(
            "Chương trình công tác của UBND năm 2025",
            "Văn phòng HĐND và UBND",
            10,
            "Dự thảo Chương trình công tác năm 2025",
            Document.Kind.DRAFT_DECISION,
        ),
        TemplateItem(
            "Phân công nhiệm vụ Chủ tịch, các Phó Chủ tịch và Ủy viên UBND",
            "Chủ tịch UBND",
            10,
            "Dự thảo Quyết định phân công nhiệm vụ",
            Document.Kind.DRAFT_DECISION,
        ),
        TemplateItem("Kết luận phiên họp", "Chủ tịch UBND", 5),
    ],
}

_ORDINALS = {1: "thứ nhất", 2: "thứ hai", 3: "thứ ba", 4: "thứ tư"}


def default_title(*, kind: str, number: int, unit, is_rehearsal: bool = False) -> str:
    ordinal = _ORDINALS.get(number, f"thứ {number}")
    if kind == Session.Kind.HDND:
        title = f"Kỳ họp {ordinal} HĐND {unit.name}"
    else:
        title = f"Phiên họp {ordinal} UBND {unit.name}"
    return f"{title} (diễn tập)" if is_rehearsal else title


# --- planning -------------------------------------------------------------------------------------------------------


def _log(session: Session, actor, note: str, from_status: str = "", to_status: str = "") -> SessionEvent:
    return SessionEvent.objects.create(
        session=session, actor=actor, note=note, from_status=from_status, to_status=to_status
    )


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().get(pk=session.pk)


def _lock_numbering(unit_id: int) -> None:
    """Serialise what can take a session number of a unit (create, edit, reopen): the second of two concurrent
    requests waits here, then ``full_clean`` sees the first one's row and refuses with a message instead of the
    database's unique constraint failing."""
    list(Unit.objects.select_for_update().filter(pk=unit_id).values_list("pk", flat=True))


def _require_status(session: Session, allowed, message: str) -> None:
    if session.status not in allowed:
        raise SessionError(message)


@transaction.atomic
def session_create(
    *,
    unit,
    kind: str,
    scheduled_start: dt.datetime,
    actor,
    number: int = 1,
    is_rehearsal: bool = False,
    title: str = "",
    venue: str = "",
    chair: str = "",
    budget_minutes: int | None = None,
    stream_url: str = "",
    stream_access: str = Session.StreamAccess.PROVINCE_STAFF,
) -> Session:
    _lock_numbering(unit.pk)
    session = Session(
        unit=unit,
        kind=kind,
        number=number,
        is_rehearsal=is_rehearsal,
        title=title or default_title(kind=kind, number=number, unit=unit, is_rehearsal=is_rehearsal),
        scheduled_start=scheduled_start,
        venue=venue,
        chair=chair,
        budget_minutes=budget_minutes or session_budget_for(unit=unit, scheduled_start=scheduled_start),
        stream_url=stream_url,
        stream_access=stream_access,
        created_by=actor,
    )
    session.full_clean()
    session.save()
    _log(session, actor, _("Session created."), to_status=session.status)
    return session


@transaction.atomic
def session_create_from_template(*, unit, kind: str, scheduled_start: dt.datetime, actor, **details) -> Session:
    """A session pre-filled with the standard programme of a first HĐND session / first UBND meeting and the
    required documents of its resolutions or decisions. Everything stays editable."""
    session = session_create(unit=unit, kind=kind, scheduled_start=scheduled_start, actor=actor, **details)
    for order, spec in enumerate(PROGRAMME_TEMPLATES[kind], start=1):
        item = AgendaItem(
            session=session, order=order, title=spec.title, presenter=spec.presenter, planned_minutes=spec.minutes
        )
        item.full_clean()
        item.save()
        if spec.document:
            document = Document(session=session, kind=spec.document_kind, title=spec.document, is_required=True)
            document.full_clean()
            document.save()
            item.documents.add(document)
    return session


@transaction.atomic
def session_update(*, session: Session, actor, **fields) -> Session:
    _lock_numbering(session.unit_id)
    session = _locked(session)
    _require_status(session, PLANNING_STATUSES, _("Only a draft or published session can be edited."))
    for name, value in fields.items():
        setattr(session, name, value)
    if session.status == Session.Status.PUBLISHED:
        planned = AgendaItem.objects.filter(session=session).aggregate(total=Sum("planned_minutes"))["total"] or 0
        if planned > session.budget_minutes:
            raise SessionError(
                _("The published agenda takes %(planned)d minutes: the budget cannot go below that.")
                % {"planned": planned}
            )
    session.full_clean()
    session.save()
    return session


@dataclass
class AgendaRowInput:
    title: str
    planned_minutes: int
    presenter: str = ""
    pk: int | None = None
    order: int | None = None
    delete: bool = False


@transaction.atomic
def agenda_save(*, session: Session, actor, rows: list[AgendaRowInput]) -> bool:
    """Replace the agenda with ``rows`` (existing items by pk, new ones without). Only in draft. Returns whether
    the agenda is over budget (allowed for a draft; publishing refuses it)."""
    session = _locked(session)
    _require_status(session, {Session.Status.DRAFT}, _("Return the session to draft before editing its agenda."))
    existing = {item.pk: item for item in AgendaItem.objects.filter(session=session)}
    kept = [row for row in rows if not row.delete]
    kept.sort(key=lambda row: row.order if row.order is not None else 10_000)
    for row in rows:
        if row.delete and row.pk in existing:
            existing.pop(row.pk).delete()
    total = 0
    for order, row in enumerate(kept, start=1):
        item = existing.get(row.pk) if row.pk else None
        if item is None:
            item = AgendaItem(session=session)
        item.order, item.title, item.presenter = order, row.title, row.presenter
        item.planned_minutes = row.planned_minutes
        item.full_clean()
        item.save()
        total += item.planned_minutes
    return total > session.budget_minutes


# --- documents ------------------------------------------------------------------------------------------------------


def safe_filename(name: str) -> str:
    """A file name that is safe to store and to send back: no path, no control characters, no leading dots."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if ch.isprintable() and ch not in "\x00")
    name = re.split(r"[\\/]", name)[-1]
    name = name.strip().lstrip(".")
    try:
        name = get_valid_filename(name)
    except Exception:  # SuspiciousFileOperation for names that reduce to nothing
        name = ""
    stem, ext = os.path.splitext(name)
    return f"{stem[:100]}{ext[:10].lower()}"


# The first bytes of each accepted type: a file whose content does not match its extension (an HTML page or an
# executable renamed to .pdf) is refused. Extensions added through the setting without a signature here are
# checked by name only.
FILE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


def _content_matches(upload, ext: str) -> bool:
    signatures = FILE_SIGNATURES.get(ext)
    if not signatures:
        return True
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return any(head.startswith(signature) for signature in signatures)


def validate_upload(upload: UploadedFile) -> str:
    """Check size and type; return the safe file name. Raises ValidationError with a message for the user."""
    name = safe_filename(upload.name)
    ext = os.path.splitext(name)[1].lstrip(".").lower()
    if not name or not os.path.splitext(name)[0] or ext not in allowed_extensions():
        raise ValidationError(
            _("This file type is not accepted. Accepted types: %(types)s.") % {"types": ", ".join(allowed_extensions())}
        )
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": round(max_upload_bytes() / 1024 / 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if not _content_matches(upload, ext):
        raise ValidationError(
            _(
                "The content of this file is not a .%(ext)s file. "
                "Save it again in that format, or choose the right file."
            )
            % {"ext": ext}
        )
    return name


def _locked_document(document: Document) -> Document:
    """The session's row, then the document's, locked in that order like every other service (locking both in one
    joined query could take them the other way round and deadlock with a removal). A document removed meanwhile is a
    refusal, not a server error."""
    session = Session.objects.select_for_update().filter(pk=document.session_id).first()
    try:
        locked = Document.objects.select_for_update().get(pk=document.pk, session=session)
    except Document.DoesNotExist:
        raise SessionError(_("This document has been removed meanwhile.")) from None
    locked.session = session
    return locked


@transaction.atomic
def document_add(
    *,
    session: Session,
    actor,
    kind: str,
    title: str,
    is_required: bool = True,
    upload: UploadedFile | None = None,
    is_ready: bool = False,
    agenda_items=(),
) -> Document:
    session = _locked(session)
    _require_status(session, OPEN_STATUSES, _("Documents can no longer be added to this session."))
    document = Document(session=session, kind=kind, title=title, is_required=is_required)
    document.full_clean()
    document.save()
    document.agenda_items.set([item for item in agenda_items if item.session_id == session.pk])
    if upload is not None:
        document_upload_version(document=document, upload=upload, actor=actor, mark_ready=is_ready)
    return document


@transaction.atomic
def document_upload_version(*, document: Document, upload: UploadedFile, actor, mark_ready: bool) -> DocumentVersion:
    name = validate_upload(upload)
    document = _locked_document(document)
    _require_status(document.session, OPEN_STATUSES, _("Documents of this session can no longer be changed."))
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    upload.name = name
    version = DocumentVersion(
        document=document, number=number, file=upload, original_name=name, size=upload.size, uploaded_by=actor
    )
    version.full_clean()
    version.save()
    if document.is_ready != mark_ready:
        document.is_ready = mark_ready
        document.save(update_fields=["is_ready"])
    return version


@transaction.atomic
def document_set_ready(*, document: Document, ready: bool, actor) -> Document:
    document = _locked_document(document)
    _require_status(document.session, OPEN_STATUSES, _("Documents of this session can no longer be changed."))
    if ready and not document.versions.exists():
        raise SessionError(_("Upload a file before marking the document ready."))
    document.is_ready = ready
    document.save(update_fields=["is_ready"])
    return document


# --- status ---------------------------------------------------------------------------------------------------------


def _transition(session: Session, *, to: str, actor, note: str = "") -> Session:
    """Inside a transaction, on a locked row."""
    if session.status == to:
        return session
    if to not in ALLOWED_TRANSITIONS.get(session.status, ()):
        raise SessionError(
            _("A session cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Session.Status(session.status).label, "to": Session.Status(to).label}
        )
    if to == Session.Status.PUBLISHED:
        problems = publish_problems(session)
        if problems:
            raise SessionError(" ".join([_("The session cannot be published:"), *problems]))
    if to == Session.Status.IN_PROGRESS:
        session.actual_start = timezone.now()
    from_status = session.status
    session.status = to
    session.full_clean()
    session.save()
    _log(session, actor, note, from_status=from_status, to_status=to)
    return session


@transaction.atomic
def session_transition(*, session: Session, to: str, actor, note: str = "") -> Session:
    """The one way to change a session's status (closing goes through :func:`session_close`)."""
    if session.status == Session.Status.CANCELLED:  # reopening takes its number again
        _lock_numbering(session.unit_id)
    session = _locked(session)
    if to == Session.Status.CLOSED and session.status != to:
        raise SessionError(_("Close the session with its minutes on the closing page."))
    return _transition(session, to=to, actor=actor, note=note)


# --- running --------------------------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_start(*, item: AgendaItem, actor) -> AgendaItem:
    """Start an item's timer (stopping the running one). Times come from the server clock."""
    session = _locked(item.session)
    _require_status(session, {Session.Status.IN_PROGRESS}, _("Start the session before timing its items."))
    item = AgendaItem.objects.select_for_update().get(pk=item.pk, session=session)
    if item.started_at is not None:
        raise SessionError(_("This item has already been started."))
    now = timezone.now()
    for running in AgendaItem.objects.select_for_update().filter(
        session=session, started_at__isnull=False, ended_at__isnull=True
    ):
        running.ended_at = now
        running.save(update_fields=["ended_at"])
    item.started_at = now
    item.save(update_fields=["started_at"])
    _log(session, actor, _("Item %(order)s started.") % {"order": item.order})
    return item


@transaction.atomic
def agenda_item_stop(*, item: AgendaItem, actor) -> AgendaItem:
    session = _locked(item.session)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk, session=session)
    if not item.is_running:
        raise SessionError(_("This item is not running."))
    item.ended_at = timezone.now()
    item.save(update_fields=["ended_at"])
    _log(session, actor, _("Item %(order)s ended.") % {"order": item.order})
    return item


@transaction.atomic
def participants_add(*, session: Session, actor, lines: str, is_member: bool = True) -> list[Participant]:
    """Add participants from lines "name; position; delegate group" (position and group optional)."""
    session = _locked(session)
    _require_status(session, OPEN_STATUSES, _("Participants can no longer be changed."))
    created = []
    for line in lines.splitlines():
        parts = [p.strip() for p in line.split(";")]
        if not parts[0]:
            continue
        participant = Participant(
            session=session,
            name=parts[0],
            position=parts[1] if len(parts) > 1 else "",
            delegate_group=parts[2] if len(parts) > 2 else "",
            is_member=is_member,
        )
        participant.full_clean()
        participant.save()
        created.append(participant)
    return created


@transaction.atomic
def attendance_record(*, session: Session, actor, marks: dict[int, tuple[str, str]]) -> None:
    """``marks``: participant pk -> (attendance, absence reason)."""
    session = _locked(session)
    _require_status(session, OPEN_STATUSES, _("Attendance can no longer be changed."))
    for participant in Participant.objects.filter(session=session, pk__in=marks):
        attendance, reason = marks[participant.pk]
        participant.attendance = attendance
        participant.absence_reason = reason if attendance == Participant.Attendance.ABSENT else ""
        participant.full_clean()
        participant.save(update_fields=["attendance", "absence_reason"])


@transaction.atomic
def outcome_add(
    *,
    session: Session,
    actor,
    title: str,
    number: str = "",
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
    adopted: bool = False,
) -> Outcome:
    session = _locked(session)
    _require_status(session, OUTCOME_STATUSES, _("Outcomes are recorded once the session runs."))
    outcome = Outcome(
        session=session,
        number=number,
        title=title,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        adopted=adopted,
    )
    outcome.full_clean()
    outcome.save()
    return outcome


@transaction.atomic
def stream_viewers_set(*, session: Session, actor, units) -> int:
    """Replace the list of units that followed the stream; returns their number."""
    session = _locked(session)
    unit_ids = {u.pk for u in units} - {session.unit_id}
    StreamViewer.objects.filter(session=session).exclude(unit_id__in=unit_ids).delete()
    have = set(StreamViewer.objects.filter(session=session).values_list("unit_id", flat=True))
    StreamViewer.objects.bulk_create([StreamViewer(session=session, unit_id=uid) for uid in unit_ids - have])
    return len(unit_ids)


@transaction.atomic
def comment_add(*, session: Session, author, body: str) -> Comment:
    comment = Comment(session=session, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


# --- closing --------------------------------------------------------------------------------------------------------


@transaction.atomic
def session_close(
    *,
    session: Session,
    actor,
    minutes_summary: str,
    lessons_good: str = "",
    lessons_fix: str = "",
    minutes_upload: UploadedFile | None = None,
) -> Session:
    """Close a running session: stop the running item, record the actual end, attendance count, minutes and lessons.
    Overruns per item and the actual duration follow from the stored times."""
    session = _locked(session)
    if session.status != Session.Status.IN_PROGRESS:
        raise SessionError(_("Only a session in progress can be closed."))
    if not minutes_summary.strip():
        raise SessionError(_("Write the summary of the minutes before closing."))
    now = timezone.now()
    AgendaItem.objects.filter(session=session, started_at__isnull=False, ended_at__isnull=True).update(ended_at=now)
    if minutes_upload is not None:
        name = validate_upload(minutes_upload)
        minutes_upload.name = name
        session.minutes_file = minutes_upload
        session.minutes_file_name = name
    session.minutes_summary = minutes_summary.strip()
    session.lessons_good = lessons_good.strip()
    session.lessons_fix = lessons_fix.strip()
    session.actual_end = now
    session.attendance_count = Participant.objects.filter(
        session=session, attendance=Participant.Attendance.PRESENT
    ).count()
    return _transition(session, to=Session.Status.CLOSED, actor=actor)


# --- corrections: editing and removing participants, outcomes and documents ----------------------------------------
#
# Allowed in the statuses where they are added (``changes_refused``); each locks the session row, then the row it
# changes, and writes a note in the session's event log. An edit that changes nothing writes nothing.


def changes_refused(*, session: Session, what: str) -> str:
    """Why the ``what`` ("participants", "documents" or "outcomes") of ``session`` cannot be changed now; "" when
    they can."""
    if what == "participants":
        return "" if session.status in PARTICIPANT_STATUSES else _("Participants can no longer be changed.")
    if what == "documents":
        return "" if session.status in DOCUMENT_STATUSES else _("Documents of this session can no longer be changed.")
    if what == "outcomes":
        return "" if session.status in OUTCOME_STATUSES else _("Outcomes are recorded once the session runs.")
    raise ValueError(what)


def _require_changes_allowed(session: Session, what: str) -> None:
    message = changes_refused(session=session, what=what)
    if message:
        raise SessionError(message)


def _locked_row(model, obj, session: Session, gone_message: str):
    try:
        return model.objects.select_for_update().get(pk=obj.pk, session=session)
    except model.DoesNotExist:
        raise SessionError(gone_message) from None


def _apply(instance, fields: dict, allowed: frozenset[str]) -> list[str]:
    """Set ``fields`` on ``instance``; return the (translated) names of those whose value changed."""
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))}")
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(str(instance._meta.get_field(name).verbose_name))
    return changed


def _renamed(before: str, after: str) -> str:
    return before if before == after else f"{before} → {after}"


PARTICIPANT_FIELDS = frozenset({"name", "position", "delegate_group", "is_member", "is_invited"})
OUTCOME_FIELDS = frozenset({"number", "title", "votes_for", "votes_against", "votes_abstain", "adopted"})
DOCUMENT_FIELDS = frozenset({"kind", "title", "is_required"})


@transaction.atomic
def participant_update(*, participant: Participant, actor, **fields) -> Participant:
    """Correct a participant's name, position, delegate group, member/guest or invited flag."""
    session = _locked(participant.session)
    _require_changes_allowed(session, "participants")
    participant = _locked_row(Participant, participant, session, _("This participant has been removed meanwhile."))
    before = participant.name
    changed = _apply(participant, fields, PARTICIPANT_FIELDS)
    if not changed:
        return participant
    participant.full_clean()
    participant.save()
    _log(
        session,
        actor,
        _("Participant “%(name)s” edited (%(fields)s).")
        % {"name": _renamed(before, participant.name), "fields": ", ".join(changed)},
    )
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, actor) -> None:
    """Remove a participant (and their attendance mark: the quorum is counted without them)."""
    session = _locked(participant.session)
    _require_changes_allowed(session, "participants")
    participant = _locked_row(Participant, participant, session, _("This participant has been removed meanwhile."))
    name = participant.name
    participant.delete()
    _log(session, actor, _("Participant “%(name)s” removed.") % {"name": name})


@transaction.atomic
def outcome_update(*, outcome: Outcome, actor, **fields) -> Outcome:
    """Correct an outcome's number, title, votes or result."""
    session = _locked(outcome.session)
    _require_changes_allowed(session, "outcomes")
    outcome = _locked_row(Outcome, outcome, session, _("This outcome has been removed meanwhile."))
    before = str(outcome)
    changed = _apply(outcome, fields, OUTCOME_FIELDS)
    if not changed:
        return outcome
    outcome.full_clean()
    outcome.save()
    _log(
        session,
        actor,
        _("Outcome “%(title)s” edited (%(fields)s).")
        % {"title": _renamed(before, str(outcome)), "fields": ", ".join(changed)},
    )
    return outcome


@transaction.atomic
def outcome_remove(*, outcome: Outcome, actor) -> None:
    session = _locked(outcome.session)
    _require_changes_allowed(session, "outcomes")
    outcome = _locked_row(Outcome, outcome, session, _("This outcome has been removed meanwhile."))
    title = str(outcome)
    outcome.delete()
    _log(session, actor, _("Outcome “%(title)s” removed.") % {"title": title})


def _required_stays_required_message() -> str:
    return _("The session is published: its required documents stay until it is returned to draft.")


@transaction.atomic
def document_update(
    *, document: Document, actor, kind: str, title: str, is_required: bool, agenda_items=None
) -> Document:
    """Correct a document's kind, title, required flag and (unless ``agenda_items`` is None) the agenda items it is
    linked to (items of other sessions are ignored). While the session is published a required document stays
    required: making it optional would let it be removed, or leave it missing, behind the published programme."""
    session = _locked(document.session)
    _require_changes_allowed(session, "documents")
    document = _locked_row(Document, document, session, _("This document has been removed meanwhile."))
    if session.status == Session.Status.PUBLISHED and document.is_required and not is_required:
        raise SessionError(_required_stays_required_message())
    before = document.title
    changed = _apply(document, {"kind": kind, "title": title, "is_required": is_required}, DOCUMENT_FIELDS)
    if changed:
        document.full_clean()
        document.save()
    if agenda_items is not None:
        wanted = {item.pk for item in agenda_items if item.session_id == session.pk}
        if wanted != set(document.agenda_items.values_list("pk", flat=True)):
            document.agenda_items.set(wanted)
            changed.append(str(AgendaItem._meta.verbose_name_plural))
    if changed:
        _log(
            session,
            actor,
            _("Document “%(title)s” edited (%(fields)s).")
            % {"title": _renamed(before, document.title), "fields": ", ".join(changed)},
        )
    return document


def document_removal_refused(*, session: Session, document: Document) -> str:
    """Why ``document`` cannot be removed now; "" when it can (its uploaded files still need a confirmation)."""
    refusal = changes_refused(session=session, what="documents")
    if not refusal and session.status == Session.Status.PUBLISHED and document.is_required:
        refusal = _required_stays_required_message()
    return refusal


def _delete_private_files(files: list[tuple]) -> None:
    """Delete stored files and their per-file random folders (run after the commit that removed their rows)."""
    for storage, name in files:
        try:
            storage.delete(name)
            os.rmdir(os.path.dirname(storage.path(name)))
        except OSError:  # a folder not empty or already gone, a disk error: the rows are gone either way
            logger.warning("Could not delete the private file %s of a removed document", name, exc_info=True)


@transaction.atomic
def document_remove(*, document: Document, actor, confirmed_files: int = 0) -> int:
    """Remove a document, its links to agenda items and its uploaded versions; returns how many files go with it.

    Refused for a required document while the session is published. A document with uploaded versions is removed
    only when ``confirmed_files`` is their number (the user saw and confirmed that list; a version uploaded after
    that is not deleted unseen). Its files are private (``pilot_portal.core.storage``: no URL, served only through
    the version rows), so once the rows are gone nothing could ever serve them: they are deleted from the private
    storage after the commit instead of being left behind on disk and in backups.
    """
    session = _locked(document.session)
    _require_changes_allowed(session, "documents")
    document = _locked_row(Document, document, session, _("This document has been removed meanwhile."))
    refusal = document_removal_refused(session=session, document=document)
    if refusal:
        raise SessionError(refusal)
    versions = list(DocumentVersion.objects.filter(document=document).order_by("number"))
    if versions and confirmed_files != len(versions):
        raise SessionError(
            _(
                "This document has uploaded files (%(count)d): confirm that they are deleted with it, "
                "after checking the list below."
            )
            % {"count": len(versions)}
        )
    files = [(version.file.storage, version.file.name) for version in versions if version.file]
    title = document.title
    document.delete()
    if versions:
        note = _("Document “%(title)s” removed with its uploaded files: %(files)s.") % {
            "title": title,
            "files": ", ".join(f"{v.original_name} (v{v.number})" for v in versions),
        }
    else:
        note = _("Document “%(title)s” removed.") % {"title": title}
    _log(session, actor, note)
    if files:
        transaction.on_commit(lambda: _delete_private_files(files))
    return len(versions)
