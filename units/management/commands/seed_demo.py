from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from units.models import Unit


class Command(BaseCommand):
    help = "Create the demo pilot (seed articles) on top of the registry, with demo logins. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-users",
            action="store_true",
            help="Seed even with DEBUG off (a staging server): the demo logins share a published password.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_demo_users"]:
            raise CommandError(
                "The demo creates a superuser and logins with a password printed in the README: it runs only with "
                "DEBUG on (the embedded default), or with --allow-demo-users on a server that is not production."
            )
        translation.activate(settings.LANGUAGE_CODE)
        if not Unit.objects.exists():
            call_command("import_units", stdout=self.stdout)
        # Each app contributes its part through an optional ``demo.seed(stdout=...)``, in INSTALLED_APPS order.
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
