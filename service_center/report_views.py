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

from . import exports, selectors
from .forms import PeriodForm
from .models import Dossier, DossierEvent, Status
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
            response = HttpResponse(exports.tracking_book_xlsx(dossiers.iterator(chunk_size=2000)), content_type=XLSX)
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
    form, start, end = _period(request)
    rows = selectors.dossier_statistics(user=request.user, start=start, end=end)
    total = selectors.statistics_total(rows)
    if _wants_xlsx(request, form):
        response = HttpResponse(exports.statistics_xlsx(rows, total), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="thong-ke-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        return response
    return render(
        request,
        "service_center/statistics.html",
        {"form": form, "rows": rows, "total": total, "start": start, "end": end, "query": request.GET.urlencode()},
    )
