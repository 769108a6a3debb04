"""The province puts its campaign's units in waves: the units with their wave (searched, filtered, sorted in
Vietnamese order), a choice of units and a wave, a preview of what moves, then the confirmation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilot_portal.accounts.permissions import role_required
from pilot_portal.core.collation import Vietnamese
from units.models import Unit

from . import permissions
from .errors import CampaignError
from .forms import NO_WAVE, WaveUnitsFilterForm, WaveUnitsForm
from .models import CampaignUnit, Milestone
from .views import ANY_PORTAL_ROLE, _campaign
from .wave_units import campaign_units_set_wave, campaign_units_wave_changes

ORDERS = {
    "name": (Vietnamese("unit__name"), "pk"),
    "-name": (Vietnamese("unit__name").desc(), "-pk"),
    "wave": (F("wave__starts_at").asc(nulls_first=True), "wave_id", Vietnamese("unit__name"), "pk"),
}


def _listed(campaign_units, filters: dict):
    if filters["q"]:
        campaign_units = campaign_units.filter(unit__in=Unit.objects.search(filters["q"]))
    if filters["in_wave"] == NO_WAVE:
        campaign_units = campaign_units.filter(wave__isnull=True)
    elif filters["in_wave"]:
        campaign_units = campaign_units.filter(wave_id=filters["in_wave"])
    return list(campaign_units.select_related("unit", "wave").order_by(*ORDERS[filters["sort"]]))


def _wave_summary(campaign, waves, pilot_start):
    """Each wave with its start and its number of units, then the units in no wave (one query)."""
    counts = dict(
        CampaignUnit.objects.filter(campaign=campaign).values_list("wave_id").annotate(n=Count("id")).order_by()
    )
    rows = [(w.name, timezone.localtime(w.starts_at), counts.get(w.pk, 0)) for w in waves]
    rows.append((_("No wave"), pilot_start, counts.get(None, 0)))
    return rows


@role_required(*ANY_PORTAL_ROLE)
def wave_units(request, pk):
    campaign = _campaign(request, pk)
    if not permissions.can_plan(request.user):
        raise PermissionDenied
    waves = list(campaign.waves.all())
    pilot_start = next((m.date for m in campaign.milestones.all() if m.kind == Milestone.Kind.PILOT_START), None)
    filter_form = WaveUnitsFilterForm(request.GET or None, waves=waves)
    filters = filter_form.filters()
    editable = CampaignUnit.objects.editable_by(request.user).filter(campaign=campaign)
    changes = None
    chosen: set[int] = set()
    if request.method == "POST":
        form = WaveUnitsForm(request.POST, units=editable, waves=waves)
        if form.is_valid():
            chosen = set(form.chosen_ids())
            fingerprint = form.fingerprint()
            try:
                if "confirm" in request.POST and form.cleaned_data["previewed"] == fingerprint:
                    done = campaign_units_set_wave(
                        campaign=campaign,
                        campaign_unit_ids=chosen,
                        wave=form.target(),
                        actor=request.user,
                        note=form.cleaned_data["note"],
                    )
                    _report(request, done)
                    return redirect(request.get_full_path())
                if "confirm" in request.POST:
                    messages.warning(request, _("The values differ from the preview: check them and confirm again."))
                changes = campaign_units_wave_changes(campaign=campaign, campaign_unit_ids=chosen, wave=form.target())
                form.data = form.data.copy()
                form.data["previewed"] = fingerprint
                if not changes.moving:
                    messages.info(request, _("The chosen units are already in this wave: nothing would change."))
            except CampaignError as exc:
                form.add_error(None, str(exc))
        else:
            chosen = {int(v) for v in request.POST.getlist("units") if v.isascii() and v.isdigit() and len(v) < 19}
    else:
        form = WaveUnitsForm(units=editable, waves=waves)
    return render(
        request,
        "campaigns/wave_units.html",
        {
            "campaign": campaign,
            "filter_form": filter_form,
            "form": form,
            "rows": _listed(CampaignUnit.objects.visible_to(request.user).filter(campaign=campaign), filters),
            "filtered": bool(filters["q"] or filters["in_wave"]),
            "chosen": chosen,
            "pilot_start": pilot_start,
            "summary": _wave_summary(campaign, waves, pilot_start),
            "changes": changes,
            "history": campaign.changes.select_related("actor")[:20],
        },
    )


def _report(request, done) -> None:
    if not done.moving:
        messages.info(request, _("Nothing changed."))
        return
    wave = done.wave.name if done.wave else _("No wave")
    text = ngettext("%(count)s unit is now in %(wave)s.", "%(count)s units are now in %(wave)s.", done.units) % {
        "count": done.units,
        "wave": wave,
    }
    messages.success(request, text)
