import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_speak_vietnamese_whatever_the_browser_language(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_user_can_switch_to_english_and_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đăng nhập" in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_dates_are_shown_day_month_year(settings):
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        assert Template("{{ d|date:'SHORT_DATE_FORMAT' }} {{ d }}").render(Context({"d": date(2025, 6, 16)})) == (
            "16/06/2025 16/06/2025"
        )
