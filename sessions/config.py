"""Settings of the sessions app, read in one place. All optional; defaults below.

- ``SESSIONS_DEFAULT_BUDGET_MINUTES`` (45): time budget of a new session (a provincial instruction in the seeds).
- ``SESSIONS_BUDGET_RESOLVER``: dotted path to ``callable(*, unit, scheduled_start) -> int | None``: the limit the
  province set for every session of this unit (the campaign's ``session_budget_minutes`` by default, see the
  settings), or ``None`` for no limit. A session's budget never exceeds it (rehearsals included); a new session
  takes it, or the setting above when there is no limit.
- ``SESSIONS_QUORUM`` (``{"hdnd": "2/3", "ubnd": "2/3"}``): per kind, the share of the delegates (HĐND) or members
  (UBND) who must be present, *at least*, for the session to open; guests never count.
- ``SESSIONS_ADOPTION`` (``{"hdnd": "1/2", "ubnd": "1/2"}``): per kind, an outcome is adopted when *more than* this
  share of all the delegates or members (present or not) vote for it.
- ``SESSIONS_MAX_UPLOAD_MB`` (20), ``SESSIONS_ALLOWED_EXTENSIONS``: limits of document uploads.
- Uploaded files go to ``PRIVATE_FILES_ROOT`` (``pilot_portal.core.storage``: outside MEDIA_ROOT, never served
  directly).
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_ALLOWED_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "jpg", "jpeg", "png")


DEFAULT_QUORUM = {"hdnd": "2/3", "ubnd": "2/3"}
DEFAULT_ADOPTION = {"hdnd": "1/2", "ubnd": "1/2"}


def default_budget_minutes() -> int:
    return int(getattr(settings, "SESSIONS_DEFAULT_BUDGET_MINUTES", 45))


def session_budget_limit(*, unit, scheduled_start) -> int | None:
    """The most minutes a session of ``unit`` may plan (the province's campaign limit), or ``None``."""
    resolver_path = getattr(settings, "SESSIONS_BUDGET_RESOLVER", "")
    if resolver_path:
        value = import_string(resolver_path)(unit=unit, scheduled_start=scheduled_start)
        if value:
            return int(value)
    return None


def session_budget_for(*, unit, scheduled_start) -> int:
    """The time budget of a new session of ``unit`` at ``scheduled_start``: the province's limit, else the
    setting."""
    return session_budget_limit(unit=unit, scheduled_start=scheduled_start) or default_budget_minutes()


def _share(setting: str, defaults: dict[str, str], kind: str) -> Fraction:
    rules = {**defaults, **getattr(settings, setting, {})}
    return Fraction(str(rules[kind]))


def quorum_share(kind: str) -> Fraction:
    """At least this share of the members must be present (``SESSIONS_QUORUM``)."""
    return _share("SESSIONS_QUORUM", DEFAULT_QUORUM, kind)


def adoption_share(kind: str) -> Fraction:
    """More than this share of all the members must vote for (``SESSIONS_ADOPTION``)."""
    return _share("SESSIONS_ADOPTION", DEFAULT_ADOPTION, kind)


def max_upload_bytes() -> int:
    return int(float(getattr(settings, "SESSIONS_MAX_UPLOAD_MB", 20)) * 1024 * 1024)


def allowed_extensions() -> tuple[str, ...]:
    return tuple(getattr(settings, "SESSIONS_ALLOWED_EXTENSIONS", DEFAULT_ALLOWED_EXTENSIONS))
