import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from service_center.procedures import ImportError_, procedures_import


class Command(BaseCommand):
    help = (
        "Import the procedure catalogue from a UTF-8 CSV with the columns code, name, field, time_limit, "
        "time_unit (working|calendar), fee, online_level (full|partial|none), legal_basis, and optionally papers "
        "(name|kind|copies|required entries separated by ';', kind original|certified_copy|copy, "
        "required|optional). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            result = procedures_import(text=path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, csv.Error, ImportError_) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Procedures: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
