"""Creating and editing a session, its agenda and its participants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from pilot_portal.core.updates import model_update

from ..config import session_budget_for, session_budget_limit
from ..models import AgendaItem, Document, Participant, Session
from ._common import (
    OPEN_STATUSES,
    PLANNING_STATUSES,
    SessionError,
    _changed,
    _lock_numbering,
    _locked,
    _log,
    _require_status,
)
from .programmes import PROGRAMME_TEMPLATES, default_title


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
    secretary: str = "",
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
        secretary=secretary,
        budget_minutes=budget_minutes or session_budget_for(unit=unit, scheduled_start=scheduled_start),
        stream_url=stream_url,
        stream_access=stream_access,
        created_by=actor,
    )
    _check_budget_limit(session)
    session.full_clean()
    session.save()
    _log(session, actor, _("The %(noun)s was created.") % session.wording, to_status=session.status)
    return session


def _check_budget_limit(session: Session) -> None:
    """A session may plan less than its province's limit, never more (a rehearsal follows the same limit)."""
    limit = session_budget_limit(unit=session.unit, scheduled_start=session.scheduled_start)
    if limit and session.budget_minutes and session.budget_minutes > limit:
        raise SessionError(
            _(
                "The province limits every session and meeting to %(limit)d minutes: the time budget cannot be "
                "%(budget)d minutes."
            )
            % {"limit": limit, "budget": session.budget_minutes}
        )


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


#: What the planning form may change, in the form's order; the status, times, minutes and lessons change through
#: their own services.
SESSION_FIELDS = (
    "kind",
    "number",
    "is_rehearsal",
    "title",
    "scheduled_start",
    "venue",
    "chair",
    "secretary",
    "budget_minutes",
    "stream_url",
    "stream_access",
)


@transaction.atomic
def session_update(*, session: Session, actor, **fields) -> Session:
    """Change the named planning fields (``SESSION_FIELDS`` only) of a draft or published session."""
    _lock_numbering(session.unit_id)
    session = _locked(session)
    _require_status(
        session, PLANNING_STATUSES, _("Only a draft or published %(noun)s can be edited.") % session.wording
    )
    model_update(session, fields=SESSION_FIELDS, data=fields)
    _check_budget_limit(session)
    if session.status == Session.Status.PUBLISHED:
        planned = AgendaItem.objects.filter(session=session).aggregate(total=Sum("planned_minutes"))["total"] or 0
        if planned > session.budget_minutes:
            raise SessionError(
                _("The published agenda takes %(planned)d minutes: the budget cannot go below that.")
                % {"planned": planned}
            )
    session.full_clean()
    session.save()
    _changed(session)
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
    _require_status(
        session, {Session.Status.DRAFT}, _("Return the %(noun)s to draft before editing its agenda.") % session.wording
    )
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
    _changed(session)
    return total > session.budget_minutes


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
    _changed(session)
    return created
