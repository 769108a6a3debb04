"""Shapes shared by the endpoints: text that the database can store, times in Vietnam time, the error bodies."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints


def _printable(value: str) -> str:
    """No NUL or other control characters (PostgreSQL refuses NUL; the others have no place in a name or a note);
    line breaks and tabs are kept."""
    for ch in value:
        if ch not in "\n\r\t" and unicodedata.category(ch) in ("Cc", "Cs"):
            raise ValueError("control characters are not allowed")
    return value


def Text(max_length: int, *, min_length: int = 0):
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length, min_length=min_length),
        AfterValidator(_printable),
    ]


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


#: A moment, written in ISO 8601 with the Vietnam offset (+07:00).
LocalDateTime = Annotated[dt.datetime, AfterValidator(_local)]
_EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def _portal_moment(value: dt.datetime) -> dt.datetime:
    try:
        inside = _EARLIEST <= value < _LATEST
    except OverflowError:
        inside = False
    if not inside:
        raise ValueError("must lie between 2000-01-01 and 2099-12-31")
    return value


#: A moment sent by the caller, with its offset, between 2000 and 2099.
PortalMoment = Annotated[AwareDatetime, AfterValidator(_portal_moment)]
#: Dates the service centre accepts (the yyMMdd of a dossier code repeats every century).
PortalDate = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2099, 12, 31))]
#: A database id in a path (bigint).
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]
#: A national status code of a dossier, 1-10.
StatusCode = Annotated[int, Field(ge=1, le=10)]


class Error(Schema):
    detail: str


class FieldError(Schema):
    field: str
    message: str


class BadRequest(Schema):
    detail: str
    errors: list[FieldError] = []


#: The error responses every authenticated endpoint may give.
READ_ERRORS = {400: BadRequest, 401: Error, 403: Error, 404: Error, 429: Error}
WRITE_ERRORS = {**READ_ERRORS, 409: Error}
