from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from pilot_portal.accounts.permissions import role_required

from . import selectors
from .forms import UnitFilterForm
from .models import Unit


@role_required()
def unit_list(request):
    form = UnitFilterForm(request.GET or None, provinces=selectors.provinces_for_filter(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(
        user=request.user,
        query=filters.get("q", ""),
        province_code=filters.get("province", ""),
        kind=filters.get("kind", ""),
    )
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    predecessors = []
    if filters.get("q") and page.number == 1:
        # Beside the units whose own name matches: the units that took over a former unit of that name.
        predecessors = list(
            selectors.predecessor_matches(
                user=request.user,
                query=filters["q"],
                province_code=filters.get("province", ""),
                kind=filters.get("kind", ""),
            )[: selectors.PREDECESSOR_MATCHES_LIMIT + 1]
        )
    return render(
        request,
        "units/unit_list.html",
        {
            "form": form,
            "page": page,
            "querystring": querystring.urlencode(),
            "predecessors": predecessors[: selectors.PREDECESSOR_MATCHES_LIMIT],
            "predecessors_truncated": len(predecessors) > selectors.PREDECESSOR_MATCHES_LIMIT,
        },
    )


@role_required()
def unit_detail(request, code):
    try:
        unit = selectors.unit_detail(user=request.user, code=code)
    except Unit.DoesNotExist:
        raise Http404 from None
    return render(request, "units/unit_detail.html", {"unit": unit})
