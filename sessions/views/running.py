"""Running a session: outcomes, stream viewers, comments, the run of show and item timers."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilot_portal.accounts.permissions import role_required

from .. import live, permissions, selectors, services, speech_selectors
from ..forms import CommentForm, OutcomeForm, SpeakerForm, ViewersForm
from ..models import AgendaItem, Participant, Speech
from ._common import COMMENTERS, EDITORS, _editable, _visible, run_service
from .live import _push_url


@role_required(*EDITORS)
def outcome_add(request, pk):
    session = _editable(request, pk)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recorded = run_service(request, services.outcome_add, session=session, actor=request.user, **form.cleaned_data)
        if recorded:
            messages.success(request, _("The outcome was recorded."))
            return redirect(session.get_absolute_url() + "#outcomes")
    return render(
        request,
        "council_sessions/simple_form.html",
        {"session": session, "form": form, "heading": _("Record an outcome")},
    )


@role_required(*EDITORS)
def viewers(request, pk):
    session = _editable(request, pk)
    units = selectors.stream_viewer_candidates(session)
    initial = {"units": selectors.stream_viewer_unit_ids(session)}
    form = ViewersForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        count = services.stream_viewers_set(session=session, actor=request.user, units=form.cleaned_data["units"])
        messages.success(request, _("%(count)d units followed the stream.") % {"count": count})
        return redirect(session.get_absolute_url() + "#viewers")
    return render(
        request,
        "council_sessions/simple_form.html",
        {"session": session, "form": form, "heading": _("Units that followed the stream")},
    )


@require_POST
@role_required(*COMMENTERS)
def comment_add(request, pk):
    session = _visible(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(session=session, author=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(session.get_absolute_url() + "#comments")


@role_required(*EDITORS)
def run_of_show(request, pk):
    session = _editable(request, pk)
    items = list(selectors.agenda_items(session))
    current = next((i for i in items if i.is_running), None)
    upcoming = next((i for i in items if i.started_at is None), None)
    speeches = list(speech_selectors.speeches_of(current))
    return render(
        request,
        "council_sessions/run_of_show.html",
        {
            "session": session,
            "items": items,
            "current": current,
            "upcoming": upcoming,
            "planned": sum(i.planned_minutes for i in items),
            "now": timezone.now(),
            "can_run": permissions.can_run(request.user, session),
            "speeches": speeches,
            "speaking": next((s for s in speeches if s.is_running), None),
            "speakers": list(speech_selectors.speaker_choices(session)) if current else [],
            "run_version": live.run_version(session, items, speeches),
            "events_url": _push_url(request, session),
        },
    )


@require_POST
@role_required(*EDITORS)
def item_timer(request, pk, item_pk, action):
    session = _editable(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, session=session)
    if action not in ("start", "stop"):
        raise Http404
    timer = services.agenda_item_start if action == "start" else services.agenda_item_stop
    run_service(request, timer, item=item, actor=request.user)
    return redirect("sessions:run", pk=session.pk)


@require_POST
@role_required(*EDITORS)
def speech_start(request, pk, item_pk):
    """Invite a participant (``participant`` in the form) to speak on the running item."""
    session = _editable(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, session=session)
    form = SpeakerForm(request.POST, participants=Participant.objects.filter(session=session))
    if not form.is_valid():
        messages.error(request, _("Choose who speaks from the participants."))
    else:
        participant = form.cleaned_data["participant"]
        run_service(request, services.speech_start, item=item, participant=participant, actor=request.user)
    return redirect("sessions:run", pk=session.pk)


@require_POST
@role_required(*EDITORS)
def speech_stop(request, pk, speech_pk):
    session = _editable(request, pk)
    speech = get_object_or_404(Speech, pk=speech_pk, item__session=session)
    run_service(request, services.speech_stop, speech=speech, actor=request.user)
    return redirect("sessions:run", pk=session.pk)
