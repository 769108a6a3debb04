"""Reminder rules of the first sessions and meetings, run hourly during the day (see pilot_portal/notifications).

- ``sessions_upcoming``: from two days before a session until it starts, what is still missing (required documents
  not ready, an agenda longer than the time budget, not published yet), to the unit's officials. Nothing is sent
  for a session that is ready. The key holds the scheduled start: a rescheduled session is checked again.
- ``sessions_not_closed``: a session still not closed (with its minutes) a day after its scheduled start, to the
  unit's officials.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilot_portal.notifications.models import Kind
from pilot_portal.notifications.recipients import unit_officials_by_unit
from pilot_portal.notifications.services import Message, notify_many
from pilot_portal.notifications.sweeps import Cadence, sweep

from .models import Document, Session
from .selectors import with_planned_minutes

BEFORE = dt.timedelta(days=2)
CLOSE_WITHIN = dt.timedelta(days=1)
NOT_STARTED = (Session.Status.DRAFT, Session.Status.PUBLISHED)


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _send(sessions: list[Session], make) -> int:
    officials = unit_officials_by_unit(s.unit_id for s in sessions)
    messages = []
    for session in sessions:
        made = make(session)
        if made is None:
            continue
        key, title, body = made
        link = session.get_absolute_url()
        messages.extend(
            Message(user_id, Kind.SESSION, key, title, body, link) for user_id in officials.get(session.unit_id, ())
        )
    return len(notify_many(messages))


@sweep("sessions_upcoming", cadence=Cadence.HOURLY)
def sessions_upcoming(at: dt.datetime) -> int:
    sessions = list(
        with_planned_minutes(
            Session.objects.filter(status__in=NOT_STARTED, scheduled_start__gt=at, scheduled_start__lte=at + BEFORE)
        ).order_by("scheduled_start", "pk")
    )
    count_documents = _document_counter(sessions)

    def make(session: Session):
        problems = []
        missing = count_documents(session.pk)
        if missing:
            problems.append(
                ngettext(
                    "%(count)d required document is not ready.", "%(count)d required documents are not ready.", missing
                )
                % {"count": missing}
            )
        if session.planned_minutes > session.budget_minutes:
            problems.append(
                _("The agenda takes %(planned)d minutes, more than the budget of %(budget)d minutes.")
                % {"planned": session.planned_minutes, "budget": session.budget_minutes}
            )
        if session.status == Session.Status.DRAFT:
            problems.append(_("The session is not published yet."))
        if not problems:
            return None
        title = _("%(title)s on %(start)s is not ready") % {
            "title": session.title,
            "start": _when(session.scheduled_start),
        }
        key = f"session:{session.pk}:before:{session.scheduled_start.isoformat()}"
        return key, title, "\n".join(f"- {p}" for p in problems)

    return _send(sessions, make)


def _document_counter(sessions: list[Session]):
    """``session_id -> number of required documents without a ready version`` (one query)."""
    rows = (
        Document.objects.filter(session__in=[s.pk for s in sessions], is_required=True)
        .filter(Q(is_ready=False) | Q(versions__isnull=True))
        .order_by()
        .values_list("session_id", "pk")
        .distinct()
    )
    counts = Counter(session_id for session_id, _pk in rows)
    return lambda session_id: counts.get(session_id, 0)


@sweep("sessions_not_closed", cadence=Cadence.HOURLY)
def sessions_not_closed(at: dt.datetime) -> int:
    sessions = list(
        Session.objects.filter(
            status__in=(*NOT_STARTED, Session.Status.IN_PROGRESS), scheduled_start__lte=at - CLOSE_WITHIN
        ).order_by("scheduled_start", "pk")
    )

    def make(session: Session):
        title = _("%(title)s of %(start)s is not closed yet") % {
            "title": session.title,
            "start": _when(session.scheduled_start),
        }
        body = _("Close the session with its minutes, or cancel it if it did not take place.")
        return f"session:{session.pk}:not_closed:{session.scheduled_start.isoformat()}", title, body

    return _send(sessions, make)
