"""What the view modules share: who may do what, the session lookups, the refusal messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from pilot_portal.accounts.models import Role

from .. import selectors
from ..models import Session

EDITORS = (Role.UNIT_OFFICIAL,)
COMMENTERS = (Role.UNIT_OFFICIAL, Role.PROVINCE_STAFF)


def _visible(request, pk) -> Session:
    return get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)


def _editable(request, pk) -> Session:
    return get_object_or_404(selectors.sessions_editable_by(request.user), pk=pk)


def _refused(request, exc) -> None:
    for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
        messages.error(request, message)


def _can_edit(user, session) -> bool:
    return user.is_superuser or (user.role == Role.UNIT_OFFICIAL and user.unit_id == session.unit_id)
