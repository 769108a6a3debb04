"""The API's errors: one JSON shape, ``{"detail": message}``, with ``errors`` (field by field) for a 400."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from pilot_portal.core.workflow import DomainError


class Forbidden(PermissionDenied):
    """The token's user may not do this (their role), whatever the object."""


class Conflict(Exception):
    """The request cannot be carried out on the object as it is now (409); the message is for the caller."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _field(loc) -> str:
    """``("body", "payload", "applicant", "name")`` -> ``"applicant.name"``; query parameters keep their name."""
    parts = [str(part) for part in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts[:1] in (["query"], ["path"]):
        parts = parts[1:]
    return ".".join(parts)


def field_errors(errors) -> list[dict]:
    return [{"field": _field(error.get("loc", ())), "message": str(error.get("msg", ""))} for error in errors]


#: Model fields under the names the API's bodies give them.
_MODEL_FIELDS = {
    "applicant_name": "applicant.name",
    "applicant_id_number": "applicant.id_number",
    "applicant_phone": "applicant.phone",
    "applicant_address": "applicant.address",
}


def install(api) -> None:
    """Map every expected error to its status; anything else is a bug and is left to Django (a logged 500)."""

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return api.create_response(
            request, {"detail": _("The request is not valid."), "errors": field_errors(exc.errors)}, status=400
        )

    @api.exception_handler(ModelValidationError)
    def model_invalid(request, exc):
        # A model's own validators (``full_clean`` in the services), e.g. a CCCD whose birth year is in the future.
        errors = [
            {"field": _MODEL_FIELDS.get(name, name) if name != "__all__" else "", "message": str(message)}
            for name, messages in (
                exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            ).items()
            for message in messages
        ]
        return api.create_response(request, {"detail": _("The request is not valid."), "errors": errors}, status=400)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if isinstance(exc, AuthenticationError):
            detail = _("A valid API token is needed: send the header “Authorization: Bearer <token>”.")
        elif isinstance(exc, Throttled):
            detail = _("Too many requests with this token: wait a moment and try again.")
        elif exc.status_code == 400 and exc.__cause__ is not None:
            # ninja's "Cannot parse request body": not JSON, or not UTF-8.
            detail = _("The body of the request is not valid JSON.")
        else:
            detail = str(exc)
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": _("Not found, or outside the scope of the token.")}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(
            request, {"detail": _("The role of the token's user does not allow this.")}, status=403
        )

    @api.exception_handler(Conflict)
    def conflict(request, exc):
        return api.create_response(request, {"detail": exc.message}, status=409)

    @api.exception_handler(DomainError)
    def refused(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=409)
