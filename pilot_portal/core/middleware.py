import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language with the switcher (cookie).

    The browser's Accept-Language is ignored on purpose: a provincial portal speaks Vietnamese to everyone,
    whatever language the office computer's browser was installed in.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _networks(entries) -> list:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: not an IP address or network: {entry!r}") from None
    return networks


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``TRUSTED_PROXY_COUNT`` reverse proxies the address the
    first of them received the request from.

    Each proxy appends the address it received the request from to ``X-Forwarded-For``. The header is believed
    only from a proxy in ``TRUSTED_PROXIES`` (IPs or CIDR blocks), hop by hop from the right: a client that reaches
    gunicorn directly, or writes its own entries further left, is counted by its own address. With no proxy
    configured (the default) the header is ignored.
    """
    address = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return address
    networks = _networks(getattr(settings, "TRUSTED_PROXIES", []))
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    for _hop in range(count):
        if not entries or not _is_trusted(address, networks):
            break
        candidate = entries.pop()
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            break  # not an address: the proxy's own address is the best we know
        address = candidate
    return address


class ClientAddressMiddleware:
    """Put ``client_address(request)`` in ``REMOTE_ADDR``: the login throttle (django-axes) and the public
    lookup's limits both count by it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_address(request)
        return self.get_response(request)
