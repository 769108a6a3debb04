import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pilot_portal.campaigns.snapshots import readiness_snapshots_take


class Command(BaseCommand):
    help = (
        "Take the daily readiness snapshot of every campaign unit for each day from --from to --to (default today), "
        "replayed from the histories for past days. Idempotent: days already taken are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, help="last day, YYYY-MM-DD")

    def handle(self, *args, start=None, end=None, **options):
        today = timezone.localdate()
        end = end or today
        start = start or end
        if start > end:
            raise CommandError("--from is after --to.")
        if end > today:
            raise CommandError("--to is in the future.")
        day = start
        while day <= end:
            created = readiness_snapshots_take(day=day)
            self.stdout.write(f"{day:%d/%m/%Y}: {created} snapshot(s) taken.")
            day += dt.timedelta(days=1)
