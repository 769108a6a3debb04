from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilSessionsConfig(AppConfig):
    """First HĐND sessions and UBND meetings. Labelled apart from django.contrib.sessions."""

    name = "sessions"
    label = "council_sessions"
    verbose_name = _("Council sessions")
