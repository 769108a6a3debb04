from django.shortcuts import redirect, render

from units.models import Unit


def home(request):
    user = request.user
    context = {}
    if user.has_portal_role:
        campaign_home = _campaign_home(user)
        if campaign_home:
            return redirect(campaign_home)
        context["unit_count"] = Unit.objects.visible_to(user).count()
        if user.is_unit_user:
            context["own_unit"] = user.unit
    return render(request, "home.html", context)


def _campaign_home(user) -> str | None:
    """Province staff and unit users whose pilot campaign exists start on its dashboard."""
    from django.urls import reverse

    from pilot_portal.campaigns.models import Campaign, CampaignUnit

    if user.is_province_staff:
        campaign_id = Campaign.objects.filter(province_id=user.province_id).values_list("pk", flat=True).first()
        return reverse("campaigns:dashboard", args=[campaign_id]) if campaign_id else None
    if user.is_unit_user:
        campaign_unit_id = CampaignUnit.objects.filter(unit_id=user.unit_id).values_list("pk", flat=True).first()
        return reverse("campaigns:unit", args=[campaign_unit_id]) if campaign_unit_id else None
    return None
