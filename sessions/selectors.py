"""Reads of sessions, always starting from what the user may see (except the cross-app contract function, which
the campaign/dashboard code calls with unit ids it has already scoped, and the reads of one session's rows, which the
views call with a session or document they have already looked up in the user's scope)."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from pilot_portal.core.collation import Vietnamese
from units.models import Unit

from .config import adoption_share, quorum_share, session_budget_limit
from .models import AgendaItem, Comment, Document, DocumentVersion, Outcome, Participant, Session, SessionEvent, Speech


def _planned_minutes_subquery():
    return Coalesce(
        Subquery(
            AgendaItem.objects.filter(session=OuterRef("pk"))
            .order_by()
            .values("session")
            .annotate(total=Sum("planned_minutes"))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_planned_minutes(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.annotate(planned_minutes=_planned_minutes_subquery())


def session_list(
    *,
    user,
    kind: str = "",
    status: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    over_budget: bool = False,
    province_code: str = "",
    unit_code: str = "",
) -> QuerySet[Session]:
    sessions = with_planned_minutes(Session.objects.visible_to(user).select_related("unit", "unit__province"))
    if kind:
        sessions = sessions.filter(kind=kind)
    if status:
        sessions = sessions.filter(status=status)
    if date_from:
        sessions = sessions.filter(scheduled_start__date__gte=date_from)
    if date_to:
        sessions = sessions.filter(scheduled_start__date__lte=date_to)
    if province_code:
        sessions = sessions.filter(unit__province__code=province_code)
    if unit_code:
        sessions = sessions.filter(unit__code=unit_code)
    if over_budget:
        sessions = sessions.filter(planned_minutes__gt=F("budget_minutes"))
    return sessions.order_by("scheduled_start", "pk")


def sessions_visible_to(user) -> QuerySet[Session]:
    """The sessions ``user`` may see, with their unit and province (the pages' header)."""
    return Session.objects.visible_to(user).select_related("unit", "unit__province")


def sessions_editable_by(user) -> QuerySet[Session]:
    """The sessions ``user`` may change, with their unit and province."""
    return Session.objects.editable_by(user).select_related("unit", "unit__province")


def units_for_filter(*, user) -> QuerySet[Unit]:
    """Units that have sessions the user may see."""
    return (
        Unit.objects.filter(council_sessions__in=Session.objects.visible_to(user))
        .select_related("province")
        .distinct()
        .order_by("province__code", "name")
    )


@dataclass
class CalendarDay:
    date: dt.date
    in_month: bool
    sessions: list


def month_calendar(*, sessions: QuerySet[Session], year: int, month: int) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day with its sessions; one query."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day: dict[dt.date, list[Session]] = {}
    for session in sessions.filter(scheduled_start__date__gte=first, scheduled_start__date__lte=last):
        by_day.setdefault(timezone.localtime(session.scheduled_start).date(), []).append(session)
    return [[CalendarDay(d, d.month == month, by_day.get(d, [])) for d in week] for week in weeks]


def calendar_default_month(*, sessions: QuerySet[Session], today: dt.date) -> dt.date:
    """The first day of the month the calendar opens on without ``?month=``: the month of ``today``, unless none of
    ``sessions`` is scheduled from then on; then the month of the latest one (if any)."""
    month = today.replace(day=1)
    if not sessions.filter(scheduled_start__date__gte=month).exists():
        latest = sessions.order_by("-scheduled_start").first()
        if latest:
            month = timezone.localtime(latest.scheduled_start).date().replace(day=1)
    return month


def session_detail(*, user, pk: int) -> Session:
    """The session with everything its page shows; raises ``Session.DoesNotExist`` outside the user's scope."""
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    documents = Document.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by("pk")
    return (
        with_planned_minutes(Session.objects.visible_to(user))
        .select_related("unit", "unit__province", "created_by")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.prefetch_related("documents").order_by("order", "pk")),
            Prefetch("documents", queryset=documents),
            Prefetch("participants", queryset=Participant.objects.order_by("pk")),
            "outcomes",
            Prefetch("stream_viewers__unit"),
            Prefetch("comments", queryset=Comment.objects.select_related("author").order_by("created_at", "pk")),
            Prefetch("events", queryset=SessionEvent.objects.select_related("actor").order_by("at", "pk")),
        )
        .get(pk=pk)
    )


def session_for_documents(*, user, pk: int) -> Session:
    """The session with what its official documents show (unit, agenda items, participants, outcomes): a fixed
    number of queries whatever their number; raises ``Session.DoesNotExist`` outside the user's scope."""
    return (
        Session.objects.visible_to(user)
        .select_related("unit", "unit__province")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order", "pk")),
            Prefetch("participants", queryset=Participant.objects.order_by("pk")),
            Prefetch("outcomes", queryset=Outcome.objects.order_by("pk")),
            Prefetch(
                "agenda_items__speeches",
                queryset=Speech.objects.select_related("participant").order_by("started_at", "pk"),
            ),
        )
        .get(pk=pk)
    )


@dataclass
class AgendaRow:
    item: AgendaItem
    running_total: int
    estimated_end: dt.datetime

    @property
    def starts_at(self) -> dt.datetime:
        """When the item starts if every item before it keeps to its planned minutes."""
        return self.estimated_end - dt.timedelta(minutes=self.item.planned_minutes)


def agenda_rows(session: Session) -> list[AgendaRow]:
    """Agenda items with the running total of planned minutes and the estimated end time of each."""
    rows, total = [], 0
    for item in session.agenda_items.all():
        total += item.planned_minutes
        rows.append(AgendaRow(item, total, session.scheduled_start + dt.timedelta(minutes=total)))
    return rows


@dataclass
class Quorum:
    """Delegates (HĐND) or members (UBND) present against all of them; guests never count."""

    present: int
    members: int
    share: Fraction

    @property
    def needed(self) -> int:
        """Smallest number present that reaches the quorum (at least ``share`` of the members, and one)."""
        return max(1, math.ceil(self.share * self.members))

    @property
    def reached(self) -> bool:
        return self.members > 0 and self.present >= self.needed


def quorum_of(participants, *, kind: str) -> Quorum:
    members = [p for p in participants if p.is_member]
    present = sum(1 for p in members if p.attendance == Participant.Attendance.PRESENT)
    return Quorum(present=present, members=len(members), share=quorum_share(kind))


def votes_needed(*, members: int, kind: str) -> int:
    """Smallest number of votes for that adopts an outcome: more than ``adoption_share`` of all the members."""
    return math.floor(adoption_share(kind) * members) + 1


def agenda_items(session: Session) -> QuerySet[AgendaItem]:
    """The session's agenda items in programme order."""
    return AgendaItem.objects.filter(session=session).order_by("order", "pk")


def participants_of(session: Session) -> QuerySet[Participant]:
    return Participant.objects.filter(session=session).order_by("pk")


def invited_participants(session: Session) -> QuerySet[Participant]:
    """The invitation list: the invited delegates, members and guests, in the order they were added."""
    return Participant.objects.filter(session=session, is_invited=True).order_by("pk")


def stream_viewer_candidates(session: Session) -> QuerySet[Unit]:
    """The units that may have followed the session's stream: the other units of its province."""
    return (
        Unit.objects.filter(province_id=session.unit.province_id)
        .exclude(pk=session.unit_id)
        .order_by(Vietnamese("name"))
    )


def stream_viewer_unit_ids(session: Session) -> list[int]:
    return list(session.stream_viewers.values_list("unit_id", flat=True))


def document_versions_visible_to(user) -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.visible_to(user)


def document_versions(document: Document) -> list[DocumentVersion]:
    """The uploaded versions of ``document``, oldest first, with who uploaded them."""
    return list(DocumentVersion.objects.filter(document=document).select_related("uploaded_by").order_by("number"))


def linked_agenda_item_ids(document: Document) -> list[int]:
    return list(document.agenda_items.values_list("pk", flat=True))


def linked_agenda_items(document: Document) -> QuerySet[AgendaItem]:
    """The agenda items ``document`` is linked to, in programme order."""
    return document.agenda_items.order_by("order", "pk")


def publish_problems(session: Session) -> list[str]:
    """What blocks publishing (messages for the user); empty when the session may be published."""
    from django.utils.translation import gettext as _

    problems = []
    limit = session_budget_limit(unit=session.unit, scheduled_start=session.scheduled_start)
    if limit and session.budget_minutes > limit:
        problems.append(
            _("The time budget of %(budget)d minutes is over the province's limit of %(limit)d minutes.")
            % {"budget": session.budget_minutes, "limit": limit}
        )
    if not Participant.objects.filter(session=session, is_member=True).exists():
        problems.append(
            _("The participant list has no delegate or member (guests do not count): add them before publishing.")
        )
    planned = AgendaItem.objects.filter(session=session).aggregate(total=Sum("planned_minutes"))["total"] or 0
    if not planned:
        problems.append(_("The agenda is empty."))
    elif planned > session.budget_minutes:
        problems.append(
            _("The agenda takes %(planned)d minutes, more than the budget of %(budget)d minutes.")
            % {"planned": planned, "budget": session.budget_minutes}
        )
    missing = (
        Document.objects.filter(session=session, is_required=True)
        .annotate(version_count=Count("versions"))
        .filter(Q(version_count=0) | Q(is_ready=False))
        .order_by("pk")
    )
    for document in missing:
        problems.append(_("The required document “%(title)s” is missing or not ready.") % {"title": document.title})
    return problems


def session_figures_by_unit(*, unit_ids, until: dt.datetime | None = None) -> dict[int, dict]:
    """Cross-app contract (see the campaign/dashboard code): for every id in ``unit_ids``::

        {"first_hdnd_closed": bool, "first_ubnd_closed": bool,
         "sessions": [{"id", "kind", "title", "status", "is_rehearsal", "scheduled_start", "budget_minutes",
                       "planned_minutes", "actual_minutes", "overrun_minutes", "lessons_good", "lessons_fix"}]}

    Without ``until``: the sessions as they are now. With ``until`` (a moment, e.g. the end of a past day): as
    they stood then. A session counts as closed if it ended (``actual_end``) before ``until``; its status then is
    the last status change logged (``SessionEvent``) before ``until``; sessions created after it are left out;
    the actual duration and the lessons (written at closing) only show for sessions closed by then.

    One query whatever the number of units or sessions.
    """
    unit_ids = list(unit_ids)
    result: dict[int, dict] = {
        uid: {"first_hdnd_closed": False, "first_ubnd_closed": False, "sessions": []} for uid in unit_ids
    }
    if not unit_ids:
        return result
    sessions = with_planned_minutes(Session.objects.filter(unit_id__in=unit_ids))
    if until is not None:
        sessions = sessions.annotate(
            status_then=Subquery(
                SessionEvent.objects.filter(session=OuterRef("pk"), at__lt=until)
                .exclude(to_status="")
                .order_by("-at", "-pk")
                .values("to_status")[:1]
            )
        )
    fields = [
        "id",
        "unit_id",
        "kind",
        "number",
        "title",
        "status",
        "is_rehearsal",
        "scheduled_start",
        "budget_minutes",
        "planned_minutes",
        "actual_start",
        "actual_end",
        "lessons_good",
        "lessons_fix",
        "created_at",
    ]
    if until is not None:
        fields.append("status_then")
    for row in sessions.order_by("unit_id", "scheduled_start", "pk").values(*fields):
        if until is not None:
            status = _session_status_then(row, until)
            if status is None:
                continue
            row["status"] = status
            if status != Session.Status.CLOSED:
                row["actual_end"] = None
                row["lessons_good"] = row["lessons_fix"] = ""
        actual = None
        if row["actual_start"] and row["actual_end"]:
            actual = max(0, round((row["actual_end"] - row["actual_start"]).total_seconds() / 60))
        entry = result[row["unit_id"]]
        closed_first = row["status"] == Session.Status.CLOSED and row["number"] == 1 and not row["is_rehearsal"]
        if closed_first and row["kind"] == Session.Kind.HDND:
            entry["first_hdnd_closed"] = True
        if closed_first and row["kind"] == Session.Kind.UBND:
            entry["first_ubnd_closed"] = True
        entry["sessions"].append(
            {
                "id": row["id"],
                "kind": row["kind"],
                "title": row["title"],
                "status": row["status"],
                "is_rehearsal": row["is_rehearsal"],
                "scheduled_start": row["scheduled_start"],
                "budget_minutes": row["budget_minutes"],
                "planned_minutes": row["planned_minutes"],
                "actual_minutes": actual,
                "overrun_minutes": max(0, actual - row["budget_minutes"]) if actual is not None else 0,
                "lessons_good": row["lessons_good"],
                "lessons_fix": row["lessons_fix"],
            }
        )
    return result


def _session_status_then(row: dict, until: dt.datetime) -> str | None:
    """The status a session had at ``until`` (None: it did not exist yet), from its times and logged changes."""
    started = row["actual_start"] is not None and row["actual_start"] < until
    logged = row["status_then"]
    if row["created_at"] >= until and not started and logged is None:
        return None
    if row["status"] == Session.Status.CLOSED and (
        (row["actual_end"] is not None and row["actual_end"] < until)
        or (row["actual_end"] is None and logged == Session.Status.CLOSED)
    ):
        return Session.Status.CLOSED
    if logged is not None and logged != Session.Status.CLOSED:
        return logged
    if started:
        return Session.Status.IN_PROGRESS
    if logged is None and row["status"] not in (Session.Status.IN_PROGRESS, Session.Status.CLOSED):
        return row["status"]  # a row without history: its present status, nothing says otherwise
    return Session.Status.PUBLISHED


def sessions_over_budget(*, unit_ids, minutes: int) -> list[Session]:
    """Sessions of these units not yet held (draft or published) whose time budget exceeds ``minutes``: a
    province cannot lower its limit below them (the campaign's limit would no longer hold for them)."""
    return list(
        Session.objects.filter(
            unit_id__in=list(unit_ids),
            status__in=[Session.Status.DRAFT, Session.Status.PUBLISHED],
            budget_minutes__gt=minutes,
        )
        .select_related("unit")
        .order_by("scheduled_start", "id")
    )
