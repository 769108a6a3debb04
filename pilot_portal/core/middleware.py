from django.conf import settings
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


class ClientAddressMiddleware:
    """Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, put the client's address in ``REMOTE_ADDR``.

    Each trusted proxy appends the address it received the request from to ``X-Forwarded-For``, so the client is
    the ``TRUSTED_PROXY_COUNT``-th entry from the right; anything further left was written by the client and is
    not trusted. With no proxy configured (the default) the header is ignored. The login throttle and the public
    lookup's rate limit both count by ``REMOTE_ADDR``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if count > 0 and forwarded:
            entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
            if entries:
                request.META["REMOTE_ADDR"] = entries[-count] if len(entries) >= count else entries[0]
        return self.get_response(request)
