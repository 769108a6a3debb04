"""What the service modules share: the refusal, the status sets, the event log and the row locks."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pilot_portal.core.workflow import DomainError, Workflow
from units.models import Unit

from .. import push
from ..models import ALLOWED_TRANSITIONS, Session, SessionEvent


class SessionError(DomainError):
    """A refused action; ``str(error)`` is a message for the user."""


SESSION_STATUS = Workflow(
    model=Session,
    transitions=ALLOWED_TRANSITIONS,
    event_model=SessionEvent,
    subject="session",
    error=SessionError,
    refused=lambda *, current_label, target_label, obj: (
        _("A %(noun)s cannot go from “%(from)s” to “%(to)s”.")
        % {**obj.wording, "from": current_label, "to": target_label}
    ),
)


PLANNING_STATUSES = frozenset({Session.Status.DRAFT, Session.Status.PUBLISHED})
OPEN_STATUSES = frozenset({Session.Status.DRAFT, Session.Status.PUBLISHED, Session.Status.IN_PROGRESS})
#: Where participants and documents are added, edited and removed.
PARTICIPANT_STATUSES = DOCUMENT_STATUSES = OPEN_STATUSES
#: Where outcomes are recorded, edited and removed.
OUTCOME_STATUSES = frozenset({Session.Status.IN_PROGRESS, Session.Status.CLOSED})


def _log(session: Session, actor, note: str, from_status: str = "", to_status: str = "") -> SessionEvent:
    """A notable action in the session's history (a status change goes through ``SESSION_STATUS``)."""
    return SESSION_STATUS.record(session, actor=actor, note=note, from_status=from_status, to_status=to_status)


def _locked(session: Session) -> Session:
    return SESSION_STATUS.lock(session)


def _lock_numbering(unit_id: int) -> None:
    """Serialise what can take a session number of a unit (create, edit, reopen): the second of two concurrent
    requests waits here, then ``full_clean`` sees the first one's row and refuses with a message instead of the
    database's unique constraint failing."""
    list(Unit.objects.select_for_update().filter(pk=unit_id).values_list("pk", flat=True))


def _require_status(session: Session, allowed, message: str) -> None:
    if session.status not in allowed:
        raise SessionError(message)


def _changed(session: Session | int) -> None:
    """Tell the live pages (follow page, run of show) that the session changed, after the commit."""
    push.changed(session if isinstance(session, int) else session.pk)
