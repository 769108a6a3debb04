"""The province plans its own campaign: milestones, waves and limits, previewed, then confirmed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pilot_portal.accounts.permissions import role_required

from . import permissions, services
from .forms import CampaignPlanForm
from .services import MILESTONE_ORDER, CampaignError
from .views import ANY_PORTAL_ROLE, _campaign


@role_required(*ANY_PORTAL_ROLE)
def campaign_plan(request, pk):
    campaign = _campaign(request, pk)
    if not permissions.can_plan(request.user):
        raise PermissionDenied
    milestones = sorted(campaign.milestones.all(), key=lambda m: (MILESTONE_ORDER.index(m.kind), m.pk))
    waves = list(campaign.waves.all())
    changes = None
    if request.method == "POST":
        form = CampaignPlanForm(request.POST, campaign=campaign, milestones=milestones, waves=waves)
        if form.is_valid():
            plan = form.plan()
            fingerprint = form.fingerprint(plan)
            try:
                if "confirm" in request.POST and form.cleaned_data["previewed"] == fingerprint:
                    done = services.campaign_plan_update(
                        campaign=campaign, plan=plan, actor=request.user, note=form.cleaned_data["note"]
                    )
                    if done:
                        text = _("The campaign is updated (%(count)s changes).") % {"count": len(done)}
                        messages.success(request, text)
                    else:
                        messages.info(request, _("Nothing changed."))
                    return redirect("campaigns:plan", pk=campaign.pk)
                if "confirm" in request.POST:
                    messages.warning(request, _("The values differ from the preview: check them and confirm again."))
                changes = services.campaign_plan_changes(campaign=campaign, plan=plan)
                form.data = form.data.copy()
                form.data["previewed"] = fingerprint
                if not changes:
                    messages.info(request, _("These values are the campaign's current ones: nothing would change."))
            except CampaignError as exc:
                form.add_error(None, str(exc))
    else:
        form = CampaignPlanForm(campaign=campaign, milestones=milestones, waves=waves)
    return render(
        request,
        "campaigns/plan.html",
        {
            "campaign": campaign,
            "form": form,
            "changes": changes,
            "history": campaign.changes.select_related("actor")[:50],
        },
    )
