from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from service_center import backlog_import
from service_center.backlog_import import RowStatus
from units.models import Unit


class Command(BaseCommand):
    help = (
        "Import a district's backlog list (the template's .xlsx or a UTF-8 CSV) into a commune-level unit. "
        "All rows or none, unless --valid-only; rows already imported are skipped. --dry-run saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--unit", required=True, help="GSO code of the new unit")
        parser.add_argument("--dry-run", action="store_true", help="report row by row, save nothing")
        parser.add_argument("--valid-only", action="store_true", help="import the valid rows, leave out the others")

    def handle(self, *args, path: Path, unit: str, dry_run: bool, valid_only: bool, **options):
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"no unit with GSO code {unit}")
        if path.suffix.lower().lstrip(".") not in backlog_import.EXTENSIONS:
            raise CommandError("the file must be .xlsx or .csv")
        try:
            rows = backlog_import.read_table(path.read_bytes(), path.name)
            if dry_run:
                report = backlog_import.backlog_dry_run(unit=target, rows=rows)
            else:
                report = backlog_import.backlog_import_rows(unit=target, rows=rows, actor=None, valid_only=valid_only)
        except backlog_import.BacklogImportRefused as exc:
            self._report(exc.report)
            raise CommandError(str(exc)) from exc
        except (OSError, backlog_import.BacklogFileError) as exc:
            raise CommandError(str(exc)) from exc
        self._report(report)
        verb = "would be received" if dry_run else "received"
        count = report.new_count if dry_run else report.created_count
        self.stdout.write(
            self.style.SUCCESS(
                f"Backlog of {target.name}: {count} {verb}, {report.existing_count} already imported, "
                f"{report.error_count} with errors."
            )
        )

    def _report(self, report):
        for row in report.rows:
            if row.status == RowStatus.ERROR:
                self.stdout.write(f"row {row.number}: ERROR {' '.join(row.errors)}")
            elif row.status in (RowStatus.EXISTS, RowStatus.REPEATED):
                where = row.dossier_code or f"row {row.repeats_row}"
                self.stdout.write(f"row {row.number}: already imported ({where})")
            elif row.status == RowStatus.CREATED:
                self.stdout.write(f"row {row.number}: received as {row.dossier_code}")
            else:
                self.stdout.write(f"row {row.number}: would be received ({row.old_number})")
