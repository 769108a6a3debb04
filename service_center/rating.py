"""The link to the satisfaction page of one dossier, ``/tra-cuu/danh-gia/<code>/?t=<token>``.

The page needs no login, so the token is what lets a person rate: signed with the portal's secret key (it cannot be
made up from a dossier code, which is printed and guessable), bound to the dossier's lookup code, and valid for
``RATING_LINK_DAYS`` days. Only two places show it: the clerk's dossier page once the result is returned (a button
that opens the page on the counter's tablet, and its QR code for the citizen's phone), and the public lookup after
the citizen gave the code and the lookup code printed on the receipt. A token rates one dossier, once.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse

RATING_LINK_DAYS = 30
_SALT = "service_center.rating"


def rating_token(dossier) -> str:
    return signing.dumps([dossier.code, dossier.lookup_secret], salt=_SALT, compress=True)


def rating_code(token: str) -> tuple[str, str] | None:
    """The (dossier code, lookup code) a valid, unexpired token was made for, else ``None``."""
    try:
        code, secret = signing.loads(token, salt=_SALT, max_age=RATING_LINK_DAYS * 24 * 60 * 60)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return str(code), str(secret)


def rating_path(dossier) -> str:
    return f"{reverse('lookup:rate', args=[dossier.code])}?{urlencode({'t': rating_token(dossier)})}"
