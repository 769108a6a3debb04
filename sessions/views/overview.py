"""Reading sessions: the list, the calendar, the session page and the printable pages."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.accounts.permissions import role_required

from .. import permissions, selectors, services, speech_selectors
from ..forms import CommentForm, SessionFilterForm, SessionForm
from ..models import Session
from ._common import _visible


def _filtered(request):
    form = SessionFilterForm(request.GET or None, units=selectors.units_for_filter(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    sessions = selectors.session_list(
        user=request.user,
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        over_budget=filters.get("over_budget", False),
        unit_code=filters.get("unit", ""),
        province_code=filters.get("province", ""),
    )
    querystring = request.GET.copy()
    for key in ("page", "month"):
        querystring.pop(key, None)
    return form, sessions, querystring.urlencode()


@role_required(*permissions.DOCUMENT_READERS)
def session_list(request):
    form, sessions, querystring = _filtered(request)
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    can_create = permissions.can_create(request.user)
    return render(
        request,
        "council_sessions/session_list.html",
        {"form": form, "page": page, "querystring": querystring, "can_create": can_create},
    )


def _month_param(value: str) -> dt.date | None:
    """The first day of ``?month=YYYY-MM``, or None when it is missing, malformed or outside the years a session
    can have (a far-off year would overflow the previous/next month links)."""
    try:
        month = dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None
    return month if SessionForm.MIN_YEAR <= month.year <= SessionForm.MAX_YEAR else None


@role_required()
def session_calendar(request):
    form, sessions, querystring = _filtered(request)
    today = timezone.localdate()
    month = _month_param(request.GET.get("month", ""))
    if month is None:
        month = selectors.calendar_default_month(sessions=sessions, today=today)
    weeks = selectors.month_calendar(sessions=sessions, year=month.year, month=month.month)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "council_sessions/session_calendar.html",
        {
            "form": form,
            "weeks": weeks,
            "month": month,
            "previous": previous,
            "following": following,
            "querystring": querystring,
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        },
    )


@role_required(*permissions.DOCUMENT_READERS)
def session_detail(request, pk):
    try:
        session = selectors.session_detail(user=request.user, pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None
    rows = selectors.agenda_rows(session)
    flags = permissions.session_flags(request.user, session)
    can_edit = flags["can_edit"]
    context = {
        "session": session,
        "rows": rows,
        "planned": session.planned_minutes,
        "over_budget": session.planned_minutes > session.budget_minutes,
        "estimated_end": session.scheduled_start + dt.timedelta(minutes=session.planned_minutes),
        "quorum": selectors.quorum_of(session.participants.all(), kind=session.kind),
        **flags,
        "comment_form": CommentForm(),
        "next_statuses": [s for s in services.ALLOWED_TRANSITIONS[session.status] if s != Session.Status.CLOSED]
        if can_edit
        else [],
        "publish_problems": selectors.publish_problems(session)
        if can_edit and session.status == Session.Status.DRAFT
        else [],
    }
    return render(request, "council_sessions/session_detail.html", context)


@role_required()
def programme_print(request, pk):
    try:
        session = selectors.session_detail(user=request.user, pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None
    return render(
        request, "council_sessions/programme_print.html", {"session": session, "rows": selectors.agenda_rows(session)}
    )


@role_required()
def minutes_print(request, pk):
    try:
        session = selectors.session_detail(user=request.user, pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "council_sessions/minutes_print.html",
        {
            "session": speech_selectors.with_speeches(session),
            "quorum": selectors.quorum_of(session.participants.all(), kind=session.kind),
        },
    )


@role_required()
def invitations_print(request, pk):
    """The printable invitation list: the invited delegates, members and guests with position and group."""
    session = _visible(request, pk)
    people = selectors.invited_participants(session)
    return render(request, "council_sessions/invitations_print.html", {"session": session, "people": people})
