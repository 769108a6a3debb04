"""The registry: provinces, units with their predecessors, search with or without diacritics."""

from __future__ import annotations

from typing import Literal

from django.db.models import Prefetch, Q
from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from pilot_portal.core.collation import Vietnamese
from pilot_portal.core.text import Fold, fold
from units import selectors
from units.models import LegacyUnit, Province, Succession, Unit

from ..auth import user_of
from ..schemas import READ_ERRORS, Text

router = Router(tags=["registry"])


class ProvinceOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str


class ProvinceRef(Schema):
    code: str
    name: str


class PredecessorOut(Schema):
    code: str = Field(description="GSO code of the pre-2025 unit (empty for a few district-level rows).")
    name: str
    district_name: str
    province_name: str
    is_whole: bool = Field(description="False when the predecessor was split between several new units.")


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    province: ProvinceRef
    agency_code: str
    headquarters_address: str
    predecessors: list[PredecessorOut]

    @staticmethod
    def resolve_predecessors(unit) -> list[dict]:
        return [
            {
                "code": s.legacy_unit.code,
                "name": s.legacy_unit.name,
                "district_name": s.legacy_unit.district_name,
                "province_name": s.legacy_unit.province_name,
                "is_whole": s.is_whole,
            }
            for s in unit.successions.all()
        ]


class UnitPage(Schema):
    items: list[UnitOut]
    next_offset: int | None


class UnitFilters(Schema):
    q: Text(100) = Field("", description="Words of the name, or of a predecessor's name, with or without diacritics.")
    province: Text(2) = Field("", description="GSO code of the province.")
    kind: Literal["", "xa", "phuong", "dac_khu"] = ""
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


def _successions():
    return Succession.objects.select_related("legacy_unit").order_by(
        "legacy_unit__province_code", "legacy_unit__district_code", "legacy_unit__code"
    )


def units_by_predecessor_name(query: str):
    """Units one of whose predecessors' names holds every word of ``query`` (folded, as the unit search)."""
    legacy = LegacyUnit.objects.annotate(folded=Fold("name"))
    for word in fold(query).split():
        legacy = legacy.filter(folded__contains=word)
    return Succession.objects.filter(legacy_unit__in=legacy.values("pk")).values("unit_id")


@router.get("/provinces", response={200: list[ProvinceOut], **READ_ERRORS}, summary="Provinces")
def provinces(request):
    user = user_of(request)
    return list(Province.objects.visible_to(user).order_by(Vietnamese("name")))


@router.get("/units", response={200: UnitPage, **READ_ERRORS}, summary="Units, with search")
def units(request, filters: Query[UnitFilters]):
    user = user_of(request)
    qs = selectors.unit_list(user=user, province_code=filters.province, kind=filters.kind)
    if fold(filters.q):
        qs = qs.filter(
            Q(pk__in=Unit.objects.search(filters.q).values("pk")) | Q(pk__in=units_by_predecessor_name(filters.q))
        )
    qs = qs.prefetch_related(Prefetch("successions", queryset=_successions()))
    rows = list(qs[filters.offset : filters.offset + filters.limit + 1])
    more = len(rows) > filters.limit
    return {"items": rows[: filters.limit], "next_offset": filters.offset + filters.limit if more else None}


@router.get("/units/{code}", response={200: UnitOut, **READ_ERRORS}, summary="One unit with its predecessors")
def unit(request, code: Text(5)):
    user = user_of(request)
    try:
        return selectors.unit_detail(user=user, code=code)
    except Unit.DoesNotExist:
        raise Http404 from None
