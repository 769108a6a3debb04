"""The link to the satisfaction page of one dossier, ``/tra-cuu/danh-gia/<code>/?t=<token>``.

The page needs no login, so the token is what lets a person rate: an HMAC of the dossier code with the portal's
secret key, salted with the dossier's lookup code (it cannot be made up from a dossier code, which is printed and
guessable), with its time, valid for ``RATING_LINK_DAYS`` days. Only two places show it: the clerk's dossier page
once the result is returned (a button that opens the page on the counter's tablet, and its QR code for the
citizen's phone), and the public lookup after the citizen gave the code and the lookup code printed on the receipt.
A token rates one dossier, once.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse

RATING_LINK_DAYS = 30


def _signer(dossier) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"service_center.rating:{dossier.lookup_secret}")


def rating_token(dossier) -> str:
    """The timestamp and signature of the dossier's code (the code itself is in the path)."""
    return _signer(dossier).sign(dossier.code)[len(dossier.code) + 1 :]


def rating_token_valid(dossier, token: str) -> bool:
    try:
        _signer(dossier).unsign(f"{dossier.code}:{token}", max_age=RATING_LINK_DAYS * 24 * 60 * 60)
    except signing.BadSignature:  # a wrong, altered or expired token
        return False
    return True


def rating_path(dossier) -> str:
    return f"{reverse('lookup:rate', args=[dossier.code])}?{urlencode({'t': rating_token(dossier)})}"
