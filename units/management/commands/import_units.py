import time

from django.core.management.base import BaseCommand

from units.registry import RegistrySource, import_registry


class Command(BaseCommand):
    help = "Load the 34 provinces, 3,321 new units, their predecessors and the mapping from vietnamadminunits."

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write("Reading the vietnamadminunits data…")
        counts = import_registry(source=RegistrySource.from_package(), progress=self.stdout.write)
        for name, total in counts.totals.items():
            self.stdout.write(
                f"  {name}: {total} in the registry "
                f"({counts.created.get(name, 0)} created, {counts.updated.get(name, 0)} updated, "
                f"{counts.deleted.get(name, 0)} deleted)"
            )
        verdict = "Registry updated" if counts.changed else "Registry already up to date, nothing changed"
        self.stdout.write(self.style.SUCCESS(f"{verdict} in {time.monotonic() - started:.1f} s."))
