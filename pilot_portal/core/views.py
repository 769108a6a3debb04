from django.shortcuts import render

from units.models import Unit


def home(request):
    user = request.user
    context = {}
    if user.has_portal_role:
        context["unit_count"] = Unit.objects.visible_to(user).count()
        if user.is_unit_user:
            context["own_unit"] = user.unit
    return render(request, "home.html", context)
