"""Status histories are append-only in the admin too: no model admin or inline lets a superuser add, edit or
delete an event row."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.core.workflow import StatusEvent

pytestmark = pytest.mark.django_db


def _event_admins():
    for model, model_admin in admin.site._registry.items():
        if issubclass(model, StatusEvent):
            yield f"{model._meta.label} admin", model_admin
        for inline in model_admin.get_inline_instances(_superuser_request()):
            if issubclass(inline.model, StatusEvent):
                yield f"{inline.model._meta.label} inline of {model._meta.label}", inline


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory.build(is_superuser=True, is_staff=True)
    return request


def test_every_event_admin_and_inline_is_read_only():
    request = _superuser_request()
    seen = {}
    for name, model_admin in _event_admins():
        seen[name] = [
            model_admin.has_add_permission(request, None)
            if hasattr(model_admin, "parent_model")
            else model_admin.has_add_permission(request),
            model_admin.has_change_permission(request, None),
            model_admin.has_delete_permission(request, None),
        ]
    # Dossiers, sessions, pilot status and issues show their histories in the admin.
    assert {"service_center.DossierEvent admin", "council_sessions.SessionEvent admin"} <= set(seen)
    assert any(name.startswith("campaigns.CampaignUnitEvent inline") for name in seen)
    assert any(name.startswith("campaigns.PilotIssueEvent inline") for name in seen)
    assert {name: perms for name, perms in seen.items() if any(perms)} == {}


def test_a_superuser_cannot_delete_a_session_event(admin_client):
    from sessions.models import SessionEvent
    from sessions.tests.factories import SessionFactory

    session = SessionFactory()
    event = SessionEvent.objects.create(session=session, note="Đã công bố")
    response = admin_client.post(
        reverse("admin:council_sessions_sessionevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert SessionEvent.objects.filter(pk=event.pk).exists()
