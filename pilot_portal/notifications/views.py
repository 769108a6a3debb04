from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilot_portal.accounts.permissions import role_required
from pilot_portal.core.links import same_site_path

from . import selectors, services
from .forms import PreferenceForm
from .models import Notification


@role_required()
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notification_list(user=request.user, unread_only=unread_only)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "unread_only": unread_only, "querystring": "unread=1" if unread_only else ""},
    )


@require_POST
@role_required()
def notification_read(request, pk):
    try:
        notification = selectors.notification_for(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    services.notification_mark_read(notification=notification, user=request.user)
    target = same_site_path(request.POST.get("next") or notification.link, request=request)
    return HttpResponseRedirect(target or reverse("notifications:list"))


@require_POST
@role_required()
def notification_read_all(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("Marked %(count)d notifications as read.") % {"count": count})
    return redirect("notifications:list")


@role_required()
def preferences(request):
    current = selectors.preference_for(user=request.user)
    form = PreferenceForm(
        request.POST or None,
        initial={"email_kinds": current.email_kinds, "daily_digest": current.daily_digest},
    )
    if request.method == "POST" and form.is_valid():
        services.preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification preferences were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
