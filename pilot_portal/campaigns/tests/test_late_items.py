"""The full list of late checklist items (the dashboard shows the first 30)."""

import pytest
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import Block, ChecklistItem
from pilot_portal.campaigns.services import campaign_unit_add
from units.tests.factories import ProvinceFactory, UnitFactory

from .conftest import tick_hand_items

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]  # 15/7/2025: June's items are late


def test_every_late_item_by_due_date_with_filters_and_pages(client, campaign, campaign_unit, province_staff):
    other = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Phường Xong"))
    tick_hand_items(other, province_staff)
    per_unit = campaign_unit.items.count()
    client.force_login(province_staff)
    url = reverse("campaigns:late", args=[campaign.pk])
    response = client.get(url)
    assert response.status_code == 200
    late = response.context["page"].paginator.object_list
    assert len(late) == per_unit + 3  # the other unit: its three derived items only
    assert [v.item.due_date for _r, v in late] == sorted(v.item.due_date for _r, v in late)
    by_block = client.get(url, {"block": Block.COUNCIL}).context["page"].paginator.object_list
    assert by_block and {v.item.block for _r, v in by_block} == {Block.COUNCIL}
    critical = client.get(url, {"critical": "1"}).context["page"].paginator.object_list
    assert critical and all(v.item.is_critical for _r, v in critical)
    mine = client.get(url, {"unit": str(other.pk)}).context["page"].paginator.object_list
    assert {r.campaign_unit.pk for r, _v in mine} == {other.pk} and len(mine) == 3
    for _ in range(2):
        campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province))
    first = client.get(url)
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    assert client.get(url, {"page": 2}).context["page"].number == 2


def test_the_dashboard_links_to_the_full_list_past_30(client, campaign, campaign_unit, province_staff):
    campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province))
    client.force_login(province_staff)
    html = client.get(reverse("campaigns:dashboard", args=[campaign.pk])).content.decode()
    assert ChecklistItem.objects.count() > 30
    assert f'href="{reverse("campaigns:late", args=[campaign.pk])}" id="all-late-items"' in html


def test_late_items_are_scoped(client, campaign, campaign_unit, user_without_role):
    client.force_login(UserFactory(province_staff=True, province=ProvinceFactory()))
    assert client.get(reverse("campaigns:late", args=[campaign.pk])).status_code == 404
    client.force_login(user_without_role)
    assert client.get(reverse("campaigns:late", args=[campaign.pk])).status_code == 403


def test_late_items_query_count_does_not_grow(
    client, campaign, campaign_unit, province_staff, django_assert_max_num_queries
):
    client.force_login(province_staff)
    url = reverse("campaigns:late", args=[campaign.pk])
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
