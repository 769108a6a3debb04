"""The public lookup (no login): full dossier code plus the lookup code printed on the receipt."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import lookup_limits
from .forms import LookupForm
from .models import Dossier

logger = logging.getLogger(__name__)


#: Compared when no dossier has the code, so that an unknown code costs what a wrong lookup code costs.
_NO_SECRET = "\x00" * 6


def find_dossier(*, code: str, secret: str) -> Dossier | None:
    """The dossier with this code (normalised) and lookup code. An unknown code and a wrong lookup code cost the
    same queries and the same comparison; what the page shows of a found dossier is read only then."""
    dossier = (
        Dossier.objects.select_related("procedure", "unit").filter(code=lookup_limits.normalise_code(code)).first()
    )
    matches = constant_time_compare(dossier.lookup_secret if dossier else _NO_SECRET, secret.strip())
    if dossier is None or not matches:
        return None
    prefetch_related_objects([dossier], "events")
    return dossier


@login_not_required
@require_http_methods(["GET", "POST"])
def lookup(request):
    dossier = None
    status = 200
    if request.method == "POST":
        form = LookupForm(request.POST)
        if lookup_limits.address_over_limit(request):
            form.add_error(None, _("Too many lookups from this address. Try again in a few minutes."))
            status = 429
        elif form.is_valid():
            code = lookup_limits.normalise_code(form.cleaned_data["code"])
            if not lookup_limits.take_code_attempt(code):
                form.add_error(
                    None,
                    _(
                        "This dossier code had too many wrong lookup codes today and is closed to lookups until "
                        "tomorrow. The centre can tell you the status by phone or at the counter."
                    ),
                )
                status = 429
            else:
                dossier = find_dossier(code=code, secret=form.cleaned_data["secret"])
                if dossier is not None:
                    lookup_limits.give_back_code_attempt(code)
                else:
                    form.add_error(None, _("No dossier matches this code and lookup code. Check both on your receipt."))
    else:
        form = LookupForm(initial={"code": request.GET.get("ma", "")})
    return render(request, "service_center/lookup.html", {"form": form, "dossier": dossier}, status=status)
