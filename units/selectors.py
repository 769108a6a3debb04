"""Reads of the registry, always starting from what the user may see."""

from django.db.models import Count, Prefetch, QuerySet

from pilot_portal.core.collation import Vietnamese
from pilot_portal.core.text import Fold, fold

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


#: At most this many units found by a predecessor's name are listed (a common name such as "Tân Dân" was borne
#: by a few dozen communes before 2025).
PREDECESSOR_MATCHES_LIMIT = 50


def predecessor_matches(*, user, query: str, province_code: str = "", kind: str = "") -> QuerySet[Succession]:
    """The successions whose predecessor's name matches every word of ``query`` (with or without diacritics),
    to units the user may see (filtered like :func:`unit_list`): "tan dan" leads to Phường Lê Đại Hành, which
    took over phường Tân Dân of Chí Linh. The predecessors' names are folded by the database (about 10,000 rows;
    no column of their own)."""
    words = fold(query).split()
    if not words:
        return Succession.objects.none()
    successions = Succession.objects.filter(unit__in=Unit.objects.visible_to(user)).alias(
        legacy_folded=Fold("legacy_unit__name")
    )
    for word in words:
        successions = successions.filter(legacy_folded__contains=word)
    if province_code:
        successions = successions.filter(unit__province__code=province_code)
    if kind:
        successions = successions.filter(unit__kind=kind)
    return successions.select_related("unit__province", "legacy_unit").order_by(
        "unit__province__code", Vietnamese("unit__name"), "legacy_unit__district_name"
    )


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
