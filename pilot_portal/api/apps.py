from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "pilot_portal.api"
    label = "api"
    verbose_name = _("API and webhooks")

    def ready(self) -> None:
        from service_center.signals import dossier_status_changed

        from . import webhooks

        dossier_status_changed.connect(webhooks.on_dossier_status_changed, dispatch_uid="api.webhooks")
