"""Reads of the registry, always starting from what the user may see."""

from django.db.models import Count, Prefetch, QuerySet

from pilot_portal.core.collation import Vietnamese

from .models import Province, Succession, Unit


def unit_list(*, user, query: str = "", province_code: str = "", kind: str = "") -> QuerySet[Unit]:
    units = Unit.objects.visible_to(user).select_related("province")
    if query:
        units = units.search(query)
    if province_code:
        units = units.filter(province__code=province_code)
    if kind:
        units = units.filter(kind=kind)
    return units.annotate(predecessor_count=Count("successions")).order_by("province__code", Vietnamese("name"))


def provinces_for_filter(*, user) -> QuerySet[Province]:
    return Province.objects.filter(units__in=Unit.objects.visible_to(user)).distinct().order_by(Vietnamese("name"))


def unit_detail(*, user, code: str) -> Unit:
    """The unit with its predecessors; raises ``Unit.DoesNotExist`` when the user may not see it."""
    successions = Succession.objects.select_related("legacy_unit").order_by(
        "legacy_unit__province_code", "legacy_unit__district_code", "legacy_unit__code"
    )
    return (
        Unit.objects.visible_to(user)
        .select_related("province", "headquarters")
        .prefetch_related(Prefetch("successions", queryset=successions))
        .get(code=code)
    )
