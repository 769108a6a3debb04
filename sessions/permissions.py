"""Who may do what with a session: one rule per line. Views check them and pass them to templates as ``can_*``
flags (:func:`session_flags`); templates never test a status themselves. Scope (which sessions a user sees at all)
is ``Session.objects.visible_to`` / ``editable_by``; the services hold the same status rules for every caller."""

from __future__ import annotations

from pilot_portal.accounts.models import Role
from pilot_portal.accounts.permissions import ANY_ROLE

from .models import Session
from .services import DOCUMENT_STATUSES, OUTCOME_STATUSES, PARTICIPANT_STATUSES, PLANNING_STATUSES

S = Session.Status
EDITORS = (Role.UNIT_OFFICIAL,)
COMMENTERS = (Role.UNIT_OFFICIAL, Role.PROVINCE_STAFF)
#: Who opens the session list, the session page and the documents: every portal role and the delegates (who see
#: only their unit's published sessions, see ``Session.objects.visible_to``).
DOCUMENT_READERS = (*ANY_ROLE, Role.DELEGATE)


def can_create(user) -> bool:
    return user.role == Role.UNIT_OFFICIAL


def can_edit(user, session: Session) -> bool:
    return user.is_superuser or (user.role == Role.UNIT_OFFICIAL and user.unit_id == session.unit_id)


def can_edit_details(user, session: Session) -> bool:
    return can_edit(user, session) and session.status in PLANNING_STATUSES


def can_edit_agenda(user, session: Session) -> bool:
    return can_edit(user, session) and session.status == S.DRAFT


def can_change_participants(user, session: Session) -> bool:
    return can_edit(user, session) and session.status in PARTICIPANT_STATUSES


def can_change_documents(user, session: Session) -> bool:
    return can_edit(user, session) and session.status in DOCUMENT_STATUSES


def can_change_outcomes(user, session: Session) -> bool:
    return can_edit(user, session) and session.status in OUTCOME_STATUSES


def can_run(user, session: Session) -> bool:
    return can_edit(user, session) and session.status == S.IN_PROGRESS


def can_record_viewers(user, session: Session) -> bool:
    return can_edit(user, session) and session.status != S.CANCELLED


def can_comment(user) -> bool:
    return user.is_superuser or user.role in COMMENTERS


def can_read_minutes(session: Session) -> bool:
    return session.status == S.CLOSED


def can_print(user) -> bool:
    """The printable pages and official documents (not for delegates, who read the session's documents)."""
    return not user.is_delegate


def can_follow_live(session: Session) -> bool:
    """The live page exists once the session is announced (its viewers' scope is ``live.sessions_followable_by``)."""
    return session.status != S.DRAFT


def session_flags(user, session: Session) -> dict[str, bool]:
    """Every ``can_*`` flag of the session page (and the pages that share its buttons)."""
    return {
        "can_edit": can_edit(user, session),
        "can_edit_details": can_edit_details(user, session),
        "can_edit_agenda": can_edit_agenda(user, session),
        "can_change_participants": can_change_participants(user, session),
        "can_change_documents": can_change_documents(user, session),
        "can_change_outcomes": can_change_outcomes(user, session),
        "can_run": can_run(user, session),
        "can_record_viewers": can_record_viewers(user, session),
        "can_comment": can_comment(user),
        "can_read_minutes": can_read_minutes(session),
        "can_follow_live": can_follow_live(session) and not user.is_delegate,
        "can_print": can_print(user),
    }
