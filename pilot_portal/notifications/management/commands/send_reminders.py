from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime

from pilot_portal.notifications import services, sweeps


class Command(BaseCommand):
    help = "Run every reminder sweep once, without a broker, and print what it sends."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; store nothing.")
        parser.add_argument(
            "--at",
            help="Run as of this local date and time (YYYY-MM-DD HH:MM or ISO 8601) instead of now.",
        )
        parser.add_argument("--sweep", action="append", help="Run only this sweep (repeatable).")

    def handle(self, *args, dry_run=False, at=None, sweep=None, **options):
        translation.activate(settings.LANGUAGE_CODE)
        moment = self._parse_at(at) if at else timezone.now()
        names = sweep or [s.name for s in sweeps.registered()]
        total = 0
        prefix = "[dry-run] " if dry_run else ""
        self.stdout.write(f"{prefix}Reminders as of {timezone.localtime(moment):%Y-%m-%d %H:%M %Z}")
        for name in names:
            try:
                sweeps.get(name)
            except LookupError as exc:
                raise CommandError(str(exc)) from None
            with services.recording() as sent:
                count = sweeps.run(name, at=moment, dry_run=dry_run)
            total += count
            self.stdout.write(f"{prefix}{name}: {count}")
            usernames = dict(
                get_user_model().objects.filter(pk__in={m.recipient_id for m in sent}).values_list("pk", "username")
            )
            for message in sent:
                self.stdout.write(f"  -> {usernames.get(message.recipient_id)} [{message.kind}] {message.title}")
        self.stdout.write(self.style.SUCCESS(f"{prefix}{total} notifications {'to send' if dry_run else 'sent'}."))

    @staticmethod
    def _parse_at(value: str):
        moment = parse_datetime(value.replace(" ", "T", 1)) if len(value) > 10 else None
        if moment is None and (day := parse_date(value)) is not None:
            moment = timezone.datetime(day.year, day.month, day.day, 8, 0)
        if moment is None:
            raise CommandError(f"--at: not a date and time: {value!r} (use YYYY-MM-DD HH:MM)")
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
