from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "pilot_portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Every app's ``reminders.py`` registers its sweeps with ``@sweep(...)`` when imported.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("reminders")
