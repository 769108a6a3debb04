"""Import of the procedure catalogue from CSV (columns: code, name, field, time_limit, time_unit, fee,
online_level, legal_basis) and the demo set of commune-level procedures."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Procedure

COLUMNS = ["code", "name", "field", "time_limit", "time_unit", "fee", "online_level", "legal_basis"]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportError_(Exception):
    pass


def procedures_import(*, text: str) -> ImportResult:
    """Create or update procedures by national code; all rows or none (errors name the line)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportError_(f"missing columns: {', '.join(missing)}")
    result = ImportResult()
    with transaction.atomic():
        for line, row in enumerate(reader, start=2):
            values = {c: (row.get(c) or "").strip() for c in COLUMNS}
            if any("\x00" in value for value in values.values()):
                raise ImportError_(f"line {line}: contains a NUL character")
            code = values.pop("code")
            existing = Procedure.objects.filter(code=code).first()
            procedure = existing or Procedure(code=code)
            try:
                values["time_limit"] = int(values["time_limit"])
                values["fee"] = int(values["fee"] or 0)
            except ValueError:
                raise ImportError_(f"line {line}: time_limit and fee must be whole numbers") from None
            before = {k: getattr(procedure, k) for k in values} if existing else None
            for key, value in values.items():
                setattr(procedure, key, value)
            try:
                procedure.full_clean()
            except ValidationError as exc:
                raise ImportError_(f"line {line}: {exc.message_dict}") from None
            if before == values:
                result.unchanged += 1
                continue
            procedure.save()
            if existing:
                result.updated += 1
            else:
                result.created += 1
    return result


# Realistic commune-level procedures (codes as in the national catalogue where known; fees in VND).
DEMO_CSV = (Path(__file__).parent / "data" / "procedures_demo.csv").read_text(encoding="utf-8")
