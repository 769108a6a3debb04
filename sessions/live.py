"""Reads of the live follow page: who may follow a session, and the state the page shows (also its JSON)."""

from __future__ import annotations

import hashlib
import json

from django.db.models import QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import Unit

from .models import AgendaItem, Outcome, Participant, Session, Speech, StreamViewer
from .selectors import quorum_of


def sessions_followable_by(user) -> QuerySet[Session]:
    """The sessions whose live page ``user`` may open: every session they may see, and the sessions (not drafts)
    of the other units of their province, for the unit users of that province. Public streams are the view's
    concern (anyone may follow them)."""
    sessions = Session.objects.select_related("unit", "unit__province")
    visible = sessions.visible_to(user)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return visible
    if user.is_unit_user:
        province = Subquery(Unit.objects.filter(pk=user.unit_id).values("province_id"))
        neighbours = sessions.filter(unit__province_id=province).exclude(status=Session.Status.DRAFT)
        return visible | neighbours
    return visible


def public_session(pk: int) -> Session | None:
    """The session ``pk`` when its stream is public and it is no longer a draft."""
    return (
        Session.objects.select_related("unit", "unit__province")
        .filter(pk=pk, stream_access=Session.StreamAccess.PUBLIC)
        .exclude(status=Session.Status.DRAFT)
        .first()
    )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _digest(data) -> str:
    return hashlib.sha1(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def run_version(session: Session, items, speeches=()) -> str:
    """What the secretary's run of show shows, in a few characters: it reloads when this changes. ``speeches``:
    those of the running item."""
    times = [(i.pk, _iso(i.started_at), _iso(i.ended_at)) for i in items]
    spoken = [(s.pk, _iso(s.ended_at)) for s in speeches]
    return _digest([session.status, _iso(session.actual_end), times, spoken])


def live_state(session: Session) -> dict:
    """Everything the follow page shows, as JSON-ready data; five queries whatever the number of rows.

    ``version`` changes with any of it (not with ``now``, the server clock that corrects the browsers' timers)."""
    items = list(AgendaItem.objects.filter(session=session).order_by("order", "pk"))
    participants = list(Participant.objects.filter(session=session).only("is_member", "attendance"))
    outcomes = list(Outcome.objects.filter(session=session).order_by("pk"))
    viewers = StreamViewer.objects.filter(session=session).count()
    quorum = quorum_of(participants, kind=session.kind)
    current = next((i for i in items if i.is_running), None)
    speeches = (
        list(Speech.objects.filter(item=current).select_related("participant").order_by("started_at", "pk"))
        if current
        else []
    )
    speaking = next((s for s in speeches if s.is_running), None)
    state = {
        "session": {
            "id": session.pk,
            "title": session.title,
            "status": session.status,
            "status_label": session.get_status_display(),
            "actual_start": _iso(session.actual_start),
            "actual_end": _iso(session.actual_end),
            "budget_minutes": session.budget_minutes,
            "planned_minutes": sum(i.planned_minutes for i in items),
        },
        "items": [
            {
                "id": i.pk,
                "order": i.order,
                "title": i.title,
                "presenter": i.presenter,
                "planned_minutes": i.planned_minutes,
                "started_at": _iso(i.started_at),
                "ended_at": _iso(i.ended_at),
                "running": i.is_running,
            }
            for i in items
        ],
        "current": current.pk if current else None,
        "speaker": (
            {"id": speaking.pk, "name": speaking.participant.name, "started_at": _iso(speaking.started_at)}
            if speaking
            else None
        ),
        "quorum": {
            "present": quorum.present,
            "members": quorum.members,
            "needed": quorum.needed,
            "reached": quorum.reached,
            "text": _("Present: %(present)d / %(members)d delegates or members (%(needed)d needed)")
            % {"present": quorum.present, "members": quorum.members, "needed": quorum.needed},
            "verdict": _("Quorum reached") if quorum.reached else _("No quorum yet"),
        },
        "outcomes": [
            {
                "id": o.pk,
                "number": o.number,
                "title": o.title,
                "votes_for": o.votes_for,
                "votes_against": o.votes_against,
                "votes_abstain": o.votes_abstain,
                "adopted": o.adopted,
                "result": _("Adopted") if o.adopted else _("Not adopted"),
            }
            for o in outcomes
        ],
        "viewer_units": viewers,
    }
    state["run_version"] = run_version(session, items, speeches)
    state["version"] = _digest(state)
    state["now"] = timezone.now().isoformat()
    return state
