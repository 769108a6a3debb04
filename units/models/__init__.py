"""Models of the units app: the national registry (provinces, new units, pre-2025 units and successions)."""

from .registry import LegacyUnit, Province, ProvinceQuerySet, Succession, Unit, UnitDirectoryChange, UnitQuerySet

__all__ = [
    "LegacyUnit",
    "Province",
    "ProvinceQuerySet",
    "Succession",
    "Unit",
    "UnitDirectoryChange",
    "UnitQuerySet",
]
