"""The only door to the other apps' data (see the cross-app contract): dossier and session figures per unit."""

import datetime as dt

from service_center.selectors import dossier_figures_by_unit
from sessions.selectors import first_sessions_closed_by_unit, session_figures_by_unit


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
