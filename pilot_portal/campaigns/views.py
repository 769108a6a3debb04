from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from pilot_portal.accounts.models import Role
from pilot_portal.accounts.permissions import role_required
from pilot_portal.campaigns.models import (
    Block,
    Campaign,
    CampaignUnit,
    ChecklistItem,
    ReadinessSnapshot,
)
from pilot_portal.campaigns.services import CampaignError
from pilot_portal.core.collation import sort_key
from pilot_portal.core.storage import file_response
from units.models import Unit

from . import permissions, selectors, services
from .excel import national_overview_workbook, review_report_workbook
from .forms import (
    AsOfForm,
    GoLiveForm,
    ItemUpdateForm,
    TransitionForm,
)
from .snapshots import readiness_trend, trend_chart

ANY_PORTAL_ROLE = permissions.READERS


def _as_of(request):
    """The day the page looks at (?on=YYYY-MM-DD), today by default; a bad date is a message, not an error."""
    form = AsOfForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        if form.has_error("on", "out_of_range"):
            messages.error(request, _("%(error)s Showing today.") % {"error": " ".join(form.errors["on"])})
        else:
            messages.error(request, _("The date is not valid; showing today."))
        return form, selectors.today()
    on = form.cleaned_data.get("on") if form.is_bound else None
    return form, on or selectors.today()


def _as_of_context(as_of_form, on) -> dict:
    """What the pages show about the day they look at: a past day's figures are as of the end of that day."""
    return {
        "as_of_form": as_of_form,
        "on": on,
        "as_of_past": selectors.as_of_moment(on) is not None,
        "generated_at": timezone.now(),
    }


def _campaign(request, pk) -> Campaign:
    try:
        return selectors.campaign_for_dashboard(user=request.user, pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def _campaign_unit(request, pk, *, editable=False) -> CampaignUnit:
    try:
        campaign_unit = selectors.campaign_unit_for_user(user=request.user, pk=pk)
    except CampaignUnit.DoesNotExist:
        raise Http404 from None
    if editable and not CampaignUnit.objects.editable_by(request.user).filter(pk=pk).exists():
        raise Http404
    return campaign_unit


@role_required(*ANY_PORTAL_ROLE)
def campaign_index(request):
    user = request.user
    if user.is_unit_user:
        campaign_unit = CampaignUnit.objects.filter(unit_id=user.unit_id).first()
        if campaign_unit:
            return redirect("campaigns:unit", pk=campaign_unit.pk)
        return render(request, "campaigns/campaign_list.html", {"campaigns": [], "not_in_campaign": True})
    if user.is_superuser or user.is_national_viewer:
        return redirect("campaigns:national")
    campaigns = list(selectors.campaigns_visible(user=user))
    if len(campaigns) == 1:
        return redirect("campaigns:dashboard", pk=campaigns[0].pk)
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@role_required(*ANY_PORTAL_ROLE)
def campaign_dashboard(request, pk):
    campaign = _campaign(request, pk)
    as_of_form, on = _as_of(request)
    context = selectors.dashboard(campaign=campaign, user=request.user, on=on)
    unit_map = selectors.unit_map(user=request.user, on=on, province_id=campaign.province_id)
    return render(
        request,
        "campaigns/dashboard.html",
        {
            "campaign": campaign,
            **_as_of_context(as_of_form, on),
            **context,
            "can_plan": permissions.can_plan(request.user),
            "map": unit_map,
            "trend": trend_chart(
                readiness_trend(
                    ReadinessSnapshot.objects.visible_to(request.user).filter(
                        campaign_unit__campaign=campaign, day__lte=on
                    )
                )
            ),
            "show_national_link": permissions.can_see_national(request.user),
        },
    )


@role_required(*ANY_PORTAL_ROLE)
def late_items(request, pk):
    """Every late checklist item of the campaign (the dashboard shows the first 30), by due date, filterable by
    block, unit and critical, 50 a page."""
    campaign = _campaign(request, pk)
    as_of_form, on = _as_of(request)
    late = selectors.dashboard(campaign=campaign, user=request.user, on=on)["late"]
    units = sorted({r.campaign_unit.pk: r.unit.name for r, _view in late}.items(), key=lambda pair: sort_key(pair[1]))
    block = request.GET.get("block", "")
    if block in Block.values:
        late = [(r, v) for r, v in late if v.item.block == block]
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        late = [(r, v) for r, v in late if r.campaign_unit.pk == int(unit)]
    critical = request.GET.get("critical") == "1"
    if critical:
        late = [(r, v) for r, v in late if v.item.is_critical]
    page = Paginator(late, 50).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "campaigns/late_items.html",
        {
            "campaign": campaign,
            **_as_of_context(as_of_form, on),
            "page": page,
            "querystring": querystring.urlencode(),
            "blocks": Block.choices,
            "units": units,
            "block": block,
            "unit": unit,
            "critical": critical,
        },
    )


@role_required(*permissions.NATIONAL_READERS)
def national_overview(request):
    as_of_form, on = _as_of(request)
    overview = selectors.national_overview(user=request.user, on=on, sort=request.GET.get("sort", ""))
    keep = {"on": on.isoformat()} if selectors.as_of_moment(on) is not None else {}
    sort_links = {}
    for key in selectors.SORT_KEYS:
        # A second click on the column sorted reverses it; figures sort largest first on the first click.
        if key == overview["sort"]:
            value = key if overview["descending"] else f"-{key}"
        else:
            value = key if key == "province" else f"-{key}"
        sort_links[key] = "?" + urlencode({**keep, "sort": value})
    return render(
        request,
        "campaigns/national.html",
        {
            **_as_of_context(as_of_form, on),
            **overview,
            "generated_at": overview["figures_at"],
            "blocks": [(value, label) for value, label in Block.choices],
            "sort_links": sort_links,
            "keep_query": urlencode(keep),
            "export_query": urlencode({**keep, "sort": request.GET.get("sort", "")}),
            # The nation's checklist completion over the days (the user's province only, for province staff).
            "trend": trend_chart(
                readiness_trend(ReadinessSnapshot.objects.visible_to(request.user).filter(day__lte=on))
            ),
        },
    )


@role_required(*permissions.NATIONAL_READERS)
def national_overview_xlsx(request):
    _form, on = _as_of(request)
    overview = selectors.national_overview(user=request.user, on=on, sort=request.GET.get("sort", ""))
    content = national_overview_workbook(
        overview=overview,
        blocks=Block.choices,
        as_of=on if selectors.as_of_moment(on) is not None else None,
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="tong-hop-toan-quoc-{on:%Y%m%d}.xlsx"'
    return response


@xframe_options_sameorigin
@role_required(*permissions.NATIONAL_READERS)
def national_map(request):
    """The map of every unit the user may see, as an SVG document (the overview shows it in a frame: thousands of
    points would make the page itself heavy)."""
    form = AsOfForm(request.GET or None)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or selectors.today()  # no message: an image
    unit_map = selectors.unit_map(user=request.user, on=on)
    return render(request, "campaigns/map_document.svg", {"map": unit_map}, content_type="image/svg+xml")


@role_required(*ANY_PORTAL_ROLE)
def unit_page(request, pk):
    return _unit_page(request, pk)


def _unit_page(request, pk, *, transition_form=None, go_live_form=None):
    """The unit's page; after a refused decision it shows the decision's form as it was filled in."""
    campaign_unit = _campaign_unit(request, pk)
    campaign = campaign_unit.campaign
    as_of_form, on = _as_of(request)
    (readiness,) = selectors.unit_readiness(campaign=campaign, campaign_units=CampaignUnit.objects.filter(pk=pk), on=on)
    items_by_block = {}
    for view in readiness.items:
        items_by_block.setdefault(view.item.get_block_display(), []).append(view)
    user = request.user
    return render(
        request,
        "campaigns/unit.html",
        {
            "campaign": campaign,
            "campaign_unit": campaign_unit,
            "readiness": readiness,
            "items_by_block": items_by_block,
            "countdown": selectors.next_milestone(campaign=campaign, on=on),
            **_as_of_context(as_of_form, on),
            "milestones": sorted(campaign.milestones.all(), key=lambda m: m.date),
            "trend": trend_chart(
                readiness_trend(ReadinessSnapshot.objects.filter(campaign_unit=campaign_unit, day__lte=on))
            ),
            "issues": selectors.unit_issues(user=user, campaign_unit=campaign_unit, until=selectors.as_of_moment(on)),
            "events": selectors.pilot_status_history(campaign_unit=campaign_unit, until=selectors.as_of_moment(on)),
            "can_edit_items": permissions.can_edit_items(user),
            "can_change_pilot_status": permissions.can_change_pilot_status(user, campaign_unit),
            "can_go_live": permissions.can_go_live(user, campaign_unit),
            "can_remind": permissions.can_decide(user) and bool(readiness.late_items),
            "can_raise_issue": permissions.can_raise_issue(user),
            "transition_form": transition_form or TransitionForm(campaign_unit=campaign_unit),
            "go_live_form": go_live_form or GoLiveForm(),
        },
    )


@role_required(*permissions.ITEM_EDITORS)
def item_update(request, pk):
    try:
        item = (
            ChecklistItem.objects.editable_by(request.user)
            .select_related("campaign_unit__wave", "milestone")
            .get(pk=pk)
        )
    except ChecklistItem.DoesNotExist:
        raise Http404 from None
    if item.derived_source:
        messages.error(request, _("This item is ticked from the portal's data, not by hand."))
        return redirect("campaigns:unit", pk=item.campaign_unit_id)
    form = ItemUpdateForm(request.POST or None, request.FILES or None, item=item)
    saved_meanwhile = None
    if request.method == "POST" and form.is_valid():
        try:
            services.checklist_item_update(
                item=item,
                to=form.cleaned_data["status"],
                actor=request.user,
                evidence_note=form.cleaned_data["evidence_note"],
                evidence_file=form.cleaned_data["evidence_file"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ChecklistItemChanged as exc:
            messages.error(request, str(exc))
            saved_meanwhile = item = exc.item
            form.show_version(item.version)
        except CampaignError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The item has been updated."))
            return redirect("campaigns:unit", pk=item.campaign_unit_id)
    return render(request, "campaigns/item_form.html", {"item": item, "form": form, "saved_meanwhile": saved_meanwhile})


@role_required(*ANY_PORTAL_ROLE)
def item_evidence(request, pk):
    """The evidence file of a checklist item, for the users who can see the item (the file has no public URL)."""
    try:
        item = ChecklistItem.objects.visible_to(request.user).only("evidence_file").get(pk=pk)
    except ChecklistItem.DoesNotExist:
        raise Http404 from None
    if not item.evidence_file:
        raise Http404
    return file_response(item.evidence_file, filename=item.evidence_filename)


@require_POST
@role_required(*permissions.DECIDERS)
def unit_transition(request, pk):
    campaign_unit = _campaign_unit(request, pk, editable=True)
    form = TransitionForm(request.POST, campaign_unit=campaign_unit)
    if not form.is_valid():
        messages.error(request, _("Choose a pilot status the unit can move to."))
        return _unit_page(request, pk, transition_form=form)
    try:
        services.campaign_unit_transition(
            campaign_unit=campaign_unit, to=form.cleaned_data["to"], actor=request.user, note=form.cleaned_data["note"]
        )
    except CampaignError as exc:
        messages.error(request, str(exc))
        return _unit_page(request, pk, transition_form=form)  # the note typed stays
    messages.success(request, _("The pilot status has been changed."))
    return redirect("campaigns:unit", pk=pk)


@require_POST
@role_required(*permissions.DECIDERS)
def unit_remind(request, pk):
    campaign_unit = _campaign_unit(request, pk, editable=True)
    try:
        count = services.unit_remind(campaign_unit=campaign_unit, actor=request.user)
    except CampaignError as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(request, _("Reminder sent to %(count)s officials of the unit.") % {"count": count})
    return redirect("campaigns:unit", pk=pk)


@require_POST
@role_required(*permissions.DECIDERS)
def unit_go_live(request, pk):
    campaign_unit = _campaign_unit(request, pk, editable=True)
    form = GoLiveForm(request.POST)
    form.is_valid()
    try:
        services.unit_go_live(
            campaign_unit=campaign_unit,
            actor=request.user,
            override_reason=form.cleaned_data.get("override_reason", ""),
        )
    except CampaignError as exc:
        messages.error(request, str(exc))
        return _unit_page(request, pk, go_live_form=form)  # the reason typed stays
    messages.success(request, _("The unit is now live."))
    return redirect("campaigns:unit", pk=pk)


@role_required(*ANY_PORTAL_ROLE)
def review_report(request, pk):
    campaign = _campaign(request, pk)
    as_of_form, on = _as_of(request)
    report = selectors.review_report(campaign=campaign, user=request.user, on=on)
    # How the units got there, not only where they stand: the campaign's completion over the days.
    trend = trend_chart(
        readiness_trend(
            ReadinessSnapshot.objects.visible_to(request.user).filter(campaign_unit__campaign=campaign, day__lte=on)
        )
    )
    return render(
        request,
        "campaigns/report.html",
        {"campaign": campaign, **_as_of_context(as_of_form, on), **report, "trend": trend},
    )


@role_required(*ANY_PORTAL_ROLE)
def review_report_xlsx(request, pk):
    campaign = _campaign(request, pk)
    _form, on = _as_of(request)
    report = selectors.review_report(campaign=campaign, user=request.user, on=on)
    content = review_report_workbook(
        campaign=campaign, report=report, as_of=on if selectors.as_of_moment(on) is not None else None
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-so-ket-{campaign.province.code}.xlsx"'
    return response


def home(request):
    """The portal's home: ward clerks start on the dossier queue; province staff and unit officials whose pilot
    campaign exists start on its dashboard or their unit's page."""
    user = request.user
    context = {}
    if getattr(user, "is_delegate", False) and not user.is_superuser:
        # A delegate reads the documents of their unit's sessions, and nothing else.
        return redirect("sessions:list")
    if user.has_portal_role:
        campaign_home = _campaign_home(user)
        if campaign_home:
            return redirect(campaign_home)
        context["unit_count"] = Unit.objects.visible_to(user).count()
        if user.is_unit_user:
            context["own_unit"] = user.unit
    return render(request, "campaigns/home.html", context)


def _campaign_home(user) -> str | None:
    if user.role == Role.WARD_CLERK:
        # The clerk's day is the counter: the dossier queue, whether or not the unit pilots.
        return reverse("service_center:queue")
    if user.is_national_viewer:
        return reverse("campaigns:national")
    if user.is_province_staff:
        campaign_id = Campaign.objects.filter(province_id=user.province_id).values_list("pk", flat=True).first()
        return reverse("campaigns:dashboard", args=[campaign_id]) if campaign_id else None
    if user.is_unit_user:
        campaign_unit_id = CampaignUnit.objects.filter(unit_id=user.unit_id).values_list("pk", flat=True).first()
        return reverse("campaigns:unit", args=[campaign_unit_id]) if campaign_unit_id else None
    return None
