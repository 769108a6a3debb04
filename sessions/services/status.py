"""Status changes of a session, closing included."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ALLOWED_TRANSITIONS, AgendaItem, Participant, Session
from ..selectors import publish_problems
from ._common import SessionError, _lock_numbering, _locked, _log
from .documents import validate_upload

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
