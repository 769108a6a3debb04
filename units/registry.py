"""Loading the national registry from the ``vietnamadminunits`` package (its bundled data, MIT licence).

The package ships the 34 provinces and 3,321 new units (``admin_units``), the 10,040 pre-2025 units
(``admin_units_legacy``) and the old-to-new mapping (``converter_2025.json``): predecessors merged whole, and
predecessors split between several new units with the one that took most of them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction

from .models import LegacyUnit, Province, Succession, Unit

UNIT_KINDS = {"Xã": Unit.Kind.COMMUNE, "Phường": Unit.Kind.WARD, "Đặc khu": Unit.Kind.SPECIAL_ZONE}


def package_data_dir() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent / "data"


@dataclass
class RegistrySource:
    """The rows to load, as plain dictionaries (read from the package, or built by a test)."""

    units: list[dict]
    legacy_units: list[dict]
    whole: dict[str, dict[str, list[str]]]
    split: dict[str, dict[str, list[dict]]]

    @classmethod
    def from_package(cls, data_dir: Path | None = None) -> RegistrySource:
        data_dir = data_dir or package_data_dir()
        with sqlite3.connect(data_dir / "dataset.db") as conn:
            conn.row_factory = sqlite3.Row
            units = [dict(r) for r in conn.execute("SELECT * FROM admin_units ORDER BY wardCode")]
            legacy = [
                dict(r)
                for r in conn.execute("SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode")
            ]
        converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
        return cls(
            units=units,
            legacy_units=legacy,
            whole=converter["DICT_PROVINCE_WARD_NO_DIVIDED"],
            split=converter["DICT_PROVINCE_WARD_DIVIDED"],
        )


@dataclass
class ImportCounts:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())


def legacy_key(row: dict) -> str:
    return f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _sync(model, key_field: str, wanted: dict[str, dict], fields: list[str]) -> tuple[int, int]:
    """Create missing rows and update changed ones; returns (created, updated). Never touches other fields."""
    existing = {getattr(obj, key_field): obj for obj in model.objects.only(key_field, *fields)}
    to_create, to_update = [], []
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            to_create.append(model(**{key_field: key, **values}))
            continue
        changed = False
        for name in fields:
            if getattr(obj, name) != values[name]:
                setattr(obj, name, values[name])
                changed = True
        if changed:
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=1000)
    model.objects.bulk_update(to_update, fields, batch_size=1000)
    return len(to_create), len(to_update)


def import_registry(*, source: RegistrySource, progress: Callable[[str], None] = lambda _msg: None) -> ImportCounts:
    """Load ``source`` into the registry in one transaction. Idempotent: a second run changes nothing.

    Admin-entered data (headquarters, agency codes) is never overwritten.
    """
    counts = ImportCounts()
    with transaction.atomic():
        provinces = {}
        for row in source.units:
            provinces.setdefault(
                row["provinceCode"],
                {
                    "name": row["province"],
                    "short_name": row["provinceShort"],
                    "kind": Province.Kind.CITY if row["province"].startswith("Thành phố") else Province.Kind.PROVINCE,
                    "latitude": row["provinceLat"],
                    "longitude": row["provinceLon"],
                },
            )
        counts.created["provinces"], counts.updated["provinces"] = _sync(
            Province, "code", provinces, ["name", "short_name", "kind", "latitude", "longitude"]
        )
        progress(f"Provinces: {len(provinces)}")
        province_ids = dict(Province.objects.values_list("code", "id"))

        units = {
            row["wardCode"]: {
                "name": row["ward"],
                "short_name": row["wardShort"],
                "kind": UNIT_KINDS[row["wardType"]],
                "province_id": province_ids[row["provinceCode"]],
                "latitude": row["wardLat"],
                "longitude": row["wardLon"],
                "area_km2": _decimal(row["wardAreaKm2"]),
            }
            for row in source.units
        }
        unit_fields = ["name", "short_name", "kind", "province_id", "latitude", "longitude", "area_km2"]
        counts.created["units"], counts.updated["units"] = _sync(Unit, "code", units, unit_fields)
        progress(f"Commune-level units: {len(units)}")

        legacy = {
            legacy_key(row): {
                "code": row["wardCode"] or "",
                "name": row["ward"] or "",
                "kind": row["wardType"] or "",
                "district_code": row["districtCode"],
                "district_name": row["district"],
                "province_code": row["provinceCode"],
                "province_name": row["province"],
                "latitude": row["wardLat"] if row["wardCode"] else row["districtLat"],
                "longitude": row["wardLon"] if row["wardCode"] else row["districtLon"],
            }
            for row in source.legacy_units
        }
        legacy_fields = [
            "code",
            "name",
            "kind",
            "district_code",
            "district_name",
            "province_code",
            "province_name",
            "latitude",
            "longitude",
        ]
        counts.created["legacy_units"], counts.updated["legacy_units"] = _sync(LegacyUnit, "key", legacy, legacy_fields)
        progress(f"Predecessor units: {len(legacy)}")

        created, updated, deleted = _sync_successions(source)
        counts.created["successions"], counts.updated["successions"], counts.deleted["successions"] = (
            created,
            updated,
            deleted,
        )
        counts.totals = {
            "provinces": Province.objects.count(),
            "units": Unit.objects.count(),
            "legacy_units": LegacyUnit.objects.count(),
            "successions": Succession.objects.count(),
        }
        progress(f"Successions: {counts.totals['successions']}")
    if any(counts.created.values()) or any(counts.updated.values()) or any(counts.deleted.values()):
        _analyze(Province, Unit, LegacyUnit, Succession)
    return counts


def _analyze(*models) -> None:
    """Fresh planner statistics for tables just loaded in bulk (PostgreSQL). Without them a new database plans
    "the units of a province" as one row until autovacuum gets there (or never, where it is off), and nests every
    search of a province's dossiers once per unit: the applicant search across Hồ Chí Minh City took 100 ms
    instead of 0.5 ms (``bench/scale.py``)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _wanted_successions(source: RegistrySource) -> Iterable[tuple[str, str, bool, bool]]:
    """(new unit code, legacy key, is_whole, is_default) for every link in the mapping."""
    unit_codes = {(row["provinceKey"], row["wardKey"]): row["wardCode"] for row in source.units}
    for province_key, by_new in source.whole.items():
        for ward_key, old_keys in by_new.items():
            code = unit_codes.get((province_key, ward_key))
            for old_key in old_keys:
                if code:
                    yield code, old_key, True, True
    for province_key, by_old in source.split.items():
        for old_key, targets in by_old.items():
            for target in targets:
                code = unit_codes.get((province_key, target["newWardKey"]))
                if code:
                    yield code, old_key, False, bool(target["isDefaultNewWard"])


def _sync_successions(source: RegistrySource) -> tuple[int, int, int]:
    unit_ids = dict(Unit.objects.values_list("code", "id"))
    legacy_ids = dict(LegacyUnit.objects.values_list("key", "id"))
    wanted = {}
    for code, old_key, is_whole, is_default in _wanted_successions(source):
        if code in unit_ids and old_key in legacy_ids:
            wanted[(unit_ids[code], legacy_ids[old_key])] = (is_whole, is_default)
    existing = {(s.unit_id, s.legacy_unit_id): s for s in Succession.objects.all()}
    to_create = [
        Succession(unit_id=u, legacy_unit_id=lg, is_whole=w, is_default=d)
        for (u, lg), (w, d) in wanted.items()
        if (u, lg) not in existing
    ]
    to_update = []
    for pair, obj in existing.items():
        if pair in wanted and (obj.is_whole, obj.is_default) != wanted[pair]:
            obj.is_whole, obj.is_default = wanted[pair]
            to_update.append(obj)
    stale = [obj.pk for pair, obj in existing.items() if pair not in wanted]
    Succession.objects.bulk_create(to_create, batch_size=1000)
    Succession.objects.bulk_update(to_update, ["is_whole", "is_default"], batch_size=1000)
    if stale:
        Succession.objects.filter(pk__in=stale).delete()
    return len(to_create), len(to_update), len(stale)
