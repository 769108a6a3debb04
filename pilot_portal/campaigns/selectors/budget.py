"""The campaign's session time limit, read by the sessions app through ``SESSIONS_BUDGET_RESOLVER``."""

from __future__ import annotations

from ..models import Campaign


def session_budget_minutes(*, unit, scheduled_start=None) -> int | None:
    """The time limit (minutes) the province set on its campaign for the sessions of its units; ``None`` for a
    unit whose province runs no campaign (the sessions app then uses its own default)."""
    return (
        Campaign.objects.filter(province_id=unit.province_id).values_list("session_budget_minutes", flat=True).first()
    )
