import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilot_portal.accounts.models import Role
from pilot_portal.accounts.permissions import role_required
from pilot_portal.core.storage import file_response
from units.models import Unit

from . import selectors, services
from .forms import (
    AgendaFormSet,
    AttendanceForm,
    CloseForm,
    CommentForm,
    DocumentEditForm,
    DocumentForm,
    DocumentRemoveForm,
    DocumentVersionForm,
    OutcomeForm,
    ParticipantForm,
    ParticipantsForm,
    SessionFilterForm,
    SessionForm,
    ViewersForm,
)
from .models import AgendaItem, Document, DocumentVersion, Outcome, Participant, Session

EDITORS = (Role.UNIT_OFFICIAL,)
COMMENTERS = (Role.UNIT_OFFICIAL, Role.PROVINCE_STAFF)


def _visible(request, pk) -> Session:
    return get_object_or_404(Session.objects.visible_to(request.user).select_related("unit", "unit__province"), pk=pk)


def _editable(request, pk) -> Session:
    return get_object_or_404(Session.objects.editable_by(request.user).select_related("unit", "unit__province"), pk=pk)


def _refused(request, exc) -> None:
    for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
        messages.error(request, message)


def _can_edit(user, session) -> bool:
    return user.is_superuser or (user.role == Role.UNIT_OFFICIAL and user.unit_id == session.unit_id)


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


@role_required()
def session_list(request):
    form, sessions, querystring = _filtered(request)
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    can_create = request.user.role == Role.UNIT_OFFICIAL
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
        month = today.replace(day=1)
        if not sessions.filter(scheduled_start__date__gte=month).exists():
            latest = sessions.order_by("-scheduled_start").first()
            if latest:
                month = timezone.localtime(latest.scheduled_start).date().replace(day=1)
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


@role_required(*EDITORS)
def session_create(request):
    unit = request.user.unit
    if unit is None:
        # Superusers choose the unit through ?unit=<code>.
        unit = get_object_or_404(Unit, code=request.GET.get("unit", ""))
    form = SessionForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        use_template = data.pop("use_template")
        create = services.session_create_from_template if use_template else services.session_create
        try:
            session = create(unit=unit, actor=request.user, **data)
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The session was created."))
            return redirect(session)
    return render(request, "council_sessions/session_form.html", {"form": form, "unit": unit})


@role_required()
def session_detail(request, pk):
    try:
        session = selectors.session_detail(user=request.user, pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None
    rows = selectors.agenda_rows(session)
    can_edit = _can_edit(request.user, session)
    context = {
        "session": session,
        "rows": rows,
        "planned": session.planned_minutes,
        "over_budget": session.planned_minutes > session.budget_minutes,
        "estimated_end": session.scheduled_start + dt.timedelta(minutes=session.planned_minutes),
        "quorum": selectors.quorum_of(session.participants.all()),
        "can_edit": can_edit,
        "can_change_outcomes": can_edit and not services.changes_refused(session=session, what="outcomes"),
        "can_comment": request.user.is_superuser or request.user.role in COMMENTERS,
        "comment_form": CommentForm(),
        "next_statuses": [s for s in services.ALLOWED_TRANSITIONS[session.status] if s != Session.Status.CLOSED]
        if can_edit
        else [],
        "publish_problems": selectors.publish_problems(session)
        if can_edit and session.status == Session.Status.DRAFT
        else [],
    }
    return render(request, "council_sessions/session_detail.html", context)


@role_required(*EDITORS)
def session_edit(request, pk):
    session = _editable(request, pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, actor=request.user, **form.cleaned_data)
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect(session)
    context = {"form": form, "unit": session.unit, "session": session}
    return render(request, "council_sessions/session_form.html", context)


@role_required(*EDITORS)
def agenda_edit(request, pk):
    session = _editable(request, pk)
    items = AgendaItem.objects.filter(session=session).order_by("order", "pk")
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
        try:
            over = services.agenda_save(session=session, actor=request.user, rows=rows)
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
        else:
            if over:
                messages.warning(
                    request, _("The agenda was saved, but it is over the time budget: it cannot be published yet.")
                )
            else:
                messages.success(request, _("The agenda was saved."))
            return redirect(session)
    return render(request, "council_sessions/agenda_form.html", {"session": session, "formset": formset})


@require_POST
@role_required(*EDITORS)
def session_transition(request, pk):
    session = _editable(request, pk)
    to = request.POST.get("to", "")
    if to not in Session.Status.values:
        messages.error(request, _("Unknown status."))
        return redirect(session)
    try:
        services.session_transition(session=session, to=to, actor=request.user, note=request.POST.get("note", ""))
    except (services.SessionError, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The session is now “%(status)s”.") % {"status": Session.Status(to).label})
    if to == Session.Status.IN_PROGRESS:
        return redirect("sessions:run", pk=session.pk)
    return redirect(session)


@role_required(*EDITORS)
def document_add(request, pk):
    session = _editable(request, pk)
    items = AgendaItem.objects.filter(session=session).order_by("order", "pk")
    form = DocumentForm(request.POST or None, request.FILES or None, agenda_items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(
                session=session,
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                is_required=data["is_required"],
                upload=data.get("upload"),
                is_ready=data["is_ready"],
                agenda_items=data["agenda_items"],
            )
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The document was added."))
            return redirect(session.get_absolute_url() + "#documents")
    return render(request, "council_sessions/document_form.html", {"session": session, "form": form})


@role_required(*EDITORS)
def document_version_add(request, pk, document_pk):
    session = _editable(request, pk)
    document = get_object_or_404(Document, pk=document_pk, session=session)
    form = DocumentVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload_version(
                document=document,
                upload=form.cleaned_data["upload"],
                actor=request.user,
                mark_ready=form.cleaned_data["mark_ready"],
            )
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The new version was uploaded."))
            return redirect(session.get_absolute_url() + "#documents")
    return render(
        request, "council_sessions/document_form.html", {"session": session, "form": form, "document": document}
    )


@require_POST
@role_required(*EDITORS)
def document_ready(request, pk, document_pk):
    session = _editable(request, pk)
    document = get_object_or_404(Document, pk=document_pk, session=session)
    try:
        services.document_set_ready(document=document, ready=request.POST.get("ready") == "1", actor=request.user)
    except (services.SessionError, ValidationError) as exc:
        _refused(request, exc)
    return redirect(session.get_absolute_url() + "#documents")


def _send(file_field, name):
    return file_response(file_field, filename=name)


@role_required()
def document_download(request, version_pk):
    version = get_object_or_404(DocumentVersion.objects.visible_to(request.user), pk=version_pk)
    return _send(version.file, version.original_name)


@role_required()
def minutes_download(request, pk):
    session = _visible(request, pk)
    if not session.minutes_file:
        raise Http404
    return _send(session.minutes_file, session.minutes_file_name or "bien-ban")


@role_required(*EDITORS)
def participants(request, pk):
    session = _editable(request, pk)
    people = list(Participant.objects.filter(session=session).order_by("pk"))
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
        try:
            if "add" in request.POST and add_form.is_valid():
                services.participants_add(
                    session=session,
                    actor=request.user,
                    lines=add_form.cleaned_data["lines"],
                    is_member=add_form.cleaned_data["is_member"],
                )
                messages.success(request, _("The participants were added."))
                return redirect("sessions:participants", pk=session.pk)
            if "attendance" in request.POST and all(f.is_valid() for _p, f in attendance_forms):
                marks = {
                    p.pk: (f.cleaned_data["attendance"], f.cleaned_data["absence_reason"]) for p, f in attendance_forms
                }
                services.attendance_record(session=session, actor=request.user, marks=marks)
                messages.success(request, _("Attendance was saved."))
                return redirect("sessions:participants", pk=session.pk)
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
    return render(
        request,
        "council_sessions/participants.html",
        {
            "session": session,
            "add_form": add_form,
            "attendance_forms": attendance_forms,
            "quorum": selectors.quorum_of(people),
            "can_change": not services.changes_refused(session=session, what="participants"),
        },
    )


@role_required(*EDITORS)
def outcome_add(request, pk):
    session = _editable(request, pk)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_add(session=session, actor=request.user, **form.cleaned_data)
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
        else:
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
    units = Unit.objects.filter(province_id=session.unit.province_id).exclude(pk=session.unit_id).order_by("name")
    initial = {"units": list(session.stream_viewers.values_list("unit_id", flat=True))}
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
    items = list(AgendaItem.objects.filter(session=session).order_by("order", "pk"))
    current = next((i for i in items if i.is_running), None)
    upcoming = next((i for i in items if i.started_at is None), None)
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
        },
    )


@require_POST
@role_required(*EDITORS)
def item_timer(request, pk, item_pk, action):
    session = _editable(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, session=session)
    if action not in ("start", "stop"):
        raise Http404
    try:
        if action == "start":
            services.agenda_item_start(item=item, actor=request.user)
        else:
            services.agenda_item_stop(item=item, actor=request.user)
    except (services.SessionError, ValidationError) as exc:
        _refused(request, exc)
    return redirect("sessions:run", pk=session.pk)


@role_required(*EDITORS)
def session_close(request, pk):
    session = _editable(request, pk)
    form = CloseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_close(
                session=session,
                actor=request.user,
                minutes_summary=data["minutes_summary"],
                minutes_upload=data.get("minutes_file"),
                lessons_good=data["lessons_good"],
                lessons_fix=data["lessons_fix"],
            )
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The session was closed."))
            return redirect(session)
    return render(request, "council_sessions/close_form.html", {"session": session, "form": form})


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
        {"session": session, "quorum": selectors.quorum_of(session.participants.all())},
    )


@role_required()
def invitations_print(request, pk):
    """The printable invitation list: the invited delegates, members and guests with position and group."""
    session = _visible(request, pk)
    people = Participant.objects.filter(session=session, is_invited=True).order_by("pk")
    return render(request, "council_sessions/invitations_print.html", {"session": session, "people": people})


# --- corrections: edit and remove participants, outcomes and documents ----------------------------------------------
#
# Same people and statuses as adding them; the services check the status again under the row lock. A page opened
# when the status no longer allows the change sends back to the session with the reason.


def _closed_to_changes(request, session, what) -> bool:
    reason = services.changes_refused(session=session, what=what)
    if reason:
        messages.error(request, reason)
    return bool(reason)


def _edit_page(request, session, form, *, heading, subject, back_url):
    return render(
        request,
        "council_sessions/simple_form.html",
        {"session": session, "form": form, "heading": heading, "subject": subject, "back_url": back_url},
    )


def _remove_page(request, session, *, heading, question, details, back_url, blocked="", problem="", versions=()):
    """The confirmation of a removal; the removal itself is the POST of its form."""
    return render(
        request,
        "council_sessions/confirm_remove.html",
        {
            "session": session,
            "heading": heading,
            "question": question,
            "details": details,
            "back_url": back_url,
            "blocked": blocked,
            "problem": problem or blocked,
            "versions": versions,
        },
    )


def _participant_details(participant):
    return [
        (_("Full name"), participant.name),
        (_("Position"), participant.position),
        (_("Delegate group"), participant.delegate_group),
        (_("Counts for quorum"), _("Yes") if participant.is_member else _("No (guest)")),
        (_("Attendance"), participant.get_attendance_display()),
    ]


@role_required(*EDITORS)
def participant_edit(request, pk, participant_pk):
    session = _editable(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, session=session)
    back_url = reverse("sessions:participants", args=[session.pk])
    if request.method != "POST" and _closed_to_changes(request, session, "participants"):
        return redirect(session)
    name = participant.name
    form = ParticipantForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(participant=participant, actor=request.user, **form.cleaned_data)
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The participant was saved."))
            return redirect(back_url)
    return _edit_page(request, session, form, heading=_("Edit a participant"), subject=name, back_url=back_url)


@role_required(*EDITORS)
def participant_remove(request, pk, participant_pk):
    session = _editable(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, session=session)
    back_url = reverse("sessions:participants", args=[session.pk])
    problem = ""
    if request.method == "POST":
        try:
            services.participant_remove(participant=participant, actor=request.user)
        except services.SessionError as exc:
            problem = str(exc)
        else:
            messages.success(request, _("“%(name)s” was removed from the participants.") % {"name": participant.name})
            return redirect(back_url)
    return _remove_page(
        request,
        session,
        heading=_("Remove a participant"),
        question=_("Remove “%(name)s” from the participants of this session? Their attendance mark goes with them.")
        % {"name": participant.name},
        details=_participant_details(participant),
        back_url=back_url,
        blocked=services.changes_refused(session=session, what="participants"),
        problem=problem,
    )


def _outcome_details(outcome):
    return [
        (_("Number"), outcome.number),
        (_("Title"), outcome.title),
        (
            _("Votes (for / against / abstain)"),
            f"{outcome.votes_for} / {outcome.votes_against} / {outcome.votes_abstain}",
        ),
        (_("Result"), _("Adopted") if outcome.adopted else _("Not adopted")),
    ]


@role_required(*EDITORS)
def outcome_edit(request, pk, outcome_pk):
    session = _editable(request, pk)
    outcome = get_object_or_404(Outcome, pk=outcome_pk, session=session)
    back_url = session.get_absolute_url() + "#outcomes"
    if request.method != "POST" and _closed_to_changes(request, session, "outcomes"):
        return redirect(session)
    subject = str(outcome)
    form = OutcomeForm(request.POST or None, instance=outcome)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_update(outcome=outcome, actor=request.user, **form.cleaned_data)
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The outcome was saved."))
            return redirect(back_url)
    return _edit_page(request, session, form, heading=_("Edit an outcome"), subject=subject, back_url=back_url)


@role_required(*EDITORS)
def outcome_remove(request, pk, outcome_pk):
    session = _editable(request, pk)
    outcome = get_object_or_404(Outcome, pk=outcome_pk, session=session)
    back_url = session.get_absolute_url() + "#outcomes"
    problem = ""
    if request.method == "POST":
        try:
            services.outcome_remove(outcome=outcome, actor=request.user)
        except services.SessionError as exc:
            problem = str(exc)
        else:
            messages.success(request, _("The outcome “%(title)s” was removed.") % {"title": outcome})
            return redirect(back_url)
    return _remove_page(
        request,
        session,
        heading=_("Remove an outcome"),
        question=_("Remove the outcome “%(title)s” from this session?") % {"title": outcome},
        details=_outcome_details(outcome),
        back_url=back_url,
        blocked=services.changes_refused(session=session, what="outcomes"),
        problem=problem,
    )


def _session_agenda(session):
    return AgendaItem.objects.filter(session=session).order_by("order", "pk")


@role_required(*EDITORS)
def document_edit(request, pk, document_pk):
    session = _editable(request, pk)
    document = get_object_or_404(Document, pk=document_pk, session=session)
    back_url = session.get_absolute_url() + "#documents"
    if request.method != "POST" and _closed_to_changes(request, session, "documents"):
        return redirect(session)
    subject = document.title
    linked = list(document.agenda_items.values_list("pk", flat=True))
    form = DocumentEditForm(
        request.POST or None, instance=document, agenda_items=_session_agenda(session), initial={"agenda_items": linked}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_update(
                document=document,
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                is_required=data["is_required"],
                agenda_items=data["agenda_items"],
            )
        except (services.SessionError, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The document was saved."))
            return redirect(back_url)
    return _edit_page(request, session, form, heading=_("Edit a document"), subject=subject, back_url=back_url)


@role_required(*EDITORS)
def document_remove(request, pk, document_pk):
    session = _editable(request, pk)
    document = get_object_or_404(Document, pk=document_pk, session=session)
    back_url = session.get_absolute_url() + "#documents"
    problem = ""
    if request.method == "POST":
        confirmation = DocumentRemoveForm(request.POST)
        try:
            removed_files = services.document_remove(
                document=document, actor=request.user, confirmed_files=confirmation.confirmed_files()
            )
        except services.SessionError as exc:
            problem = str(exc)
        else:
            if removed_files:
                messages.success(
                    request,
                    _("The document “%(title)s” and its uploaded files (%(count)d) were removed.")
                    % {"title": document.title, "count": removed_files},
                )
            else:
                messages.success(request, _("The document “%(title)s” was removed.") % {"title": document.title})
            return redirect(back_url)
    versions = list(DocumentVersion.objects.filter(document=document).select_related("uploaded_by").order_by("number"))
    agenda = ", ".join(f"{item.order}. {item.title}" for item in document.agenda_items.order_by("order", "pk"))
    return _remove_page(
        request,
        session,
        heading=_("Remove a document"),
        question=_("Remove the document “%(title)s” from this session?") % {"title": document.title},
        details=[
            (_("Title"), document.title),
            (_("Kind"), document.get_kind_display()),
            (_("Required"), _("Yes") if document.is_required else _("No")),
            (_("Agenda items"), agenda),
        ],
        back_url=back_url,
        blocked=services.document_removal_refused(session=session, document=document),
        problem=problem,
        versions=versions,
    )
