"""Links that leave the portal (e-mails, the QR code on a printed receipt) must use its public origin."""

from django.conf import settings


def public_url(path: str, *, request=None) -> str:
    """``path`` on ``PORTAL_BASE_URL`` when set, else on the first ``CSRF_TRUSTED_ORIGINS`` entry, else on the host
    of ``request`` (development), else unchanged. A clerk's intranet address never ends up on a citizen's paper."""
    if not path.startswith("/"):
        return path
    base = getattr(settings, "PORTAL_BASE_URL", "") or next(iter(settings.CSRF_TRUSTED_ORIGINS), "")
    if base:
        return f"{base.rstrip('/')}{path}"
    return request.build_absolute_uri(path) if request is not None else path
