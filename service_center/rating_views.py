"""The satisfaction page (Decision 766), no login: on the counter's tablet or from the public lookup.

It opens only with the signed link of one dossier (``service_center.rating``); a wrong or expired link is a 404 that
tells nothing about the dossier.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services
from .forms import RatingForm
from .models import Dossier, DossierRating
from .rating import rating_path, rating_token_valid


def _signed_dossier(code: str, token: str) -> Dossier | None:
    if not token:
        return None
    dossier = Dossier.objects.select_related("unit", "procedure", "rating").filter(code=code).first()
    if dossier is None or not rating_token_valid(dossier, token):
        return None
    return dossier


@login_not_required
@require_http_methods(["GET", "POST"])
def rate(request, code):
    token = request.POST.get("t") or request.GET.get("t", "")
    dossier = _signed_dossier(code, token)
    if dossier is None:
        return render(request, "service_center/rate.html", {"invalid": True}, status=404)
    source = DossierRating.Source.LOOKUP if request.GET.get("from") == "lookup" else DossierRating.Source.COUNTER
    status = 200
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_rate(
                dossier=dossier, level=form.cleaned_data["level"], comment=form.cleaned_data["comment"], source=source
            )
        except services.AlreadyRated as exc:
            messages.warning(request, str(exc))
            return redirect(rating_path(dossier))
        except services.DossierError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            return redirect(rating_path(dossier))  # the page thanks the citizen
    elif request.method == "POST":
        status = 400
    rating = getattr(dossier, "rating", None)  # the reverse one-to-one raises AttributeError when absent
    context = {"dossier": dossier, "form": form, "rating": rating, "token": token, "levels": _levels()}
    return render(request, "service_center/rate.html", context, status=status)


def _levels():
    """The three levels, best first, with the colour of their button."""
    return [
        (DossierRating.Level.VERY_SATISFIED, "success"),
        (DossierRating.Level.SATISFIED, "primary"),
        (DossierRating.Level.UNSATISFIED, "danger"),
    ]
