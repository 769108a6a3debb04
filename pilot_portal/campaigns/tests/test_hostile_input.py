"""Input the audit found giving server errors on the campaign pages: a clear message instead, never a 500."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pilot_portal.campaigns.selectors import today
from pilot_portal.campaigns.services import campaign_unit_add
from units.tests.factories import UnitFactory

from .conftest import closed_session

pytestmark = pytest.mark.django_db

ABSURD_DAYS = ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01"]


@pytest.mark.parametrize("day", ABSURD_DAYS)
@pytest.mark.parametrize("name", ["campaigns:dashboard", "campaigns:report", "campaigns:report_xlsx"])
def test_a_day_outside_the_supported_years_shows_today_with_a_message(client, campaign, province_staff, name, day):
    client.force_login(province_staff)
    response = client.get(reverse(name, args=[campaign.pk]), {"on": day}, follow=True)
    assert response.status_code == 200
    if name != "campaigns:report_xlsx":
        assert (
            "Hãy chọn một ngày từ 01/01/2000 đến 31/12/2099. Đang hiển thị theo hôm nay." in response.content.decode()
        )


@pytest.mark.parametrize("day", ABSURD_DAYS)
def test_the_unit_page_as_of_an_absurd_day_shows_today_with_a_message(client, campaign_unit, unit_official, day):
    client.force_login(unit_official)
    response = client.get(reverse("campaigns:unit", args=[campaign_unit.pk]), {"on": day})
    assert response.status_code == 200
    assert response.context["on"] == today()
    assert "Hãy chọn một ngày từ 01/01/2000 đến 31/12/2099. Đang hiển thị theo hôm nay." in response.content.decode()


@pytest.mark.parametrize("control", ["\x0b", "\x1b", "\x08", "\x0c\x1f", "\ufffe", "\uffff"])
def test_report_excel_drops_characters_xml_forbids_from_titles_and_lessons(client, campaign, province_staff, control):
    unit = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province)).unit
    closed_session(unit, title=f"=Kỳ họp{control}thứ nhất", lessons_good=f"Tốt{control}", lessons_fix="Sửa")
    client.force_login(province_staff)
    response = client.get(reverse("campaigns:report_xlsx", args=[campaign.pk]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    (session_cell,) = [row[1] for row in book.worksheets[1].iter_rows(min_row=2)]
    assert (session_cell.value, session_cell.data_type) == ("=Kỳ họpthứ nhất", "s")
    lessons = [row[1].value for row in book.worksheets[2].iter_rows(min_row=2)]
    assert any(text.endswith("Tốt") for text in lessons)
