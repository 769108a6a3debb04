"""Checks of citizens' identity numbers (CCCD) and Vietnamese phone numbers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Birth-registration province codes of the 12-digit CCCD (Circular 59/2021/TT-BCA): the 63 pre-2025 provinces.
CCCD_PROVINCE_CODES = frozenset(
    re.findall(
        r"\d{3}",
        "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 "
        "042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 "
        "086 087 089 091 092 093 094 095 096",
    )
)


def identity_birth_year(number: str) -> int:
    """The birth year encoded by a CCCD: the 4th digit gives century and gender, the 5th-6th the year."""
    century = 1900 + 100 * (int(number[3]) // 2)
    return century + int(number[4:6])


def validate_identity_number(value: str) -> None:
    if not re.fullmatch(r"\d{12}", value or ""):
        raise ValidationError(_("An identity number (CCCD) has exactly 12 digits."), code="cccd_format")
    if value[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            _("The first three digits of the identity number are not a province code."), code="cccd_province"
        )
    if identity_birth_year(value) > timezone.localdate().year:
        raise ValidationError(
            _("The 4th to 6th digits of the identity number give a birth year in the future."), code="cccd_year"
        )


PHONE_RE = re.compile(r"0(?:[35789]\d{8}|2\d{9})")


def normalize_phone(value: str) -> str:
    """Digits only, with +84 / 84 turned into a leading 0."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.fullmatch(value):
        raise ValidationError(
            _("Enter a Vietnamese phone number: 10 digits starting with 03, 05, 07, 08 or 09, or a landline 02x."),
            code="phone",
        )


#: Vietnamese mobile numbers (10 digits) by the carriers' prefixes after the 2018 renumbering: Viettel 032-039,
#: 086, 096-098; MobiFone 070, 076-079, 089, 090, 093; VinaPhone 081-085, 088, 091, 094; Vietnamobile 052, 056,
#: 058, 092; Gmobile 059, 099; Reddi 055; iTel 087; and the other 09x blocks.
MOBILE_RE = re.compile(r"0(?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}")


def is_mobile_phone(value: str) -> bool:
    return bool(MOBILE_RE.fullmatch(value or ""))


def validate_mobile_phone(value: str) -> None:
    if value and not is_mobile_phone(value):
        raise ValidationError(
            _("Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 or 09 (not a landline)."),
            code="mobile",
        )
