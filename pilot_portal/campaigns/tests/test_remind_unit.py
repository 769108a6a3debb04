""" "Remind this unit": the province tells a late unit's officials of their late items, once a day at most."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.services import AlreadyReminded, CampaignError, unit_remind
from pilot_portal.notifications.models import Kind, Notification
from units.tests.factories import ProvinceFactory

from .conftest import AFTER_GO_LIVE, tick_hand_items

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_a_late_unit_is_reminded_once_a_day_with_its_late_items(campaign_unit, unit_official, province_staff):
    with time_machine.travel(at(AFTER_GO_LIVE), tick=False):
        assert unit_remind(campaign_unit=campaign_unit, actor=province_staff) == 1
        notice = Notification.objects.get(recipient=unit_official)
        assert notice.kind == Kind.READINESS
        assert notice.title.startswith("Tỉnh nhắc: ")
        assert "trễ hạn" in notice.title
        assert "(16/06/2025)" in notice.body or "(25/06/2025)" in notice.body
        assert notice.link == reverse("campaigns:unit", args=[campaign_unit.pk])
        with pytest.raises(AlreadyReminded, match="một lần mỗi ngày"):
            unit_remind(campaign_unit=campaign_unit, actor=province_staff)
    with time_machine.travel(at(AFTER_GO_LIVE + dt.timedelta(days=1)), tick=False):
        unit_remind(campaign_unit=campaign_unit, actor=province_staff)
    assert Notification.objects.filter(recipient=unit_official).count() == 2


def test_a_unit_with_nothing_late_is_not_reminded(campaign_unit, unit_official, province_staff):
    tick_hand_items(campaign_unit, province_staff)
    with time_machine.travel(at(dt.date(2025, 6, 1)), tick=False), pytest.raises(CampaignError, match="không có việc"):
        unit_remind(campaign_unit=campaign_unit, actor=province_staff)
    assert not Notification.objects.exists()


def test_the_remind_button_and_its_access(client, campaign_unit, unit_official, province_staff, national_viewer):
    url = reverse("campaigns:unit_remind", args=[campaign_unit.pk])
    with time_machine.travel(at(AFTER_GO_LIVE), tick=False):
        client.force_login(province_staff)
        page = client.get(reverse("campaigns:unit", args=[campaign_unit.pk])).content.decode()
        assert 'id="remind-unit"' in page
        response = client.post(url, follow=True)
        assert "Đã gửi lời nhắc tới 1 cán bộ của đơn vị." in response.content.decode()
        again = client.post(url, follow=True)
        assert "một lần mỗi ngày" in again.content.decode()
        for user in (unit_official, national_viewer, UserFactory()):
            client.force_login(user)
            assert client.post(url).status_code == 403
        client.force_login(UserFactory(province_staff=True, province=ProvinceFactory()))
        assert client.post(url).status_code == 404
    assert Notification.objects.filter(recipient=unit_official).count() == 1
