import pytest
from django.urls import reverse

from pilot_portal.accounts.models import Role, User
from pilot_portal.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login_from_every_page(client):
    for url in ("/", reverse("units:list"), "/units/12345/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_login_page_speaks_vietnamese(client):
    response = client.get(reverse("accounts:login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Đăng nhập" in content
    assert "Mật khẩu" in content


def test_user_logs_in_and_out(client, ward_clerk):
    response = client.post(reverse("accounts:login"), {"username": ward_clerk.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    # A ward clerk's home is the dossier queue.
    home = client.get("/", follow=True)
    assert (home.status_code, home.redirect_chain[-1][0]) == (200, reverse("service_center:queue"))
    client.post(reverse("accounts:logout"))
    assert client.get("/").url.startswith(reverse("accounts:login"))


def test_wrong_password_shows_a_clear_message(client, ward_clerk):
    response = client.post(reverse("accounts:login"), {"username": ward_clerk.username, "password": "sai"})
    assert response.status_code == 200
    assert "Vui lòng điền vào" in response.content.decode()


def test_repeated_wrong_passwords_lock_the_account_for_that_address(client, ward_clerk, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": ward_clerk.username, "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": ward_clerk.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert client.get("/").status_code == 302  # the right password did not get through


def test_password_change(client, ward_clerk):
    client.force_login(ward_clerk)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "mot-mat-khau-moi-2025",
            "new_password2": "mot-mat-khau-moi-2025",
        },
    )
    assert response.status_code == 302
    ward_clerk.refresh_from_db()
    assert ward_clerk.check_password("mot-mat-khau-moi-2025")


def test_province_staff_must_have_a_province():
    user = User(username="thieu-tinh", role=Role.PROVINCE_STAFF)
    with pytest.raises(Exception) as error:
        user.full_clean()
    assert "province" in error.value.message_dict


def test_unit_roles_must_have_a_unit():
    user = User(username="thieu-don-vi", role=Role.WARD_CLERK)
    with pytest.raises(Exception) as error:
        user.full_clean()
    assert "unit" in error.value.message_dict


def test_user_without_role_sees_a_clear_explanation(client):
    client.force_login(UserFactory())
    response = client.get("/")
    assert "chưa được phân quyền" in response.content.decode()
    assert client.get(reverse("units:list")).status_code == 403


def test_a_signed_in_user_sent_back_to_the_login_page_lands_home(client, ward_clerk):
    client.force_login(ward_clerk)
    response = client.get("/accounts/login/?next=/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get("/accounts/login/?next=/units/")["Location"] == "/units/"
