"""Links that leave the portal (e-mails, the QR code on a printed receipt) must use its public origin; links that come
in (``next=``) are followed only to a path of this site."""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def public_url(path: str, *, request=None) -> str:
    """``path`` on ``PORTAL_BASE_URL`` when set, else on the first ``CSRF_TRUSTED_ORIGINS`` entry, else on the host
    of ``request`` (development), else unchanged. A clerk's intranet address never ends up on a citizen's paper."""
    if not path.startswith("/"):
        return path
    base = getattr(settings, "PORTAL_BASE_URL", "") or next(iter(settings.CSRF_TRUSTED_ORIGINS), "")
    if base:
        return f"{base.rstrip('/')}{path}"
    return request.build_absolute_uri(path) if request is not None else path


def same_site_path(target: str | None, *, request) -> str | None:
    """``target`` when it is a path of this site (``/units/?q=1``), else None: never a view name to reverse, another
    host, a scheme such as ``javascript:``, or a relative path whose meaning depends on the page it came from."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return None
    return target
