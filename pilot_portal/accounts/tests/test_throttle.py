"""Login throttling: per account over all addresses, per address over all accounts, usernames case-insensitive,
an administrator's unlock, and a username too long for the records."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from pilot_portal.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT_LOCKED = "tài khoản này bị khóa"
ADDRESS_LOCKED = "đăng nhập từ địa chỉ này bị khóa"


def _login(client, username, password, address="203.0.113.10"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8


def test_an_account_is_locked_after_failures_from_many_addresses(client, ward_clerk, limits):
    for n in range(5):
        _login(client, ward_clerk.username, "sai", address=f"198.51.100.{n}")
    response = _login(client, ward_clerk.username, TEST_PASSWORD, address="192.0.2.50")
    assert response.status_code == 429
    assert ACCOUNT_LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_case_variants_of_a_username_are_the_same_account(client, limits):
    user = UserFactory(username="motcua.thu", ward_clerk=True)
    for n, variant in enumerate(["MOTCUA.THU", "Motcua.Thu", "motcua.thu ", "MotCua.thu", "motcua.THU"]):
        _login(client, variant, "sai", address=f"198.51.100.{n}")
    response = _login(client, user.username, TEST_PASSWORD, address="192.0.2.51")
    assert response.status_code == 429


def test_an_address_is_locked_after_failures_over_many_accounts(client, limits):
    users = [UserFactory(ward_clerk=True) for _ in range(4)]
    for user in users:
        for _ in range(2):
            _login(client, user.username, "sai")
    other = UserFactory(ward_clerk=True)
    response = _login(client, other.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert ADDRESS_LOCKED in response.content.decode()
    # The same account from another address logs in.
    assert _login(client, other.username, TEST_PASSWORD, address="192.0.2.52").status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_guesses_on_others(client, limits):
    insider = UserFactory(ward_clerk=True)
    victims = [UserFactory(ward_clerk=True) for _ in range(4)]
    for victim in victims[:3]:
        for _ in range(2):
            _login(client, victim.username, "sai")
    assert _login(client, insider.username, TEST_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(2):
        _login(client, victims[3].username, "sai")
    assert _login(client, insider.username, TEST_PASSWORD).status_code == 429


def test_an_administrator_unlocks_an_account_in_the_admin(client, ward_clerk, limits):
    for n in range(5):
        _login(client, ward_clerk.username, "sai", address=f"198.51.100.{n}")
    assert _login(client, ward_clerk.username, TEST_PASSWORD).status_code == 429
    admin = UserFactory(is_staff=True, is_superuser=True)
    staff = type(client)()
    staff.force_login(admin)
    changelist = staff.get(reverse("admin:axes_accessattempt_changelist"))
    assert ward_clerk.username in changelist.content.decode()
    ids = list(AccessAttempt.objects.filter(username=ward_clerk.username).values_list("pk", flat=True))
    confirmed = staff.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert confirmed.status_code == 302
    assert _login(client, ward_clerk.username, TEST_PASSWORD).status_code == 302


def test_a_username_longer_than_the_records_gets_a_message_not_a_500(client, limits):
    response = _login(client, "a" * 256, "sai")
    assert response.status_code == 200
    assert "150" in response.content.decode()
    assert not AccessAttempt.objects.exists()
