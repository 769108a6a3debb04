"""Corrections: editing and removing participants, outcomes and documents."""

from __future__ import annotations

import logging
import os

from django.db import transaction
from django.utils.translation import gettext as _

from pilot_portal.core.updates import model_update

from ..models import AgendaItem, Document, DocumentVersion, Outcome, Participant, Session
from ._common import (
    DOCUMENT_STATUSES,
    OUTCOME_STATUSES,
    PARTICIPANT_STATUSES,
    SessionError,
    _changed,
    _locked,
    _log,
)
from .running import apply_vote_rule

logger = logging.getLogger(__name__)


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
    changed = model_update(instance, fields=allowed, data=fields)
    return [str(instance._meta.get_field(name).verbose_name) for name in changed]


def _renamed(before: str, after: str) -> str:
    return before if before == after else f"{before} → {after}"


PARTICIPANT_FIELDS = frozenset({"name", "position", "delegate_group", "is_member", "is_invited"})
OUTCOME_FIELDS = frozenset({"number", "title", "votes_for", "votes_against", "votes_abstain"})
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
    _changed(session)
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, actor) -> None:
    """Remove a participant (and their attendance mark: the quorum is counted without them)."""
    session = _locked(participant.session)
    _require_changes_allowed(session, "participants")
    participant = _locked_row(Participant, participant, session, _("This participant has been removed meanwhile."))
    if participant.speeches.exists():  # the minutes list their speeches
        raise SessionError(
            _("%(name)s has spoken in this %(noun)s and stays on its list.")
            % {"name": participant.name, **session.wording}
        )
    name = participant.name
    participant.delete()
    _log(session, actor, _("Participant “%(name)s” removed.") % {"name": name})
    _changed(session)


@transaction.atomic
def outcome_update(*, outcome: Outcome, actor, **fields) -> Outcome:
    """Correct an outcome's number, title or votes; the result follows from the votes."""
    session = _locked(outcome.session)
    _require_changes_allowed(session, "outcomes")
    outcome = _locked_row(Outcome, outcome, session, _("This outcome has been removed meanwhile."))
    before, was_adopted = str(outcome), outcome.adopted
    changed = _apply(outcome, fields, OUTCOME_FIELDS)
    if not changed:
        return outcome
    apply_vote_rule(outcome, session=session)
    if outcome.adopted != was_adopted:
        changed.append(str(Outcome._meta.get_field("adopted").verbose_name))
    outcome.full_clean()
    outcome.save()
    _log(
        session,
        actor,
        _("Outcome “%(title)s” edited (%(fields)s).")
        % {"title": _renamed(before, str(outcome)), "fields": ", ".join(changed)},
    )
    _changed(session)
    return outcome


@transaction.atomic
def outcome_remove(*, outcome: Outcome, actor) -> None:
    session = _locked(outcome.session)
    _require_changes_allowed(session, "outcomes")
    outcome = _locked_row(Outcome, outcome, session, _("This outcome has been removed meanwhile."))
    title = str(outcome)
    outcome.delete()
    _log(session, actor, _("Outcome “%(title)s” removed.") % {"title": title})
    _changed(session)


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
