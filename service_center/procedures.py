"""Import of the procedure catalogue from CSV (columns: code, name, field, time_limit, time_unit, fee,
online_level, legal_basis, and optionally papers) and the demo set of commune-level procedures.

The ``papers`` column lists the procedure's papers (thành phần hồ sơ), separated by ``;``, each as
``name|kind|copies|required``: kind ``original`` (bản chính), ``certified_copy`` (bản sao có chứng thực) or
``copy`` (bản sao); copies a whole number (1 when left out); ``required`` or ``optional`` (required when left out).
When the column is there, it is the procedure's whole list (an empty cell: no papers); a file without it leaves
the papers entered in the admin as they are.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import PaperKind, Procedure, ProcedurePaper

COLUMNS = ["code", "name", "field", "time_limit", "time_unit", "fee", "online_level", "legal_basis"]
PAPERS_COLUMN = "papers"
REQUIRED = {"required": True, "optional": False}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportError_(Exception):
    pass


@dataclass(frozen=True)
class PaperLine:
    name: str
    kind: str
    copies: int
    is_required: bool


def parse_papers(cell: str) -> list[PaperLine]:
    """The papers of one ``papers`` cell; raises ``ValueError`` with what is wrong."""
    papers: list[PaperLine] = []
    for entry in cell.split(";"):
        if not entry.strip():
            continue
        parts = [part.strip() for part in entry.split("|")]
        if len(parts) > 4:
            raise ValueError(f"paper {entry.strip()!r}: at most 4 parts name|kind|copies|required")
        name, kind, copies, required = [*parts, "", "", ""][:4]
        if not name:
            raise ValueError(f"paper {entry.strip()!r}: the name is empty")
        if kind not in PaperKind.values:
            raise ValueError(f"paper {name!r}: kind must be one of {', '.join(PaperKind.values)}")
        if copies and not (copies.isdigit() and int(copies) >= 1):
            raise ValueError(f"paper {name!r}: copies must be a whole number from 1")
        if (required or "required") not in REQUIRED:
            raise ValueError(f"paper {name!r}: the last part must be required or optional")
        if any(paper.name == name for paper in papers):
            raise ValueError(f"paper {name!r} is listed twice")
        papers.append(PaperLine(name, kind, int(copies or 1), REQUIRED[required or "required"]))
    return papers


def _current_papers(procedure: Procedure) -> list[PaperLine]:
    return [PaperLine(p.name, p.kind, p.copies, p.is_required) for p in procedure.papers.all()]


def _save_papers(procedure: Procedure, papers: list[PaperLine], line: int) -> None:
    """Make the procedure's list ``papers``, in that order; a paper keeps its row (matched by name)."""
    existing = {paper.name: paper for paper in procedure.papers.all()}
    procedure.papers.exclude(name__in=[paper.name for paper in papers]).delete()
    for position, line_paper in enumerate(papers, start=1):
        paper = existing.get(line_paper.name) or ProcedurePaper(procedure=procedure, name=line_paper.name)
        paper.kind, paper.copies, paper.is_required = line_paper.kind, line_paper.copies, line_paper.is_required
        paper.position = position
        try:
            paper.full_clean(exclude=["procedure"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise ImportError_(f"line {line}: paper {line_paper.name!r}: {exc.message_dict}") from None
        paper.save()


def procedures_import(*, text: str) -> ImportResult:
    """Create or update procedures by national code; all rows or none (errors name the line)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportError_(f"missing columns: {', '.join(missing)}")
    with_papers = PAPERS_COLUMN in reader.fieldnames
    result = ImportResult()
    with transaction.atomic():
        for line, row in enumerate(reader, start=2):
            values = {c: (row.get(c) or "").strip() for c in COLUMNS}
            papers_cell = (row.get(PAPERS_COLUMN) or "").strip()
            if any("\x00" in value for value in [*values.values(), papers_cell]):
                raise ImportError_(f"line {line}: contains a NUL character")
            code = values.pop("code")
            existing = Procedure.objects.filter(code=code).first()
            procedure = existing or Procedure(code=code)
            try:
                values["time_limit"] = int(values["time_limit"])
                values["fee"] = int(values["fee"] or 0)
            except ValueError:
                raise ImportError_(f"line {line}: time_limit and fee must be whole numbers") from None
            try:
                papers = parse_papers(papers_cell) if with_papers else None
            except ValueError as exc:
                raise ImportError_(f"line {line}: {exc}") from None
            before = {k: getattr(procedure, k) for k in values} if existing else None
            papers_before = _current_papers(existing) if existing and papers is not None else None
            for key, value in values.items():
                setattr(procedure, key, value)
            try:
                procedure.full_clean()
            except ValidationError as exc:
                raise ImportError_(f"line {line}: {exc.message_dict}") from None
            if before == values and (papers is None or papers_before == papers):
                result.unchanged += 1
                continue
            procedure.save()
            if papers is not None and papers_before != papers:
                _save_papers(procedure, papers, line)
            if existing:
                result.updated += 1
            else:
                result.created += 1
    return result


# Realistic commune-level procedures (codes as in the national catalogue where known; fees in VND).
DEMO_CSV = (Path(__file__).parent / "data" / "procedures_demo.csv").read_text(encoding="utf-8")
