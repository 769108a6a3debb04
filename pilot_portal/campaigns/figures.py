"""The only door to the other apps' data (see the cross-app contract): dossier and session figures per unit."""

import datetime as dt

from service_center.selectors import dossier_figures_by_unit
from sessions.selectors import session_figures_by_unit


def figures_by_unit(
    unit_ids: list[int], *, until: dt.datetime | None = None
) -> tuple[dict[int, dict], dict[int, dict]]:
    """(dossier figures, session figures) for every unit id, in a constant number of queries; with ``until``, as
    they stood at that moment."""
    return (
        dossier_figures_by_unit(unit_ids=unit_ids, until=until),
        session_figures_by_unit(unit_ids=unit_ids, until=until),
    )
