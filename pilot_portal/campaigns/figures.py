"""The only door to the other apps' data (see the cross-app contract): dossier and session figures per unit, and the
Decision 766 indicators of the service centre."""

import datetime as dt

from service_center.indicators import IndicatorCounts, IndicatorRow, indicators_by_unit, indicators_total
from service_center.selectors import dossier_figures_by_unit
from sessions.selectors import first_sessions_closed_by_unit, session_figures_by_unit

__all__ = ["IndicatorCounts", "IndicatorRow", "figures_by_unit", "indicators_total", "service_indicators"]


def figures_by_unit(
    unit_ids: list[int], *, until: dt.datetime | None = None
) -> tuple[dict[int, dict], dict[int, dict]]:
    """(dossier figures, session figures) for every unit id, in a constant number of queries; with ``until``, as
    they stood at that moment."""
    return (
        dossier_figures_by_unit(unit_ids=unit_ids, until=until),
        session_figures_by_unit(unit_ids=unit_ids, until=until),
    )


def figures_for_overview(
    unit_ids: list[int], *, until: dt.datetime | None = None
) -> tuple[dict[int, dict], dict[int, dict]]:
    """The same, with only the session flags (first HĐND session and first UBND meeting closed): what a page over
    thousands of units needs, without every session's row."""
    return (
        dossier_figures_by_unit(unit_ids=unit_ids, until=until),
        first_sessions_closed_by_unit(unit_ids=unit_ids, until=until),
    )


def service_indicators(unit_ids: list[int], *, until: dt.datetime | None = None) -> dict[int, IndicatorCounts]:
    """The counts behind the Decision 766 indicators of every unit id (all its dossiers up to ``until``, or now), in
    a constant number of queries."""
    return indicators_by_unit(unit_ids=unit_ids, until=until)
