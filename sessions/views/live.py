"""The live follow page of a session, its JSON state and its server-sent events.

Open to the users of the session's province (and national viewers, superusers); to anyone, signed in or not, when
the stream is public. That is why these views are ``login_not_required``: for a stream that is not public they
send an anonymous visitor to the login page themselves, as the login middleware would.
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from pilot_portal.accounts.permissions import ANY_ROLE, user_has_role

from .. import live, push, services
from ..models import Session


def _follow(request, pk) -> tuple[Session | None, HttpResponse | None]:
    """The session the request may follow, or the refusal to send: the login page (anonymous), 403 (no role),
    404 (outside the user's province)."""
    user = request.user
    if user.is_authenticated and user_has_role(user, ANY_ROLE):
        session = live.sessions_followable_by(user).filter(pk=pk).first()
        if session is not None:
            return session, None
    session = live.public_session(pk)
    if session is not None:
        return session, None
    if not user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if not user_has_role(user, ANY_ROLE):
        raise PermissionDenied
    raise Http404


def _push_url(request, session: Session) -> str:
    """The events' address when pushes work here (Redis configured, served by the ASGI server), else ""."""
    if push.enabled() and isinstance(request, ASGIRequest):
        return reverse("sessions:live_events", args=[session.pk])
    return ""


@login_not_required
@never_cache
def live_page(request, pk):
    session, refusal = _follow(request, pk)
    if refusal:
        return refusal
    user = request.user
    if user.is_authenticated and user.is_unit_user and session.status == Session.Status.IN_PROGRESS:
        services.stream_viewer_add(session=session, unit=user.unit)
    return render(
        request,
        "council_sessions/live.html",
        {
            "session": session,
            "state": live.live_state(session),
            "events_url": _push_url(request, session),
            "can_see_session": Session.objects.visible_to(user).filter(pk=session.pk).exists(),
        },
    )


@login_not_required
@never_cache
def live_state(request, pk):
    session, refusal = _follow(request, pk)
    if refusal:
        return refusal
    return JsonResponse(live.live_state(session), json_dumps_params={"ensure_ascii": False})


@login_not_required
@never_cache
def live_events(request, pk):
    """Server-sent events (``text/event-stream``); 204 (the page then polls) when they do not work here: without
    Redis or outside the ASGI server, where a never-ending response would hold a worker."""
    session, refusal = _follow(request, pk)
    if refusal:
        return refusal
    if not _push_url(request, session):
        return HttpResponse(status=204)
    # The stream reads nothing from the database: give this request's connection back now, not when the stream
    # ends (every open page would otherwise hold a PostgreSQL connection).
    connections.close_all()
    response = StreamingHttpResponse(push.events(session.pk), content_type="text/event-stream")
    response["X-Accel-Buffering"] = "no"
    return response
