"""Sessions on shared counter computers: 8 hours at most; a ward clerk's ends when the browser closes."""

import pytest
from django.urls import reverse

from pilot_portal.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def test_a_session_lasts_eight_hours(client, unit_official):
    response = _login(client, unit_official)
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60
    assert client.session.get_expire_at_browser_close() is False


def test_a_ward_clerks_session_ends_when_the_browser_closes(client, ward_clerk):
    response = _login(client, ward_clerk)
    assert response.cookies["sessionid"]["max-age"] == ""  # a browser-session cookie
    assert response.cookies["sessionid"]["expires"] == ""
    assert client.session.get_expire_at_browser_close() is True
