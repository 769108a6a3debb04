"""Status changes of a session, closing included."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilot_portal.accounts.permissions import role_required

from .. import services
from ..forms import CloseForm, TransitionForm
from ..models import Session
from ._common import EDITORS, _editable, run_service


@require_POST
@role_required(*EDITORS)
def session_transition(request, pk):
    session = _editable(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        if form.has_error("to"):
            messages.error(request, _("Unknown status."))
        for error in form.errors.get("note", []):
            messages.error(request, f"{form.fields['note'].label}: {error}")
        return redirect(session)
    to, note = form.cleaned_data["to"], form.cleaned_data["note"]
    if not run_service(request, services.session_transition, session=session, to=to, actor=request.user, note=note):
        return redirect(session)
    messages.success(
        request, _("The %(noun)s is now “%(status)s”.") % {**session.wording, "status": Session.Status(to).label}
    )
    if to == Session.Status.IN_PROGRESS:
        return redirect("sessions:run", pk=session.pk)
    return redirect(session)


@role_required(*EDITORS)
def session_close(request, pk):
    session = _editable(request, pk)
    form = CloseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            services.session_close,
            session=session,
            actor=request.user,
            minutes_summary=data["minutes_summary"],
            minutes_upload=data.get("minutes_file"),
            lessons_good=data["lessons_good"],
            lessons_fix=data["lessons_fix"],
        ):
            messages.success(request, _("The %(noun)s was closed.") % session.wording)
            return redirect(session)
    return render(request, "council_sessions/close_form.html", {"session": session, "form": form})
