"""The clerk's import of a district's backlog list: template, upload, dry-run report, import."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pilot_portal.accounts.permissions import role_required

from . import backlog_import
from .models import BacklogImport, BacklogRecord
from .permissions import WORK_ROLES
from .report_views import XLSX


class BacklogUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Backlog list (Excel .xlsx or CSV)"),
        help_text=gettext_lazy("Fill in the template: one row per dossier. Nothing is saved before you confirm."),
    )


def _unit(request):
    if request.user.unit is None:
        raise PermissionDenied
    return request.user.unit


def _batch(request, token) -> BacklogImport:
    """The user's own upload: another user's (of this unit or another) is a 404."""
    batch = (
        BacklogImport.objects.visible_to(request.user)
        .filter(token=token, uploaded_by=request.user)
        .select_related("unit")
        .first()
    )
    if batch is None:
        raise Http404
    return batch


@role_required(*WORK_ROLES)
def template(request, fmt):
    _unit(request)
    if fmt == "xlsx":
        response = HttpResponse(backlog_import.template_xlsx(), content_type=XLSX)
    elif fmt == "csv":
        response = HttpResponse(backlog_import.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="mau-ho-so-ton-dong.{fmt}"'
    return response


@role_required(*WORK_ROLES)
def upload(request):
    unit = _unit(request)
    form = BacklogUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = backlog_import.backlog_upload(unit=unit, actor=request.user, upload=form.cleaned_data["file"])
        except backlog_import.BacklogFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("service_center:backlog_report", token=batch.token)
    recent = BacklogImport.objects.visible_to(request.user).filter(uploaded_by=request.user)[:10]
    return render(request, "service_center/backlog_upload.html", {"form": form, "unit": unit, "recent": recent})


def _report_page(request, batch, report=None):
    if report is None and batch.imported_at is None:
        try:
            report = backlog_import.backlog_dry_run(unit=batch.unit, rows=backlog_import.batch_rows(batch))
        except backlog_import.BacklogFileError as exc:
            messages.error(request, str(exc))
            return redirect("service_center:backlog_import")
    records = []
    if batch.imported_at is not None and report is None:
        records = list(
            BacklogRecord.objects.filter(batch=batch)
            .select_related("dossier__procedure")
            .order_by("dossier__received_at", "id")
        )
    return render(
        request,
        "service_center/backlog_report.html",
        {"batch": batch, "report": report, "records": records, "unit": batch.unit},
    )


@role_required(*WORK_ROLES)
def report(request, token):
    _unit(request)
    return _report_page(request, _batch(request, token))


@require_POST
@role_required(*WORK_ROLES)
def confirm(request, token):
    _unit(request)
    batch = _batch(request, token)
    valid_only = request.POST.get("mode") == "valid_only"
    try:
        report = backlog_import.backlog_import_batch(batch=batch, actor=request.user, valid_only=valid_only)
    except backlog_import.BacklogAlreadyImported as exc:
        messages.info(request, str(exc))
        return redirect("service_center:backlog_report", token=batch.token)
    except backlog_import.BacklogImportRefused as exc:
        messages.error(request, str(exc))
        return _report_page(request, batch, exc.report)
    except backlog_import.BacklogFileError as exc:
        messages.error(request, str(exc))
        return redirect("service_center:backlog_import")
    messages.success(
        request,
        _("%(created)s backlog dossier(s) received; %(skipped)s row(s) not imported.")
        % {"created": report.created_count, "skipped": len(report.rows) - report.created_count},
    )
    return redirect(reverse("service_center:backlog_report", kwargs={"token": batch.token}))
