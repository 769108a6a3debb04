from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pilot_portal.accounts.permissions import role_required

from . import directory, selectors
from .forms import DirectoryForm, UnitFilterForm
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
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "can_edit_directory": directory.can_edit_directory(request.user, unit),
            "directory_changes": unit.directory_changes.select_related("actor")[:20],
        },
    )


@role_required()
def directory_edit(request, code):
    try:
        unit = selectors.unit_detail(user=request.user, code=code)
    except Unit.DoesNotExist:
        raise Http404 from None
    if not directory.can_edit_directory(request.user, unit):
        raise PermissionDenied
    form = DirectoryForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in directory.DIRECTORY_FIELDS}
        try:
            changes = directory.unit_directory_update(unit=unit, actor=request.user, data=data)
        except directory.DirectoryError as exc:
            form.add_error(None, str(exc))
        else:
            if changes:
                messages.success(request, _("The directory entry is updated."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("units:detail", code=unit.code)
    return render(request, "units/directory_form.html", {"unit": unit, "form": form})
