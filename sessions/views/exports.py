"""Downloads of the official documents (Word and PDF): the same access as the printable pages."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from pilot_portal.accounts.permissions import role_required

from .. import documents_export, permissions, selectors
from ..models import Session


@role_required()
def official_document(request, pk, *, name, fmt):
    try:
        session = selectors.session_for_documents(user=request.user, pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None
    if documents_export.needs_closed_session(name) and not permissions.can_read_minutes(session):
        messages.warning(request, _("This document can be downloaded once the session is closed."))
        return redirect(session)
    try:
        document = documents_export.render(session, name=name, fmt=fmt)
    except documents_export.PdfEngineUnavailable:
        messages.error(request, _("The PDF cannot be made on this server at the moment: download the Word file."))
        return redirect(session)
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
