"""Status changes of a session, closing included."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AgendaItem, Participant, Session
from ..selectors import publish_problems, quorum_of
from ._common import SESSION_STATUS, SessionError, _changed, _lock_numbering, _locked
from .documents import validate_upload
from .speeches import end_running_speeches

# --- status ---------------------------------------------------------------------------------------------------------


def _check_and_stamp(session: Session, current: str, to: str) -> None:
    """The session's own rules of a status change, on the locked row (``SESSION_STATUS.transition``'s ``prepare``)."""
    if to == Session.Status.PUBLISHED:
        problems = publish_problems(session)
        if problems:
            raise SessionError(" ".join([_("The %(noun)s cannot be published:") % session.wording, *problems]))
    if to == Session.Status.IN_PROGRESS:
        session.actual_start = timezone.now()


def _quorum_note(session: Session, reason: str) -> str:
    """Opening needs the quorum; without it, only with the chair's reason, which goes into the history."""
    quorum = quorum_of(Participant.objects.filter(session=session), kind=session.kind)
    if quorum.reached:
        return reason
    figures = {"present": quorum.present, "members": quorum.members, "needed": quorum.needed}
    if quorum.members == 0:
        raise SessionError(_("The participant list has no delegate or member: the session cannot open."))
    if not reason.strip():
        raise SessionError(
            _(
                "No quorum: %(present)d of %(members)d delegates or members are present, at least %(needed)d are "
                "needed. Record the attendance, or write the chair's reason for opening without the quorum."
            )
            % figures
        )
    return _("Opened without the quorum (%(present)d of %(members)d present, %(needed)d needed): %(reason)s") % {
        **figures,
        "reason": reason.strip(),
    }


@transaction.atomic
def session_transition(*, session: Session, to: str, actor, note: str = "") -> Session:
    """The one way to change a session's status (closing goes through :func:`session_close`)."""
    if session.status == Session.Status.CANCELLED:  # reopening takes its number again
        _lock_numbering(session.unit_id)
    session = _locked(session)
    if to == Session.Status.CLOSED and session.status != to:
        raise SessionError(_("Close the %(noun)s with its minutes on the closing page.") % session.wording)
    if to == Session.Status.IN_PROGRESS and session.status != to:
        note = _quorum_note(session, note)
    _changed(session)
    return SESSION_STATUS.transition(
        session, to=to, actor=actor, note=note, prepare=lambda locked, current: _check_and_stamp(locked, current, to)
    )


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
        raise SessionError(_("Only a %(noun)s in progress can be closed.") % session.wording)
    if not minutes_summary.strip():
        raise SessionError(_("Write the summary of the minutes before closing."))
    now = timezone.now()
    AgendaItem.objects.filter(session=session, started_at__isnull=False, ended_at__isnull=True).update(ended_at=now)
    end_running_speeches(session, now)
    if minutes_upload is not None:
        minutes_upload.name = validate_upload(minutes_upload)

    def record_minutes(locked: Session, _current: str) -> None:
        if minutes_upload is not None:
            locked.minutes_file = minutes_upload
            locked.minutes_file_name = minutes_upload.name
        locked.minutes_summary = minutes_summary.strip()
        locked.lessons_good = lessons_good.strip()
        locked.lessons_fix = lessons_fix.strip()
        locked.actual_end = now
        # The delegates or members present; guests are on the minutes' list of guests, not in this count.
        locked.attendance_count = Participant.objects.filter(
            session=locked, is_member=True, attendance=Participant.Attendance.PRESENT
        ).count()

    _changed(session)
    return SESSION_STATUS.transition(session, to=Session.Status.CLOSED, actor=actor, prepare=record_minutes)
