"""Corrections: editing and removing participants, outcomes and documents."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pilot_portal.accounts.permissions import role_required

from .. import selectors, services
from ..forms import DocumentEditForm, DocumentRemoveForm, OutcomeForm, ParticipantForm
from ..models import Document, Outcome, Participant
from ._common import EDITORS, _editable, run_service

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
        saved = run_service(
            request, services.participant_update, participant=participant, actor=request.user, **form.cleaned_data
        )
        if saved:
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
        saved = run_service(request, services.outcome_update, outcome=outcome, actor=request.user, **form.cleaned_data)
        if saved:
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


@role_required(*EDITORS)
def document_edit(request, pk, document_pk):
    session = _editable(request, pk)
    document = get_object_or_404(Document, pk=document_pk, session=session)
    back_url = session.get_absolute_url() + "#documents"
    if request.method != "POST" and _closed_to_changes(request, session, "documents"):
        return redirect(session)
    subject = document.title
    linked = selectors.linked_agenda_item_ids(document)
    form = DocumentEditForm(
        request.POST or None,
        instance=document,
        agenda_items=selectors.agenda_items(session),
        initial={"agenda_items": linked},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            services.document_update,
            document=document,
            actor=request.user,
            kind=data["kind"],
            title=data["title"],
            is_required=data["is_required"],
            agenda_items=data["agenda_items"],
        ):
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
    versions = selectors.document_versions(document)
    agenda = ", ".join(f"{item.order}. {item.title}" for item in selectors.linked_agenda_items(document))
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
