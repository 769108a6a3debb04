import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilot_portal.notifications.models import Kind, Notification, Preference
from pilot_portal.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_the_bell_shows_the_unread_count(client, unit_official):
    NotificationFactory.create_batch(3, recipient=unit_official)
    NotificationFactory(recipient=unit_official, read_at="2025-06-16T08:00:00+07:00")
    client.force_login(unit_official)
    content = client.get(reverse("home")).content.decode()
    assert 'aria-label="Thông báo: 3 chưa đọc"' in content


def test_the_bell_costs_one_query_on_an_index(client, unit_official):
    NotificationFactory.create_batch(2, recipient=unit_official)
    client.force_login(unit_official)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1
    assert counts[0].startswith("SELECT COUNT(*)")


def test_the_bell_is_hidden_from_a_user_without_role(client, user_without_role):
    client.force_login(user_without_role)
    assert "notification-bell" not in client.get(reverse("home")).content.decode()


def test_list_shows_only_my_notifications_newest_first(client, unit_official, ward_clerk):
    NotificationFactory(recipient=unit_official, title="Cũ hơn")
    NotificationFactory(recipient=unit_official, title="Mới hơn")
    NotificationFactory(recipient=ward_clerk, title="Của người khác")
    client.force_login(unit_official)
    response = client.get(reverse("notifications:list"))
    assert [n.title for n in response.context["page"].object_list] == ["Mới hơn", "Cũ hơn"]
    assert "Của người khác" not in response.content.decode()


def test_list_can_show_unread_only(client, unit_official):
    NotificationFactory(recipient=unit_official, title="Chưa đọc")
    NotificationFactory(recipient=unit_official, title="Đã đọc", read_at="2025-06-16T08:00:00+07:00")
    client.force_login(unit_official)
    response = client.get(reverse("notifications:list"), {"unread": "1"})
    assert [n.title for n in response.context["page"].object_list] == ["Chưa đọc"]


def test_user_without_role_is_refused_the_notification_pages(client, user_without_role):
    client.force_login(user_without_role)
    assert client.get(reverse("notifications:list")).status_code == 403
    assert client.get(reverse("notifications:preferences")).status_code == 403


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, unit_official):
    notification = NotificationFactory(recipient=unit_official, link="/units/")
    client.force_login(unit_official)
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"next": notification.link})
    assert response.status_code == 302
    assert response["Location"] == "/units/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_foreign_link_is_not_followed(client, unit_official):
    notification = NotificationFactory(recipient=unit_official)
    client.force_login(unit_official)
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.parametrize(
    "target",
    ["abc", "notifications:list", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "\x00", "a" * 5000],
)
def test_only_a_path_of_this_site_is_followed_after_marking_read(client, unit_official, target):
    notification = NotificationFactory(recipient=unit_official, link="")
    client.force_login(unit_official)
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_needs_post(client, unit_official):
    notification = NotificationFactory(recipient=unit_official)
    client.force_login(unit_official)
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_clerk_of_another_unit_cannot_mark_my_notification_read(client, unit_official, clerk_of_other_unit):
    notification = NotificationFactory(recipient=unit_official)
    client.force_login(clerk_of_other_unit)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_my_notifications(client, unit_official, ward_clerk):
    NotificationFactory.create_batch(3, recipient=unit_official)
    theirs = NotificationFactory(recipient=ward_clerk)
    client.force_login(unit_official)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "Đã đánh dấu 3 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=unit_official, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_are_saved(client, unit_official):
    client.force_login(unit_official)
    response = client.post(
        reverse("notifications:preferences"),
        {"email_kinds": [Kind.MILESTONE, Kind.SESSION], "daily_digest": "on"},
        follow=True,
    )
    assert "Đã lưu lựa chọn nhận thông báo của bạn." in response.content.decode()
    preference = Preference.objects.get(user=unit_official)
    assert preference.email_kinds == [Kind.MILESTONE, Kind.SESSION]
    assert preference.daily_digest is True


def test_an_unknown_kind_in_the_preferences_form_shows_a_message(client, unit_official):
    client.force_login(unit_official)
    response = client.post(reverse("notifications:preferences"), {"email_kinds": ["gia-mao"]})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not Preference.objects.exists()


@pytest.mark.parametrize("rows", [1, 40])
def test_list_query_count_does_not_grow_with_rows(client, unit_official, django_assert_max_num_queries, rows):
    NotificationFactory.create_batch(rows, recipient=unit_official)
    client.force_login(unit_official)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_admin_lists_notifications_preferences_and_digests(client, unit_official):
    from pilot_portal.accounts.tests.factories import UserFactory

    NotificationFactory(recipient=unit_official)
    Preference.objects.create(user=unit_official, daily_digest=True)
    client.force_login(UserFactory(superuser=True))
    for name in ("notification", "preference", "digestdelivery"):
        assert client.get(reverse(f"admin:notifications_{name}_changelist")).status_code == 200
