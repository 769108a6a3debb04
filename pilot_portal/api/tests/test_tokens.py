"""Personal tokens: stored hashed, shown once, looked up by their prefix, revoked by their user or an admin."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.api.models import ApiToken
from pilot_portal.api.tokens import MAX_ACTIVE_TOKENS, TokenError, token_authenticate, token_create, token_revoke

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_the_sha256_of_itself_and_found_by_its_prefix(ward_clerk):
    new = token_create(user=ward_clerk, name="Một cửa tỉnh")
    stored = ApiToken.objects.get()
    assert new.raw.startswith(f"pp_{stored.prefix}_")
    assert stored.token_hash == hashlib.sha256(new.raw.encode()).hexdigest()
    assert new.raw not in {stored.prefix, stored.token_hash, stored.name}
    assert token_authenticate(new.raw) == stored


def test_a_token_with_a_known_prefix_and_another_secret_opens_nothing(ward_clerk):
    new = token_create(user=ward_clerk, name="Một cửa tỉnh")
    forged = new.raw[:-4] + ("AAAA" if not new.raw.endswith("AAAA") else "BBBB")
    assert token_authenticate(forged) is None
    assert token_authenticate("") is None
    assert token_authenticate("pp_\x00_x") is None


def test_the_api_answers_401_without_a_token_with_a_wrong_one_and_with_a_revoked_one(ward_clerk, anonymous_api):
    new = token_create(user=ward_clerk, name="Một cửa tỉnh")
    status, body = anonymous_api.get("/api/v1/provinces")
    assert status == 401
    assert "Bearer" in body["detail"]
    assert ApiClient("pp_000000000000_" + "x" * 43).get("/api/v1/provinces")[0] == 401
    assert ApiClient(new.raw).get("/api/v1/provinces")[0] == 200
    token_revoke(token=new.token)
    assert ApiClient(new.raw).get("/api/v1/provinces")[0] == 401


def test_a_deactivated_user_s_token_opens_nothing(ward_clerk):
    new = token_create(user=ward_clerk, name="Một cửa tỉnh")
    ward_clerk.is_active = False
    ward_clerk.save()
    assert ApiClient(new.raw).get("/api/v1/provinces")[0] == 401


def test_the_last_use_is_recorded(ward_clerk, frozen_now):
    new = token_create(user=ward_clerk, name="Một cửa tỉnh")
    assert new.token.last_used_at is None
    ApiClient(new.raw).get("/api/v1/provinces")
    new.token.refresh_from_db()
    assert new.token.last_used_at == timezone.now()


def test_a_user_holds_a_bounded_number_of_active_tokens(ward_clerk):
    for n in range(MAX_ACTIVE_TOKENS):
        token_create(user=ward_clerk, name=f"Khóa {n}")
    with pytest.raises(TokenError):
        token_create(user=ward_clerk, name="Một khóa nữa")
    token_revoke(token=ApiToken.objects.filter(user=ward_clerk).first())
    assert token_create(user=ward_clerk, name="Một khóa nữa").token.is_active


def test_the_tokens_page_creates_a_token_shown_once_and_lists_it_without_the_secret(client, ward_clerk):
    client.force_login(ward_clerk)
    response = client.post(reverse("api_tokens:list"), {"name": "Một cửa tỉnh"})
    assert response.status_code == 200
    raw = response.context["new_token"].raw
    assert raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.get(reverse("api_tokens:list")).content.decode()
    assert "Một cửa tỉnh" in again
    assert raw not in again
    assert f"pp_{ApiToken.objects.get().prefix}_" in again


def test_the_tokens_page_refuses_an_empty_name_and_keeps_nothing(client, ward_clerk):
    client.force_login(ward_clerk)
    response = client.post(reverse("api_tokens:list"), {"name": "   "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_own_token_but_not_another_user_s(client, ward_clerk, clerk_of_other_unit):
    mine = token_create(user=ward_clerk, name="Của tôi").token
    theirs = token_create(user=clerk_of_other_unit, name="Của người khác").token
    client.force_login(ward_clerk)
    assert client.post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


def test_a_user_without_a_role_gets_no_tokens_page(client, user_without_role):
    client.force_login(user_without_role)
    assert client.get(reverse("api_tokens:list")).status_code == 403


def test_an_admin_revokes_any_token_in_the_admin(client, ward_clerk):
    admin = UserFactory(superuser=True)
    token = token_create(user=ward_clerk, name="Một cửa tỉnh").token
    client.force_login(admin)
    response = client.post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("admin:api_apitoken_changelist")).status_code == 200
