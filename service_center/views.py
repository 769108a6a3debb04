"""The clerk's screens: queue and search, intake, dossier page with its actions, statistics."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilot_portal.accounts.models import User
from pilot_portal.accounts.permissions import role_required
from pilot_portal.core.links import public_url

from . import permissions, selectors, services
from .calendar import calendar
from .forms import ApologyForm, HandoverForm, IntakeForm, QueueForm, TransitionForm
from .models import DESTRUCTIVE_STATUSES, Dossier, Status
from .permissions import WORK_ROLES
from .printing import qr_svg
from .rating import rating_path


def _visible(user, code) -> Dossier:
    try:
        return selectors.dossier_detail(user=user, code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _editable(user, code) -> Dossier:
    dossier = Dossier.objects.editable_by(user).filter(code=code).first()
    if dossier is None:
        raise Http404
    return dossier


@role_required()
def queue(request):
    form = QueueForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    current = filters.get("queue") or "open"
    dossiers = selectors.dossier_queue(user=request.user, queue=current, query=filters.get("q", ""))
    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "service_center/queue.html",
        {
            "form": form,
            "page": page,
            "current": current,
            "now": timezone.now(),
            "querystring": querystring.urlencode(),
            "queues": form.fields["queue"].choices,
            "can_receive": permissions.can_receive(request.user),
        },
    )


@role_required(*WORK_ROLES)
def intake(request):
    unit = request.user.unit
    if unit is None:
        raise PermissionDenied
    due_at = None
    missing_papers = []
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            due_at = calendar().due_at(
                received_at=data["received_at"],
                time_limit=data["procedure"].time_limit,
                time_unit=data["procedure"].time_unit,
            )
            ticked = set(data["papers"])
            missing_papers = [p for p in form.fields["papers"].queryset if p.is_required and p not in ticked]
            # Save only what the clerk has seen: the due date shown must be the one computed now.
            if "confirm" in request.POST and request.POST.get("previewed_due") != due_at.isoformat():
                messages.warning(request, _("The due date has changed: check it and confirm again."))
            elif "confirm" in request.POST:
                try:
                    dossier = services.dossier_receive(
                        unit=unit,
                        procedure=data["procedure"],
                        applicant=services.Applicant(
                            name=data["applicant_name"],
                            id_number=data["applicant_id_number"],
                            phone=data["applicant_phone"],
                            address=data["applicant_address"],
                            email=data["applicant_email"],
                            notices_consent=data["notices_consent"],
                        ),
                        actor=request.user,
                        channel=data["channel"],
                        received_at=data["received_at"],
                        is_test=data["is_test"],
                        from_district_backlog=data["from_district_backlog"],
                        intake_token=data["token"],
                        papers=data["papers"],
                        fee_collected=data["fee_collected"],
                        fee_receipt_number=data["fee_receipt_number"],
                        result_delivery=data["result_delivery"],
                        delivery_address=data["delivery_address"],
                    )
                except services.IntakeFormUsed as exc:
                    messages.error(request, str(exc))
                    # What was typed stays; a fresh token makes the next confirm receive a new dossier.
                    form.data = form.data.copy()
                    form.data["token"] = str(uuid.uuid4())
                except services.DossierError as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(request, _("Dossier %(code)s received.") % {"code": dossier.code})
                    return redirect(dossier)
    else:
        # ``?procedure=`` preselects the procedure (the page reloads its checklist so when the clerk changes it).
        form = IntakeForm(
            initial={
                "token": uuid.uuid4(),
                "received_at": timezone.localtime().replace(second=0, microsecond=0),
                "procedure": request.GET.get("procedure"),
            }
        )
        if form.chosen_procedure is not None:
            form.initial["fee_collected"] = form.chosen_procedure.fee
    context = {
        "form": form,
        "due_at": due_at,
        "unit": unit,
        "already_due": bool(due_at and due_at <= timezone.now()),
        "missing_papers": missing_papers,
    }
    return render(request, "service_center/intake.html", context)


def _officers(dossier):
    return User.objects.filter(unit_id=dossier.unit_id, role__in=WORK_ROLES, is_active=True).order_by(
        "first_name", "username"
    )


def _detail_page(request, dossier, *, apology_form=None, handover_form=None, transition_data=None):
    """The dossier page; after a refused action it shows the forms as filled in, so no input is lost."""
    now = timezone.now()
    flags = permissions.dossier_flags(request.user, dossier, now)
    events = list(selectors.dossier_timeline(dossier=dossier))
    targets = [Status(s) for s in dossier.allowed_targets()] if flags["can_move"] else []
    rating = getattr(dossier, "rating", None)  # select_related by dossier_detail; absent: AttributeError
    # The link that lets someone rate is the counter's tool: shown to those who work on the dossier.
    may_offer = flags["can_work_on"] and dossier.can_be_rated and not rating
    rating_url = public_url(rating_path(dossier), request=request) if may_offer else ""
    return render(
        request,
        "service_center/detail.html",
        {
            "dossier": dossier,
            "events": events,
            "printable": permissions.printable_forms(dossier, events),
            **flags,
            "targets": targets,
            "papers": list(dossier.papers.all()),
            # The checklist of the supplement request: the procedure's papers, the ticks kept after a refusal.
            "supplement_choices": list(dossier.procedure.papers.all()) if Status.SUPPLEMENT in targets else [],
            "supplement_items": selectors.supplement_items(dossier),
            "apology_form": apology_form or ApologyForm(),
            "handover_form": handover_form or HandoverForm(officers=_officers(dossier)),
            "transition": transition_data or {},
            "now": now,
            "citizen_notices": list(dossier.notices.order_by("created_at", "id")),
            "dossier_rating": rating,
            "rating_url": rating_url,
            "rating_qr": qr_svg(rating_url) if rating_url else "",
        },
    )


@role_required()
def detail(request, code):
    return _detail_page(request, _visible(request.user, code))


@require_POST
@role_required(*WORK_ROLES)
def transition(request, code):
    dossier = _editable(request.user, code)
    form = TransitionForm(request.POST)
    supplement_papers = request.POST.getlist("supplement_papers")
    typed = {
        "note": request.POST.get("note", ""),
        "result": request.POST.get("result", ""),
        "supplement_papers": supplement_papers,
    }
    if not form.is_valid():
        messages.error(request, _("Choose a valid action."))
        return _detail_page(request, _visible(request.user, code), transition_data=typed)
    to = form.cleaned_data["to"]
    try:
        services.check_supplement_target(to=to, supplement_papers=supplement_papers)
    except services.DossierError as exc:
        messages.error(request, str(exc))
        return _detail_page(request, _visible(request.user, code), transition_data=typed)
    if to in DESTRUCTIVE_STATUSES and not form.cleaned_data["confirmed"]:
        # Refusing, a withdrawal and stopping end the dossier: the clerk reads what will happen and confirms.
        return render(
            request,
            "service_center/confirm_transition.html",
            {"dossier": _visible(request.user, code), "target": Status(to), **typed},
        )
    try:
        services.dossier_transition(
            dossier=dossier,
            to=form.cleaned_data["to"],
            actor=request.user,
            note=form.cleaned_data["note"],
            result=form.cleaned_data["result"],
            supplement_papers=supplement_papers,
        )
    except services.DossierError as exc:
        messages.error(request, str(exc))
        return _detail_page(request, _visible(request.user, code), transition_data=typed)
    messages.success(request, _("The dossier is now “%(status)s”.") % {"status": Status(form.cleaned_data["to"]).label})
    return redirect(dossier)


@require_POST
@role_required(*WORK_ROLES)
def apology(request, code):
    dossier = _editable(request.user, code)
    form = ApologyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _detail_page(request, _visible(request.user, code), apology_form=form)
    try:
        services.dossier_apologize(
            dossier=dossier,
            new_due_at=form.cleaned_data["new_due_at"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.DossierError as exc:
        messages.error(request, str(exc))
        return _detail_page(request, _visible(request.user, code), apology_form=form)
    messages.success(request, _("The apology with the new date is recorded; print form 04."))
    return redirect(dossier)


@require_POST
@role_required(*WORK_ROLES)
def handover(request, code):
    dossier = _editable(request.user, code)
    form = HandoverForm(request.POST, officers=_officers(dossier))
    if not form.is_valid():
        messages.error(request, _("Choose an officer of the unit."))
        return _detail_page(request, _visible(request.user, code), handover_form=form)
    try:
        services.dossier_hand_over(
            dossier=dossier, to_user=form.cleaned_data["to_user"], actor=request.user, note=form.cleaned_data["note"]
        )
    except services.DossierError as exc:
        messages.error(request, str(exc))
        return _detail_page(request, _visible(request.user, code), handover_form=form)
    messages.success(request, _("The hand-over is recorded."))
    return redirect(dossier)
