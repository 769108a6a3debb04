"""Who receives reminders: the officials of a unit, the staff of a province (one query each, any number of ids)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model

from pilot_portal.accounts.models import Role


def unit_officials_by_unit(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """``{unit_id: [user_id, ...]}`` of the active unit officials of each unit."""
    result: dict[int, list[int]] = defaultdict(list)
    unit_ids = set(unit_ids)
    if not unit_ids:
        return result
    rows = (
        get_user_model()
        .objects.filter(role=Role.UNIT_OFFICIAL, unit_id__any=unit_ids, is_active=True)
        .order_by("pk")
        .values_list("unit_id", "pk")
    )
    for unit_id, user_id in rows:
        result[unit_id].append(user_id)
    return result


def province_staff_by_province(province_ids: Iterable[int]) -> dict[int, list[int]]:
    """``{province_id: [user_id, ...]}`` of the active province staff of each province."""
    result: dict[int, list[int]] = defaultdict(list)
    province_ids = set(province_ids)
    if not province_ids:
        return result
    rows = (
        get_user_model()
        .objects.filter(role=Role.PROVINCE_STAFF, province_id__any=province_ids, is_active=True)
        .order_by("pk")
        .values_list("province_id", "pk")
    )
    for province_id, user_id in rows:
        result[province_id].append(user_id)
    return result


def active_user_ids(user_ids: Iterable[int | None]) -> set[int]:
    ids = {pk for pk in user_ids if pk}
    if not ids:
        return set()
    return set(get_user_model().objects.filter(pk__any=ids, is_active=True).values_list("pk", flat=True))
