from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from pilot_portal.notifications import services
from pilot_portal.notifications.models import DigestDelivery, Kind, Notification, Preference
from pilot_portal.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = datetime(2025, 6, 17, 7, 0, tzinfo=HCM)


def created(notification, when):
    Notification.objects.filter(pk=notification.pk).update(created_at=when)


def test_digest_gathers_the_last_day_once(unit_official, django_capture_on_commit_callbacks):
    Preference.objects.create(user=unit_official, daily_digest=True)
    created(NotificationFactory(recipient=unit_official, title="Còn 7 ngày"), datetime(2025, 6, 16, 9, 0, tzinfo=HCM))
    created(NotificationFactory(recipient=unit_official, title="Hồ sơ quá hạn"), datetime(2025, 6, 16, 15, tzinfo=HCM))
    created(NotificationFactory(recipient=unit_official, title="Tuần trước"), datetime(2025, 6, 10, 9, tzinfo=HCM))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_daily_digests(at=MORNING) == 1
        assert services.send_daily_digests(at=MORNING) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Cổng thí điểm] 2 thông báo mới"
    assert "Còn 7 ngày" in mail.outbox[0].body
    assert "Tuần trước" not in mail.outbox[0].body
    assert DigestDelivery.objects.get().notification_count == 2


def test_digest_leaves_out_kinds_turned_off_and_users_not_on_digest(
    unit_official, ward_clerk, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=unit_official, daily_digest=True, email_kinds=[Kind.MILESTONE])
    created(NotificationFactory(recipient=unit_official, kind=Kind.DOSSIER), datetime(2025, 6, 16, 9, tzinfo=HCM))
    created(NotificationFactory(recipient=ward_clerk), datetime(2025, 6, 16, 9, tzinfo=HCM))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_daily_digests(at=MORNING) == 0
    assert mail.outbox == []


def test_a_failing_mail_server_leaves_the_digest_to_the_retry(unit_official, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1  # nothing listens on port 1
    Preference.objects.create(user=unit_official, daily_digest=True)
    created(NotificationFactory(recipient=unit_official), datetime(2025, 6, 16, 9, 0, tzinfo=HCM))
    with pytest.raises(OSError):
        services.send_daily_digests(at=MORNING)
    assert not DigestDelivery.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_daily_digests(at=MORNING) == 1


def test_a_late_digest_covers_the_same_day_and_the_next_one_takes_the_rest(unit_official):
    Preference.objects.create(user=unit_official, daily_digest=True)
    created(NotificationFactory(recipient=unit_official, title="Hôm trước"), datetime(2025, 6, 16, 8, tzinfo=HCM))
    created(NotificationFactory(recipient=unit_official, title="Sáng nay"), datetime(2025, 6, 17, 9, tzinfo=HCM))
    # Beat queued it at 07:00 but the worker only ran it at noon (or a retry did).
    assert services.send_daily_digests(at=datetime(2025, 6, 17, 12, 0, tzinfo=HCM)) == 1
    assert "Hôm trước" in mail.outbox[0].body and "Sáng nay" not in mail.outbox[0].body
    assert services.send_daily_digests(at=datetime(2025, 6, 18, 7, 0, tzinfo=HCM)) == 1
    assert "Sáng nay" in mail.outbox[1].body and "Hôm trước" not in mail.outbox[1].body
    assert list(DigestDelivery.objects.order_by("day").values_list("day", flat=True)) == [
        datetime(2025, 6, 17).date(),
        datetime(2025, 6, 18).date(),
    ]
