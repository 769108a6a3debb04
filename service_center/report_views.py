"""Printable forms 01-05, the tracking book (06) and the 06a statistics, with their Excel exports."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pilot_portal.accounts.permissions import role_required
from pilot_portal.core.links import public_url
from units.models import Unit

from . import exports, indicators, selectors
from .forms import PeriodForm
from .models import FINISHED_STATUSES, OPEN_STATUSES, Dossier, DossierEvent, Status
from .printing import qr_svg
from .views import _visible

FORMS = {
    "01": "service_center/print/form01_receipt.html",
    "02": "service_center/print/form02_supplement.html",
    "03": "service_center/print/form03_refusal.html",
    "04": "service_center/print/form04_apology.html",
    "05": "service_center/print/form05_control.html",
}
#: Rows shown on the tracking book page; the Excel export has them all.
BOOK_PAGE_LIMIT = 1000
#: Rows of the tracking book in one Excel file.
EXPORT_LIMIT = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required()
def print_form(request, code, number):
    if number not in FORMS:
        raise Http404
    dossier = _visible(request.user, code)
    lookup_url = public_url(f"{reverse('lookup:lookup')}?{urlencode({'ma': dossier.code})}", request=request)
    # The event whose note the form prints (the reason for a supplement, a refusal or the apology).
    event_filter = {
        "02": {"to_status": Status.SUPPLEMENT, "kind": DossierEvent.Kind.TRANSITION},
        "03": {"to_status": Status.REFUSED, "kind": DossierEvent.Kind.TRANSITION},
        "04": {"kind": DossierEvent.Kind.APOLOGY},
    }.get(number)
    last_event = (
        dossier.events.filter(**event_filter).select_related("actor").order_by("-at", "-id").first()
        if event_filter
        else None
    )
    if event_filter and last_event is None:
        # 02 prints only once a supplement was asked, 03 only for a refused dossier, 04 only after an apology.
        messages.error(request, _("This form does not apply to the dossier: nothing in its record calls for it."))
        return redirect(dossier)
    return render(
        request,
        FORMS[number],
        {
            "dossier": dossier,
            "lookup_url": lookup_url,
            "qr": qr_svg(lookup_url) if number == "01" else "",
            "event": last_event,
            "handovers": list(dossier.handovers.select_related("from_user", "to_user")) if number == "05" else [],
            "returned_event": (
                dossier.events.filter(to_status=Status.RETURNED).select_related("actor").first()
                if number == "05" and dossier.returned_at
                else None
            ),
            "papers": list(dossier.papers.all()) if number == "01" else [],
            "today": timezone.localdate(),
        },
    )


def _period(request):
    today = timezone.localdate()
    typed = "start" in request.GET or "end" in request.GET
    form = PeriodForm(request.GET if typed else {"start": today.replace(day=1), "end": today})
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, today.replace(day=1), today


def _chosen_unit(request) -> Unit | None:
    """The unit a report is narrowed to (``?unit=<id>``), one the user may see; another unit is a 404."""
    unit_id = request.GET.get("unit", "")
    if not unit_id:
        return None
    unit = None
    if unit_id.isdigit():
        unit = Unit.objects.visible_to(request.user).select_related("province").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def _heading(user, unit: Unit | None, start, end) -> exports.ReportHeading:
    """Who issues the report and what it covers: the unit chosen or the user's own, else the province of a province
    official, else every province (national viewers)."""
    unit = unit or (user.unit if user.is_unit_user else None)
    if unit is not None:
        return exports.ReportHeading(
            issuing_body=(f"UBND {unit.name}".upper(), "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"),
            scope=_("Unit: %(unit)s, %(province)s") % {"unit": unit.name, "province": unit.province.name},
            place=unit.short_name or unit.name,
            start=start,
            end=end,
        )
    if user.is_province_staff and user.province_id:
        province = user.province
        return exports.ReportHeading(
            issuing_body=(f"UBND {province.name}".upper(),),
            scope=_("Province: %(province)s") % {"province": province.name},
            place=province.short_name or province.name,
            start=start,
            end=end,
        )
    return exports.ReportHeading(
        issuing_body=(), scope=_("Scope: every province and city"), place="", start=start, end=end
    )


def _wants_xlsx(request, form) -> bool:
    """The Excel file, unless the period typed is wrong: then the page shows why (and no file of another period)."""
    return request.GET.get("format") == "xlsx" and not form.errors


@role_required()
def tracking_book(request):
    form, start, end = _period(request)
    begin, finish = selectors.period_bounds(start, end)
    dossiers = (
        Dossier.objects.visible_to(request.user)
        .filter(received_at__gte=begin, received_at__lt=finish)
        .select_related("procedure", "unit")
        .order_by("received_at", "id")
    )
    if _wants_xlsx(request, form):
        # One request builds the file: past EXPORT_LIMIT rows (a nationwide multi-year book) it would outlast the
        # server's timeout, so the page asks for a shorter period instead.
        if dossiers[EXPORT_LIMIT : EXPORT_LIMIT + 1].exists():
            form.add_error(
                None,
                _("The book of this period has more than %(limit)s dossiers: choose a shorter period to export it.")
                % {"limit": f"{EXPORT_LIMIT:,}".replace(",", ".")},
            )
        else:
            heading = _heading(request.user, None, start, end)
            content = exports.tracking_book_xlsx(dossiers, heading=heading)
            response = HttpResponse(content, content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
            return response
    shown = list(dossiers[: BOOK_PAGE_LIMIT + 1])
    return render(
        request,
        "service_center/tracking_book.html",
        {
            "form": form,
            "dossiers": shown[:BOOK_PAGE_LIMIT],
            "truncated": len(shown) > BOOK_PAGE_LIMIT,
            "limit": BOOK_PAGE_LIMIT,
            "start": start,
            "end": end,
            "query": request.GET.urlencode(),
        },
    )


@role_required()
def statistics(request):
    """06a by unit, field or procedure (``?group=``), narrowed to one unit (``?unit=``) if asked, and the
    Decision 766 indicators per unit with their formulas; the Excel file has both, under the report's header."""
    form, start, end = _period(request)
    group_by = request.GET.get("group", "unit")
    if group_by not in selectors.GROUPINGS:
        group_by = "unit"
    unit = _chosen_unit(request)
    unit_id = unit.pk if unit else None
    # The 06a columns by unit and the indicators' counts in one pass over the dossiers; another grouping of 06a
    # is one more aggregate query.
    counts = selectors.unit_period_counts_of(user=request.user, start=start, end=end, unit_id=unit_id)
    if group_by == "unit":
        rows = selectors.unit_statistics(counts)
    else:
        rows = selectors.dossier_statistics(user=request.user, start=start, end=end, unit_id=unit_id, group_by=group_by)
    total = selectors.statistics_total(rows)
    begin, finish = selectors.period_bounds(start, end)
    indicator_rows = indicators.indicator_rows_of(counts, begin=begin, finish=finish)
    indicator_total = indicators.indicators_total(indicator_rows)
    heading = _heading(request.user, unit, start, end)
    if _wants_xlsx(request, form):
        content = exports.statistics_xlsx(
            rows,
            total,
            heading=heading,
            group_by=group_by,
            indicator_rows=indicator_rows,
            indicator_total=indicator_total,
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="thong-ke-{group_by}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    group_links = []
    for key in selectors.GROUPINGS:
        query["group"] = key
        group_links.append((key, exports.GROUP_TITLES[key], query.urlencode()))
    query["group"] = group_by
    return render(
        request,
        "service_center/statistics.html",
        {
            "form": form,
            "rows": rows,
            "total": total,
            "start": start,
            "end": end,
            "query": query.urlencode(),
            "group_by": group_by,
            "group_links": group_links,
            "headers": exports.statistics_headers(group_by),
            "unit": unit,
            "heading": heading,
            "indicator_rows": indicator_rows,
            "indicator_total": indicator_total,
            "total_label": _("Province-wide") if request.user.is_province_staff and not unit else _("Total"),
            "period_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
            "status_codes": {
                "finished": ", ".join(sorted(FINISHED_STATUSES, key=int)),
                "open": ", ".join(sorted(OPEN_STATUSES, key=int)),
                "refused": Status.REFUSED.value,
                "withdrawn": Status.WITHDRAWN.value,
                "stopped": Status.STOPPED.value,
            },
        },
    )
