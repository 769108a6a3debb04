"""Settings of the sessions app, read in one place. All optional; defaults below.

- ``SESSIONS_DEFAULT_BUDGET_MINUTES`` (45): time budget of a new session (a provincial instruction in the seeds).
- ``SESSIONS_BUDGET_RESOLVER``: dotted path to ``callable(*, unit, scheduled_start) -> int | None``. Hook for the
  campaign app: return the campaign's per-meeting budget for this unit and date, or ``None`` to fall back to the
  setting above. Called by ``session_budget_for`` when a session is created.
- ``SESSIONS_QUORUM_SHARE`` (0.5): quorum is reached when present members are *more than* this share of members.
- ``SESSIONS_MAX_UPLOAD_MB`` (20), ``SESSIONS_ALLOWED_EXTENSIONS``: limits of document uploads.
- Uploaded files go to ``PRIVATE_FILES_ROOT`` (``pilot_portal.core.storage``: outside MEDIA_ROOT, never served
  directly).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_ALLOWED_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "jpg", "jpeg", "png")


def default_budget_minutes() -> int:
    return int(getattr(settings, "SESSIONS_DEFAULT_BUDGET_MINUTES", 45))


def session_budget_for(*, unit, scheduled_start) -> int:
    """The time budget of a new session of ``unit`` at ``scheduled_start``: the campaign's value when a resolver is
    configured and knows one, else the setting."""
    resolver_path = getattr(settings, "SESSIONS_BUDGET_RESOLVER", "")
    if resolver_path:
        value = import_string(resolver_path)(unit=unit, scheduled_start=scheduled_start)
        if value:
            return int(value)
    return default_budget_minutes()


def quorum_share() -> float:
    return float(getattr(settings, "SESSIONS_QUORUM_SHARE", 0.5))


def max_upload_bytes() -> int:
    return int(float(getattr(settings, "SESSIONS_MAX_UPLOAD_MB", 20)) * 1024 * 1024)


def allowed_extensions() -> tuple[str, ...]:
    return tuple(getattr(settings, "SESSIONS_ALLOWED_EXTENSIONS", DEFAULT_ALLOWED_EXTENSIONS))
