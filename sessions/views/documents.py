"""Documents: adding them, uploading versions, marking them ready, downloading files."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilot_portal.accounts.permissions import role_required
from pilot_portal.core.storage import file_response

from .. import permissions, selectors, services
from ..forms import DocumentForm, DocumentVersionForm
from ..models import Document
from ._common import EDITORS, _editable, _visible, run_service


@role_required(*EDITORS)
def document_add(request, pk):
    session = _editable(request, pk)
    items = selectors.agenda_items(session)
    form = DocumentForm(request.POST or None, request.FILES or None, agenda_items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            services.document_add,
            session=session,
            actor=request.user,
            kind=data["kind"],
            title=data["title"],
            is_required=data["is_required"],
            upload=data.get("upload"),
            is_ready=data["is_ready"],
            agenda_items=data["agenda_items"],
        ):
            messages.success(request, _("The document was added."))
            return redirect(session.get_absolute_url() + "#documents")
    return render(request, "council_sessions/document_form.html", {"session": session, "form": form})


@role_required(*EDITORS)
def document_version_add(request, pk, document_pk):
    session = _editable(request, pk)
    document = get_object_or_404(Document, pk=document_pk, session=session)
    form = DocumentVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = run_service(
            request,
            services.document_upload_version,
            document=document,
            upload=form.cleaned_data["upload"],
            actor=request.user,
            mark_ready=form.cleaned_data["mark_ready"],
        )
        if uploaded:
            messages.success(request, _("The new version was uploaded."))
            return redirect(session.get_absolute_url() + "#documents")
    return render(
        request, "council_sessions/document_form.html", {"session": session, "form": form, "document": document}
    )


@require_POST
@role_required(*EDITORS)
def document_ready(request, pk, document_pk):
    session = _editable(request, pk)
    document = get_object_or_404(Document, pk=document_pk, session=session)
    run_service(
        request,
        services.document_set_ready,
        document=document,
        ready=request.POST.get("ready") == "1",
        actor=request.user,
    )
    return redirect(session.get_absolute_url() + "#documents")


def _send(file_field, name):
    return file_response(file_field, filename=name)


@role_required(*permissions.DOCUMENT_READERS)
def document_download(request, version_pk):
    version = get_object_or_404(selectors.document_versions_visible_to(request.user), pk=version_pk)
    return _send(version.file, version.original_name)


@role_required()
def minutes_download(request, pk):
    session = _visible(request, pk)
    if not session.minutes_file:
        raise Http404
    return _send(session.minutes_file, session.minutes_file_name or "bien-ban")
