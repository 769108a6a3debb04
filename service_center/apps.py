from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceCenterConfig(AppConfig):
    name = "service_center"
    verbose_name = _("Public administrative service centre")
