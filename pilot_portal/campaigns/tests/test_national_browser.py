import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pilot_portal.campaigns.services import campaign_unit_add, checklist_templates_ensure_defaults
from pilot_portal.campaigns.tests.factories import CampaignFactory
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_national_viewer_opens_the_overview_drills_into_hai_phong_and_opens_a_unit_from_the_map(
    page, login, national_viewer
):
    checklist_templates_ensure_defaults()
    hai_phong = ProvinceFactory(code="31", name="Thành phố Hải Phòng", short_name="Hải Phòng")
    dong_nai = ProvinceFactory(code="75", name="Tỉnh Đồng Nai", short_name="Đồng Nai")
    campaign = CampaignFactory(province=hai_phong, name="Vận hành thử nghiệm Hải Phòng")
    le_dai_hanh = campaign_unit_add(
        campaign=campaign,
        unit=UnitFactory(province=hai_phong, name="Phường Lê Đại Hành", latitude=21.08, longitude=106.39),
    )
    campaign_unit_add(
        campaign=campaign, unit=UnitFactory(province=hai_phong, name="Phường Chí Linh", latitude=21.13, longitude=106.4)
    )
    campaign_unit_add(
        campaign=CampaignFactory(province=dong_nai),
        unit=UnitFactory(province=dong_nai, name="Phường Đồng Xoài", latitude=11.53, longitude=106.88),
    )

    login(national_viewer)  # national viewers start on the overview
    expect(page.get_by_role("heading", name="Tổng hợp toàn quốc vận hành thử nghiệm")).to_be_visible()
    table = page.locator("#national-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(page.locator("#national-totals")).to_contain_text("Toàn quốc")
    # The map of every unit, in its frame.
    expect(page.frame_locator("#national-map").locator("circle[data-status]")).to_have_count(3)

    table.get_by_role("link", name="Thành phố Hải Phòng").click()
    expect(page.get_by_role("heading", name="Vận hành thử nghiệm Hải Phòng")).to_be_visible()
    points = page.locator("#unit-map circle[data-status]")
    expect(points).to_have_count(2)
    page.locator(f'#unit-map a[href="{reverse("campaigns:unit", args=[le_dai_hanh.pk])}"]').click()
    expect(page.get_by_role("heading", name="Phường Lê Đại Hành")).to_be_visible()
