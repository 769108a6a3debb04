"""The indicators of Decision 766/QĐ-TTg that the service centre's data allows, per unit and in total.

Each indicator is a ratio that the pages write out with its formula: numerator / denominator, both counts, and
the rate. A denominator of 0 gives no rate (``None``, shown "—", không có dữ liệu), never a division error.

- on-time rate: dossiers finished (done or returned) early or on time / dossiers finished, in the period (the
  06a columns: a finish is judged by its date against the due date);
- online rate: dossiers received online / dossiers received, in the period;
- dossier digitization: dossiers received in the period whose papers were digitized at reception (the flag set at
  intake) / dossiers received in the period;
- result digitization: results returned in the period that were digitized (the flag set with the return) /
  results returned in the period;
- satisfaction: ratings "rất hài lòng" or "hài lòng" / all ratings, in the period.

The counts come from one aggregate query whatever the number of units, plus the read of the ratings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pilot_portal.core.collation import Vietnamese

from .models import FINISHED_STATUSES, Channel, Dossier, DossierRating, Status


@dataclass(frozen=True)
class Indicator:
    """One indicator of the index: what it measures and its formula in words."""

    key: str
    name: str | Promise
    numerator: str | Promise
    denominator: str | Promise


INDICATORS = (
    Indicator(
        "on_time",
        _("On-time rate"),
        _("dossiers finished early or on time"),
        _("dossiers finished"),
    ),
    Indicator(
        "online",
        _("Online rate"),
        _("dossiers received online"),
        _("dossiers received"),
    ),
    Indicator(
        "papers_digitized",
        _("Dossier digitization rate"),
        _("dossiers whose papers were digitized at reception"),
        _("dossiers received"),
    ),
    Indicator(
        "results_digitized",
        _("Result digitization rate"),
        _("results digitized when returned"),
        _("results returned"),
    ),
    Indicator(
        "satisfaction",
        _("Satisfaction rate"),
        _("ratings “very satisfied” or “satisfied”"),
        _("ratings"),
    ),
)


@dataclass(frozen=True)
class Ratio:
    indicator: Indicator
    numerator: int
    denominator: int
    #: False while the data the indicator needs is not recorded at all (shown "chưa có dữ liệu").
    available: bool = True

    @property
    def rate(self) -> float | None:
        """Per cent with one decimal; None without data (a denominator of 0), never a division error."""
        if not self.available or not self.denominator:
            return None
        return round(100.0 * self.numerator / self.denominator, 1)


@dataclass(frozen=True)
class SatisfactionCounts:
    """Ratings of the citizens on the three levels of Decision 766."""

    very_satisfied: int = 0
    satisfied: int = 0
    dissatisfied: int = 0
    #: False where no rating can be known (the indicator then reads "chưa có dữ liệu"); the portal records them.
    available: bool = True

    @property
    def total(self) -> int:
        return self.very_satisfied + self.satisfied + self.dissatisfied

    def __add__(self, other: SatisfactionCounts) -> SatisfactionCounts:
        return SatisfactionCounts(
            very_satisfied=self.very_satisfied + other.very_satisfied,
            satisfied=self.satisfied + other.satisfied,
            dissatisfied=self.dissatisfied + other.dissatisfied,
            available=self.available or other.available,
        )


def satisfaction_counts(
    *, unit_ids, begin: dt.datetime | None = None, finish: dt.datetime | None = None
) -> dict[int, SatisfactionCounts]:
    """The citizens' ratings (``DossierRating``) given in [begin, finish) per unit, in one query; a unit without a
    rating has zero of each (the rate then reads "—": no denominator)."""
    unit_ids = list(unit_ids)
    result = {unit_id: SatisfactionCounts(available=True) for unit_id in unit_ids}
    if not unit_ids:
        return result
    ratings = DossierRating.objects.filter(dossier__unit_id__in=unit_ids)
    if begin is not None:
        ratings = ratings.filter(rated_at__gte=begin)
    if finish is not None:
        ratings = ratings.filter(rated_at__lt=finish)
    Level = DossierRating.Level
    rows = (
        ratings.values("dossier__unit_id")
        .annotate(
            very_satisfied=Count("id", filter=Q(level=Level.VERY_SATISFIED)),
            satisfied=Count("id", filter=Q(level=Level.SATISFIED)),
            dissatisfied=Count("id", filter=Q(level=Level.UNSATISFIED)),
        )
        .order_by()
    )
    for row in rows:
        unit_id = row.pop("dossier__unit_id")
        result[unit_id] = SatisfactionCounts(**row, available=True)
    return result


@dataclass
class IndicatorCounts:
    finished: int = 0
    finished_in_time: int = 0
    received: int = 0
    online: int = 0
    papers_digitized: int = 0
    returned: int = 0
    results_digitized: int = 0
    satisfaction: SatisfactionCounts = field(default_factory=SatisfactionCounts)

    def __add__(self, other: IndicatorCounts) -> IndicatorCounts:
        return IndicatorCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)},
        )

    @property
    def ratios(self) -> list[Ratio]:
        on_time, online, papers, results, satisfaction = INDICATORS
        happy = self.satisfaction.very_satisfied + self.satisfaction.satisfied
        return [
            Ratio(on_time, self.finished_in_time, self.finished),
            Ratio(online, self.online, self.received),
            Ratio(papers, self.papers_digitized, self.received),
            Ratio(results, self.results_digitized, self.returned),
            Ratio(satisfaction, happy, self.satisfaction.total, available=self.satisfaction.available),
        ]


_COUNTED = ("finished", "finished_in_time", "received", "online", "papers_digitized", "returned", "results_digitized")


def _within(lookup: str, begin: dt.datetime | None, finish: dt.datetime | None) -> Q:
    q = Q()
    if begin is not None:
        q &= Q(**{f"{lookup}__gte": begin})
    if finish is not None:
        q &= Q(**{f"{lookup}__lt": finish})
    return q


def _aggregate(dossiers: QuerySet[Dossier], begin, finish):
    """Rows (unit_id, unit__name, the counts) of ``dossiers`` for [begin, finish) (None: unbounded), one query."""
    received = _within("received_at", begin, finish)
    finished = Q(status__in=FINISHED_STATUSES) & _within("closed_at", begin, finish)
    returned = Q(status=Status.RETURNED) & _within("returned_then", begin, finish)
    return (
        dossiers.alias(returned_then=Coalesce("returned_at", "closed_at"))
        .values("unit_id", "unit__name")
        .annotate(
            finished=Count("id", filter=finished),
            finished_in_time=Count("id", filter=finished & Q(closed_at__date__lte=F("due_at__date"))),
            received=Count("id", filter=received),
            online=Count("id", filter=received & Q(channel=Channel.ONLINE)),
            papers_digitized=Count("id", filter=received & Q(papers_digitized=True)),
            returned=Count("id", filter=returned),
            results_digitized=Count("id", filter=returned & Q(result_digitized=True)),
        )
        .order_by(Vietnamese("unit__name"))
    )


def indicators_by_unit(*, unit_ids, until: dt.datetime | None = None) -> dict[int, IndicatorCounts]:
    """The counts of every unit in ``unit_ids`` (zeros for a unit without dossiers), over all its dossiers up to
    ``until`` (a moment; None: as they are now). For the campaign's review report."""
    unit_ids = list(unit_ids)
    result = {unit_id: IndicatorCounts() for unit_id in unit_ids}
    if not unit_ids:
        return result
    for row in _aggregate(Dossier.objects.filter(unit_id__in=unit_ids), None, until):
        result[row["unit_id"]] = IndicatorCounts(**{name: row[name] for name in _COUNTED})
    for unit_id, satisfaction in satisfaction_counts(unit_ids=unit_ids, finish=until).items():
        result[unit_id].satisfaction = satisfaction
    return result


@dataclass
class IndicatorRow:
    unit_id: int
    unit_name: str
    counts: IndicatorCounts

    @property
    def ratios(self) -> list[Ratio]:
        return self.counts.ratios


def indicators_of_period(*, dossiers: QuerySet[Dossier], begin: dt.datetime, finish: dt.datetime) -> list[IndicatorRow]:
    """One row per unit of ``dossiers`` (already scoped to the user) with something to count in [begin, finish),
    in Vietnamese order of the unit names. For the statistics page."""
    return _with_satisfaction(
        [
            IndicatorRow(row["unit_id"], row["unit__name"], IndicatorCounts(**{name: row[name] for name in _COUNTED}))
            for row in _aggregate(dossiers.filter(received_at__lt=finish), begin, finish)
        ],
        begin,
        finish,
    )


def indicator_rows_of(counts: list[dict], *, begin: dt.datetime, finish: dt.datetime) -> list[IndicatorRow]:
    """``indicators_of_period`` from the counts per unit that ``selectors.unit_period_counts_of`` read in the same
    pass as the 06a columns (only the ratings are read here)."""
    return _with_satisfaction(
        [
            IndicatorRow(row["unit_id"], row["unit_name"], IndicatorCounts(**{name: row[name] for name in _COUNTED}))
            for row in counts
        ],
        begin,
        finish,
    )


def _with_satisfaction(rows: list[IndicatorRow], begin, finish) -> list[IndicatorRow]:
    satisfaction = satisfaction_counts(unit_ids=[r.unit_id for r in rows], begin=begin, finish=finish)
    kept = []
    for row in rows:
        row.counts.satisfaction = satisfaction[row.unit_id]
        counts = row.counts
        if counts.finished or counts.received or counts.returned or counts.satisfaction.total:
            kept.append(row)
    return kept


def indicators_total(rows: list[IndicatorRow]) -> IndicatorCounts:
    total = IndicatorCounts()
    for row in rows:
        total = total + row.counts
    return total
