"""The only door to the other apps' data (see the cross-app contract): dossier and session figures per unit."""

from service_center.selectors import dossier_figures_by_unit
from sessions.selectors import session_figures_by_unit


def figures_by_unit(unit_ids: list[int]) -> tuple[dict[int, dict], dict[int, dict]]:
    """(dossier figures, session figures) for every unit id, in a constant number of queries."""
    return dossier_figures_by_unit(unit_ids=unit_ids), session_figures_by_unit(unit_ids=unit_ids)
