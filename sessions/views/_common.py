"""What the view modules share: who may do what, the session lookups, calling a service with its refusals shown."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from .. import selectors, services
from ..models import Session
from ..permissions import COMMENTERS, EDITORS

__all__ = ["COMMENTERS", "EDITORS", "ServiceCall", "run_service"]


def _visible(request, pk) -> Session:
    return get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)


def _editable(request, pk) -> Session:
    return get_object_or_404(selectors.sessions_editable_by(request.user), pk=pk)


def _refused(request, exc) -> None:
    for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
        messages.error(request, message)


@dataclass(frozen=True)
class ServiceCall:
    """What :func:`run_service` did: ``ok`` (also its truth value) and, when it is true, the service's result."""

    ok: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.ok


def run_service(request, service, /, **kwargs) -> ServiceCall:
    """Call ``service(**kwargs)``. A refusal (:class:`~sessions.services.SessionError` or ``ValidationError``) is
    shown to the user as error messages and gives a false result instead of raising; anything else propagates."""
    try:
        value = service(**kwargs)
    except (services.SessionError, ValidationError) as exc:
        _refused(request, exc)
        return ServiceCall(ok=False)
    return ServiceCall(ok=True, value=value)
