from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pilot_portal.core"
    label = "core"
    verbose_name = _("Portal")

    def ready(self):
        from django.urls import register_converter

        from . import links, lookups  # noqa: F401  (registers ``__any`` and the portal origin's deploy check)
        from .converters import CodeConverter

        register_converter(CodeConverter, "code")
