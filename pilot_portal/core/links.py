"""Links that leave the portal (e-mails, the QR code on a printed receipt) must use its public origin; links that come
in (``next=``) are followed only to a path of this site."""

from django.conf import settings
from django.core import checks
from django.utils.http import url_has_allowed_host_and_scheme


def portal_origin() -> str:
    """The portal's public origin: ``PORTAL_BASE_URL``, else the first ``CSRF_TRUSTED_ORIGINS`` entry; "" when
    neither is set (the deploy check warns)."""
    return (getattr(settings, "PORTAL_BASE_URL", "") or next(iter(settings.CSRF_TRUSTED_ORIGINS), "")).rstrip("/")


def _first_host() -> str:
    """The first concrete ``ALLOWED_HOSTS`` entry (not ``*`` nor a ``.domain`` pattern), or ""."""
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("."):
            return host
    return ""


def public_url(path: str, *, request=None) -> str:
    """``path`` on the portal's public origin (:func:`portal_origin`), else on the host of ``request``
    (development), else on the first allowed host over HTTPS: a link that leaves the portal is always absolute,
    and a clerk's intranet address never ends up on a citizen's paper when the origin is set."""
    if not path.startswith("/"):
        return path
    base = portal_origin()
    if base:
        return f"{base}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    host = _first_host()
    return f"https://{host}{path}" if host else path


@checks.register(checks.Tags.security, deploy=True)
def check_portal_origin(app_configs=None, **kwargs):
    if portal_origin():
        return []
    return [
        checks.Warning(
            "Neither PORTAL_BASE_URL nor CSRF_TRUSTED_ORIGINS is set: links in e-mails fall back on the first "
            "ALLOWED_HOSTS entry over HTTPS.",
            hint="Set PORTAL_BASE_URL to the portal's public origin, e.g. https://thidiem.example.gov.vn.",
            id="core.W001",
        )
    ]


def same_site_path(target: str | None, *, request) -> str | None:
    """``target`` when it is a path of this site (``/units/?q=1``), else None: never a view name to reverse, another
    host, a scheme such as ``javascript:``, or a relative path whose meaning depends on the page it came from."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return None
    return target
