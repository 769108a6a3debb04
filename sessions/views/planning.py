"""Creating and editing a session, its agenda and its participants."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pilot_portal.accounts.permissions import role_required
from units.models import Unit

from .. import selectors, services
from ..config import session_budget_limit
from ..forms import AgendaFormSet, AttendanceForm, ParticipantsForm, SessionForm, UnitChoiceForm
from ._common import EDITORS, _editable, run_service


@role_required(*EDITORS)
def session_create(request):
    unit = request.user.unit
    if unit is None:
        # Superusers choose the unit through ?unit=<code>.
        chosen = UnitChoiceForm(request.GET)
        if not chosen.is_valid():
            raise Http404
        unit = get_object_or_404(Unit, code=chosen.cleaned_data["unit"])
    limit = session_budget_limit(unit=unit, scheduled_start=None)
    form = SessionForm(request.POST or None, creating=True, limit=limit)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        use_template = data.pop("use_template")
        create = services.session_create_from_template if use_template else services.session_create
        created = run_service(request, create, unit=unit, actor=request.user, **data)
        if created:
            messages.success(request, _("The %(noun)s was created.") % created.value.wording)
            return redirect(created.value)
    return render(request, "council_sessions/session_form.html", {"form": form, "unit": unit})


@role_required(*EDITORS)
def session_edit(request, pk):
    session = _editable(request, pk)
    limit = session_budget_limit(unit=session.unit, scheduled_start=session.scheduled_start)
    form = SessionForm(request.POST or None, instance=session, limit=limit)
    if request.method == "POST" and form.is_valid():
        saved = run_service(request, services.session_update, session=session, actor=request.user, **form.cleaned_data)
        if saved:
            messages.success(request, _("The %(noun)s was saved.") % session.wording)
            return redirect(session)
    context = {"form": form, "unit": session.unit, "session": session}
    return render(request, "council_sessions/session_form.html", context)


@role_required(*EDITORS)
def agenda_edit(request, pk):
    session = _editable(request, pk)
    items = selectors.agenda_items(session)
    initial = [
        {"pk": i.pk, "order": i.order, "title": i.title, "presenter": i.presenter, "planned_minutes": i.planned_minutes}
        for i in items
    ]
    formset = AgendaFormSet(request.POST or None, initial=initial, prefix="agenda")
    if request.method == "POST" and formset.is_valid():
        rows = []
        for f in formset.forms:
            data = f.cleaned_data
            if not data:  # an extra row left empty
                continue
            if data.get("DELETE"):
                # A row marked for deletion is not validated: only its pk matters (its title may be empty).
                if data.get("pk"):
                    rows.append(services.AgendaRowInput(pk=data["pk"], title="", planned_minutes=0, delete=True))
                continue
            rows.append(
                services.AgendaRowInput(
                    pk=data.get("pk"),
                    order=data.get("order"),
                    title=data["title"],
                    presenter=data.get("presenter", ""),
                    planned_minutes=data["planned_minutes"],
                )
            )
        saved = run_service(request, services.agenda_save, session=session, actor=request.user, rows=rows)
        if saved:
            if saved.value:  # over budget
                messages.warning(
                    request, _("The agenda was saved, but it is over the time budget: it cannot be published yet.")
                )
            else:
                messages.success(request, _("The agenda was saved."))
            return redirect(session)
    return render(request, "council_sessions/agenda_form.html", {"session": session, "formset": formset})


@role_required(*EDITORS)
def participants(request, pk):
    session = _editable(request, pk)
    people = list(selectors.participants_of(session))
    add_form = ParticipantsForm(request.POST if "add" in request.POST else None)
    attendance_forms = [
        (
            p,
            AttendanceForm(
                request.POST if "attendance" in request.POST else None,
                prefix=f"p{p.pk}",
                initial={"attendance": p.attendance, "absence_reason": p.absence_reason},
            ),
        )
        for p in people
    ]
    if request.method == "POST":
        if "add" in request.POST and add_form.is_valid():
            if run_service(
                request,
                services.participants_add,
                session=session,
                actor=request.user,
                lines=add_form.cleaned_data["lines"],
                is_member=add_form.cleaned_data["is_member"],
            ):
                messages.success(request, _("The participants were added."))
                return redirect("sessions:participants", pk=session.pk)
        elif "attendance" in request.POST and all(f.is_valid() for _p, f in attendance_forms):
            marks = {
                p.pk: (f.cleaned_data["attendance"], f.cleaned_data["absence_reason"]) for p, f in attendance_forms
            }
            if run_service(request, services.attendance_record, session=session, actor=request.user, marks=marks):
                messages.success(request, _("Attendance was saved."))
                return redirect("sessions:participants", pk=session.pk)
    return render(
        request,
        "council_sessions/participants.html",
        {
            "session": session,
            "add_form": add_form,
            "attendance_forms": attendance_forms,
            "quorum": selectors.quorum_of(people, kind=session.kind),
            "can_change": not services.changes_refused(session=session, what="participants"),
        },
    )
