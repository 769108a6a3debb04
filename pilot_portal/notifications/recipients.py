"""Who receives reminders: the officials of a unit, the staff of a province (one query each, any number of ids)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model

from pilot_portal.accounts.models import Role


def _active_by(role: str, field: str, ids: Iterable[int]) -> dict[int, list[int]]:
    """``{id: [user_id, ...]}`` of the active users of ``role`` whose ``field`` is one of ``ids`` (one query)."""
    result: dict[int, list[int]] = defaultdict(list)
    ids = set(ids)
    if not ids:
        return result
    rows = (
        get_user_model()
        .objects.filter(role=role, is_active=True, **{f"{field}__any": ids})
        .order_by("pk")
        .values_list(field, "pk")
    )
    for key, user_id in rows:
        result[key].append(user_id)
    return result


def unit_officials_by_unit(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """``{unit_id: [user_id, ...]}`` of the active unit officials of each unit."""
    return _active_by(Role.UNIT_OFFICIAL, "unit_id", unit_ids)


def province_staff_by_province(province_ids: Iterable[int]) -> dict[int, list[int]]:
    """``{province_id: [user_id, ...]}`` of the active province staff of each province."""
    return _active_by(Role.PROVINCE_STAFF, "province_id", province_ids)


def active_user_ids(user_ids: Iterable[int | None]) -> set[int]:
    ids = {pk for pk in user_ids if pk}
    if not ids:
        return set()
    return set(get_user_model().objects.filter(pk__any=ids, is_active=True).values_list("pk", flat=True))
