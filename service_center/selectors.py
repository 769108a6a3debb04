"""Reads of the service centre: queues, search, statistics (06a) and the figures other apps read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from pilot_portal.core.collation import Vietnamese
from pilot_portal.core.text import fold

from .models import FINISHED_STATUSES, OPEN_STATUSES, Channel, Dossier, DossierEvent, DossierRating, Status
from .period_counts import unit_period_counts


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def dossier_figures_by_unit(*, unit_ids, until: dt.datetime | None = None) -> dict[int, dict]:
    """Figures per unit for the campaign dashboards, in one query.

    Without ``until``: the dossiers as they are now. With ``until`` (a moment, e.g. the end of a past day): every
    figure as it stood then — received before ``until``; returned / finished (and late) if closed before it; open
    if received before it and not closed by then; overdue if open then, due before ``until`` (the due date before
    an apology sent after ``until``) and not awaiting a supplement then (the status then comes from the dossier's
    history). ``overdue`` leaves out dossiers awaiting a supplement: their clock is stopped (as in the 06a report).
    A dossier of the district backlog counts from the day it was handed over to the unit.
    """
    unit_ids = list(unit_ids)
    result = {
        uid: {
            "received": 0,
            "returned": 0,
            "test_returned": 0,
            "open": 0,
            "overdue": 0,
            "finished": 0,
            "finished_late": 0,
            "on_time_rate": None,
        }
        for uid in unit_ids
    }
    if not unit_ids:
        return result
    dossiers = Dossier.objects.filter(unit_id__in=unit_ids)
    if until is None:
        received = Q()
        finished = Q(status__in=FINISHED_STATUSES)
        returned = Q(status=Status.RETURNED)
        is_open = Q(status__in=OPEN_STATUSES)
        overdue = is_open & ~Q(status=Status.SUPPLEMENT) & Q(due_at__lt=timezone.now())
    else:
        status_then = Subquery(
            DossierEvent.objects.filter(dossier=OuterRef("pk"), at__lt=until)
            .exclude(to_status="")
            .order_by("-at", "-id")
            .values("to_status")[:1]
        )
        dossiers = dossiers.alias(
            # Dossiers without any history (imported rows) keep their present status.
            status_then=Coalesce(status_then, F("status")),
            due_then=Case(
                When(apologized_at__gte=until, original_due_at__isnull=False, then=F("original_due_at")),
                default=F("due_at"),
            ),
            returned_then=Coalesce("returned_at", "closed_at"),
        )
        # A dossier of the abolished district's backlog is the unit's from the day it was handed over (its own
        # receipt time is the district's).
        received = Q(received_at__lt=until) & (
            Q(backlog__isnull=True) | Q(backlog__handed_over_on__lt=timezone.localdate(until))
        )
        closed_then = Q(closed_at__lt=until)
        finished = Q(status__in=FINISHED_STATUSES) & closed_then
        returned = Q(status=Status.RETURNED) & Q(returned_then__lt=until)
        is_open = received & (Q(closed_at__isnull=True) | Q(closed_at__gte=until))
        overdue = is_open & ~Q(status_then=Status.SUPPLEMENT) & Q(due_then__lt=until)
    late = finished & Q(closed_at__date__gt=F("due_at__date"))
    rows = (
        dossiers.values("unit_id")
        .annotate(
            received=Count("id", filter=received),
            returned=Count("id", filter=returned),
            test_returned=Count("id", filter=returned & Q(is_test=True)),
            open=Count("id", filter=is_open),
            overdue=Count("id", filter=overdue),
            finished=Count("id", filter=finished),
            finished_late=Count("id", filter=late),
        )
        .order_by()
    )
    for row in rows:
        figures = result[row.pop("unit_id")]
        figures.update(row)
        figures["on_time_rate"] = _pct(row["finished"] - row["finished_late"], row["finished"])
    return result


# --- Clerk screens -------------------------------------------------------------------------------------------

QUEUES = ("today", "overdue", "supplement", "mine", "open", "all")


def dossier_queue(*, user, queue: str = "open", query: str = "", now: dt.datetime | None = None) -> QuerySet[Dossier]:
    now = now or timezone.now()
    qs = Dossier.objects.visible_to(user).select_related("procedure", "unit", "assigned_to")
    if query:
        qs = dossier_search(qs, query)
    elif queue == "today":
        end_of_today = timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=999999)
        qs = qs.open().filter(due_at__gte=now, due_at__lte=end_of_today)
    elif queue == "overdue":
        qs = qs.open().exclude(status=Status.SUPPLEMENT).filter(due_at__lt=now)
    elif queue == "supplement":
        qs = qs.filter(status=Status.SUPPLEMENT)
    elif queue == "mine":
        qs = qs.open().filter(assigned_to=user)
    elif queue == "open":
        qs = qs.open()
    if queue == "all" or query:
        return qs.order_by("-received_at", "-id")
    return qs.order_by("due_at", "id")


def dossier_search(qs: QuerySet[Dossier], query: str) -> QuerySet[Dossier]:
    query = query.strip()
    if query.isdigit() and len(query) >= 9:
        return qs.filter(applicant_id_number__startswith=query)
    if "-" in query and any(ch.isdigit() for ch in query):
        return qs.filter(code__icontains=query)
    words = fold(query).split()
    if not words:
        return qs
    # Every word, with or without diacritics and in any order: "le thi hoa", "Hoa Lê" and "Lê Thị" all find
    # "Lê Thị Hoa".
    by_name = Q()
    for word in words:
        by_name &= Q(applicant_search__contains=word)
    return qs.filter(by_name | Q(code__icontains=query))


def dossier_detail(*, user, code: str) -> Dossier:
    """Raises ``Dossier.DoesNotExist`` when the user may not see it."""
    return (
        Dossier.objects.visible_to(user)
        .select_related("procedure", "unit__province", "assigned_to", "received_by", "backlog", "rating")
        .get(code=code)
    )


def dossier_timeline(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor").order_by("at", "id")


def supplement_items(dossier: Dossier) -> list[str]:
    """The papers the citizen must still bring, while the dossier awaits a supplement (names only, no personal
    data: the public lookup and the citizen's notices show them); empty otherwise."""
    if dossier.status != Status.SUPPLEMENT:
        return []
    return [str(name) for name in dossier.supplement_papers] or _supplement_note_lines(dossier)


# --- Statistics (form 06a) -----------------------------------------------------------------------------------


@dataclass
class PeriodFigures:
    """One row of 06a: a unit, a field (lĩnh vực) or a procedure (``label``; ``code`` and ``field`` for a
    procedure), or the total."""

    unit_id: int = 0
    unit_name: str = ""
    label: str = ""
    code: str = ""
    field: str = ""
    carried_over: int = 0
    received_new: int = 0
    direct: int = 0
    online: int = 0
    post: int = 0
    finished_early: int = 0
    finished_on_time: int = 0
    finished_late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0
    refused: int = 0
    withdrawn: int = 0
    stopped: int = 0

    @property
    def received(self) -> int:
        return self.carried_over + self.received_new

    @property
    def finished(self) -> int:
        return self.finished_early + self.finished_on_time + self.finished_late

    @property
    def still_open(self) -> int:
        return self.open_in_time + self.open_overdue

    @property
    def closed_without_result(self) -> int:
        return self.refused + self.withdrawn + self.stopped

    @property
    def reconciles(self) -> bool:
        """Received (carried over + new) = finished + still open + closed without a result."""
        return self.received == self.finished + self.still_open + self.closed_without_result

    @property
    def on_time_rate(self) -> float | None:
        return _pct(self.finished_early + self.finished_on_time, self.finished)

    @property
    def online_rate(self) -> float | None:
        return _pct(self.online, self.received_new)


STAT_FIELDS = (
    "carried_over",
    "received_new",
    "direct",
    "online",
    "post",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "open_in_time",
    "open_overdue",
    "refused",
    "withdrawn",
    "stopped",
)


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


#: The groupings of 06a, each with the same columns and a total that is the same whatever the grouping.
GROUPINGS = ("unit", "field", "procedure")


def _grouping(group_by: str) -> tuple[tuple[str, ...], list]:
    """The columns a grouping aggregates by, and its order (Vietnamese alphabetical)."""
    if group_by == "field":
        return ("procedure__field",), [Vietnamese("procedure__field")]
    if group_by == "procedure":
        return (
            ("procedure_id", "procedure__code", "procedure__name", "procedure__field"),
            [Vietnamese("procedure__field"), Vietnamese("procedure__name"), "procedure__code"],
        )
    return ("unit_id", "unit__name"), [Vietnamese("unit__name")]


def _row_of(group_by: str, row: dict) -> PeriodFigures:
    if group_by == "field":
        return PeriodFigures(label=row["procedure__field"], field=row["procedure__field"])
    if group_by == "procedure":
        return PeriodFigures(label=row["procedure__name"], code=row["procedure__code"], field=row["procedure__field"])
    return PeriodFigures(unit_id=row["unit_id"], unit_name=row["unit__name"], label=row["unit__name"])


def dossier_statistics(
    *, user, start: dt.date, end: dt.date, unit_id: int | None = None, group_by: str = "unit"
) -> list[PeriodFigures]:
    """06a figures per unit (``group_by="unit"``), per field (``"field"``) or per procedure (``"procedure"``) for
    the period [start, end] (dates inclusive), in one aggregate query whatever the number of rows.

    Finished = done or returned, judged by the date finished against the due date; open at the end of the
    period = received by then and not closed by then, overdue when due before the end (awaiting supplement
    counts as in time). Refused, withdrawn and stopped dossiers closed in the period are counted each, so that every
    row reconciles: received (carried over + new) = finished + still open + closed without a result.
    """
    if group_by == "unit":
        return unit_statistics(unit_period_counts_of(user=user, start=start, end=end, unit_id=unit_id))
    begin, finish = period_bounds(start, end)
    qs = _scoped(user, unit_id).filter(received_at__lt=finish)
    new = Q(received_at__gte=begin)
    carried = Q(received_at__lt=begin) & (Q(closed_at__isnull=True) | Q(closed_at__gte=begin))
    finished_in_period = Q(status__in=FINISHED_STATUSES, closed_at__gte=begin, closed_at__lt=finish)
    open_at_end = Q(closed_at__isnull=True) | Q(closed_at__gte=finish)
    closed_in_period = Q(closed_at__gte=begin, closed_at__lt=finish)
    overdue = open_at_end & Q(due_at__lt=min(finish, timezone.now())) & ~Q(status=Status.SUPPLEMENT)
    group_fields, order = _grouping(group_by)
    rows = (
        qs.values(*group_fields)
        .annotate(
            carried_over=Count("id", filter=carried),
            received_new=Count("id", filter=new),
            direct=Count("id", filter=new & Q(channel=Channel.DIRECT)),
            online=Count("id", filter=new & Q(channel=Channel.ONLINE)),
            post=Count("id", filter=new & Q(channel=Channel.POST)),
            finished_early=Count("id", filter=finished_in_period & Q(closed_at__date__lt=F("due_at__date"))),
            finished_on_time=Count("id", filter=finished_in_period & Q(closed_at__date=F("due_at__date"))),
            finished_late=Count("id", filter=finished_in_period & Q(closed_at__date__gt=F("due_at__date"))),
            open_in_time=Count("id", filter=open_at_end & ~overdue),
            open_overdue=Count("id", filter=overdue),
            refused=Count("id", filter=closed_in_period & Q(status=Status.REFUSED)),
            withdrawn=Count("id", filter=closed_in_period & Q(status=Status.WITHDRAWN)),
            stopped=Count("id", filter=closed_in_period & Q(status=Status.STOPPED)),
        )
        .order_by(*order)
    )
    figures = []
    for row in rows:
        item = _row_of(group_by, row)
        for name in STAT_FIELDS:
            setattr(item, name, row[name])
        if item.received or item.finished or item.still_open or item.closed_without_result:
            figures.append(item)
    return figures


def _scoped(user, unit_id: int | None) -> QuerySet[Dossier]:
    qs = Dossier.objects.visible_to(user)
    return qs.filter(unit_id=unit_id) if unit_id else qs


def unit_period_counts_of(*, user, start: dt.date, end: dt.date, unit_id: int | None = None) -> list[dict]:
    """The 06a columns and the indicators' counts of every unit the user sees (or of ``unit_id``) for [start, end],
    in one pass (``period_counts.unit_period_counts``)."""
    begin, finish = period_bounds(start, end)
    return unit_period_counts(
        _scoped(user, unit_id), begin=begin, finish=finish, overdue_before=min(finish, timezone.now())
    )


def unit_statistics(counts: list[dict]) -> list[PeriodFigures]:
    """The 06a rows by unit of ``unit_period_counts_of``'s counts (units with nothing to show left out)."""
    figures = []
    for row in counts:
        item = PeriodFigures(unit_id=row["unit_id"], unit_name=row["unit_name"], label=row["unit_name"])
        for name in STAT_FIELDS:
            setattr(item, name, row[name])
        if item.received or item.finished or item.still_open or item.closed_without_result:
            figures.append(item)
    return figures


def statistics_total(rows: list[PeriodFigures]) -> PeriodFigures:
    total = PeriodFigures(unit_id=0)
    for row in rows:
        for name in STAT_FIELDS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


# --- The citizen ---------------------------------------------------------------------------------------------


def _supplement_note_lines(dossier: Dossier) -> list[str]:
    """What the citizen must supplement when the clerk ticked no paper: the note of the last supplement request,
    one item per line. Reads the dossier's prefetched events when it has them."""
    events = getattr(dossier, "_prefetched_objects_cache", {}).get("events")
    if events is None:
        events = dossier.events.filter(kind=DossierEvent.Kind.TRANSITION, to_status=Status.SUPPLEMENT).order_by(
            "at", "id"
        )
    requests = [e for e in events if e.kind == DossierEvent.Kind.TRANSITION and e.to_status == Status.SUPPLEMENT]
    if not requests:
        return []
    return [line.strip(" -•\t") for line in requests[-1].note.splitlines() if line.strip(" -•\t")]


SATISFACTION_LEVELS = {
    DossierRating.Level.VERY_SATISFIED: "very_satisfied",
    DossierRating.Level.SATISFIED: "satisfied",
    DossierRating.Level.UNSATISFIED: "unsatisfied",
}


def satisfaction_figures(*, unit_ids, period: tuple[dt.date, dt.date]) -> dict[int, dict[str, int]]:
    """Ratings per unit and level (Decision 766: rất hài lòng / hài lòng / không hài lòng) given in ``period``
    (first and last day, inclusive, local time), in one query: ``{unit_id: {"very_satisfied": n, "satisfied": n,
    "unsatisfied": n, "total": n}}``, every unit asked for included."""
    unit_ids = list(unit_ids)
    result = {uid: dict.fromkeys((*SATISFACTION_LEVELS.values(), "total"), 0) for uid in unit_ids}
    if not unit_ids:
        return result
    begin, finish = period_bounds(*period)
    rows = (
        DossierRating.objects.filter(dossier__unit_id__in=unit_ids, rated_at__gte=begin, rated_at__lt=finish)
        .values("dossier__unit_id")
        .annotate(**{name: Count("id", filter=Q(level=level)) for level, name in SATISFACTION_LEVELS.items()})
        .order_by()
    )
    for row in rows:
        figures = result[row.pop("dossier__unit_id")]
        figures.update(row)
        figures["total"] = sum(row.values())
    return result
