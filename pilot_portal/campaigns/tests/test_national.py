"""The national overview and the map of the units: access, figures, sort, totals, Excel, constant queries."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns import selectors
from pilot_portal.campaigns.models import CampaignUnit, IssueSeverity, PilotIssue, PilotStatus
from pilot_portal.campaigns.services import (
    campaign_unit_add,
    campaign_unit_transition,
    checklist_templates_ensure_defaults,
)
from pilot_portal.campaigns.tests.factories import CampaignFactory, PilotIssueFactory
from sessions.models import Session
from units.tests.factories import ProvinceFactory, UnitFactory

from .conftest import closed_session, make_ready, returned_dossier

pytestmark = pytest.mark.django_db


def _province_campaign(name, code, *, units=2, lat=21.0):
    province = ProvinceFactory(code=code, name=name, short_name=name.removeprefix("Tỉnh ").removeprefix("Thành phố "))
    campaign = CampaignFactory(province=province)
    cus = [
        campaign_unit_add(
            campaign=campaign,
            unit=UnitFactory(province=province, latitude=lat + i / 10, longitude=105.5 + i / 10),
        )
        for i in range(units)
    ]
    return campaign, cus


@pytest.fixture
def two_provinces(db):
    """Hải Phòng (2 units, one ready and piloting, one critical issue) and Đồng Nai (3 units, nothing done)."""
    checklist_templates_ensure_defaults()
    hai_phong, hp_units = _province_campaign("Thành phố Hải Phòng", "Q1", units=2, lat=20.8)
    dong_nai, dn_units = _province_campaign("Tỉnh Đồng Nai", "Q2", units=3, lat=11.5)
    return hai_phong, hp_units, dong_nai, dn_units


def _table_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-province="([^"]+)">', html)


def test_national_viewer_sees_every_province_with_figures_and_totals(client, two_provinces, national_viewer):
    hai_phong, hp_units, _dong_nai, _dn_units = two_provinces
    make_ready(hp_units[0], national_viewer)  # the actor of hand ticks only; a viewer cannot tick on a page
    campaign_unit_transition(campaign_unit=hp_units[0], to=PilotStatus.PILOTING, actor=national_viewer)
    returned_dossier(hp_units[1].unit, is_test=False, late=True)
    PilotIssueFactory(campaign_unit=hp_units[1], severity=IssueSeverity.CRITICAL)

    overview = selectors.national_overview(user=national_viewer)
    by_code = {r.province.code: r for r in overview["rows"]}
    hp, dn = by_code["Q1"], by_code["Q2"]
    assert (hp.units, hp.piloting, hp.passing, hp.critical_open) == (2, 1, 1, 1)
    assert (hp.first_hdnd_closed, hp.first_ubnd_closed, hp.test_returned, hp.received) == (1, 1, 1, 2)
    assert hp.on_time_rate == 50.0  # one test dossier on time, one late
    assert (dn.units, dn.piloting, dn.passing, dn.received, dn.on_time_rate) == (3, 0, 0, 0, None)
    assert dn.checklist_percent == 0 and hp.checklist_percent > 0
    total = overview["totals"]["row"]
    assert (total.units, total.piloting, total.passing, total.received, total.critical_open) == (5, 1, 1, 2, 1)
    assert total.items_total == hp.items_total + dn.items_total
    assert [b.total for b in total.blocks] == [a.total + b.total for a, b in zip(hp.blocks, dn.blocks, strict=True)]

    client.force_login(national_viewer)
    response = client.get(reverse("campaigns:national"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _table_rows(html) == ["Q2", "Q1"]  # Vietnamese order of the short names: Đồng Nai before Hải Phòng
    assert reverse("campaigns:dashboard", args=[hai_phong.pk]) in html
    assert 'id="national-totals"' in html


def test_block_completion_counts_the_derived_items_from_the_other_apps(two_provinces, national_viewer):
    _hai_phong, hp_units, _dong_nai, _dn_units = two_provinces
    closed_session(hp_units[0].unit, kind=Session.Kind.HDND)
    council = next(
        r for r in selectors.national_overview(user=national_viewer)["rows"] if r.province.code == "Q1"
    ).blocks[1]
    assert council.block == "council" and council.done == 1


def test_sort_by_a_figure_and_back_by_name(client, two_provinces, national_viewer):
    client.force_login(national_viewer)
    html = client.get(reverse("campaigns:national"), {"sort": "-units"}).content.decode()
    assert _table_rows(html) == ["Q2", "Q1"]
    assert _table_rows(client.get(reverse("campaigns:national"), {"sort": "units"}).content.decode()) == ["Q1", "Q2"]
    assert _table_rows(client.get(reverse("campaigns:national"), {"sort": "-province"}).content.decode()) == [
        "Q1",
        "Q2",
    ]
    # An unknown key is the name order, not an error.
    assert _table_rows(client.get(reverse("campaigns:national"), {"sort": "drop"}).content.decode()) == ["Q2", "Q1"]
    assert 'aria-sort="descending"' in html


def test_as_of_a_past_day_shows_the_pilot_status_then(client, two_provinces, national_viewer, province_staff):
    _hai_phong, hp_units, _dong_nai, _dn_units = two_provinces
    campaign_unit_transition(campaign_unit=hp_units[0], to=PilotStatus.PILOTING, actor=national_viewer)
    yesterday = selectors.today() - dt.timedelta(days=1)
    then = selectors.national_overview(user=national_viewer, on=yesterday)
    assert sum(r.piloting for r in then["rows"]) == 0
    assert sum(r.piloting for r in selectors.national_overview(user=national_viewer)["rows"]) == 1
    client.force_login(national_viewer)
    response = client.get(reverse("campaigns:national"), {"on": yesterday.isoformat()})
    assert 'id="figures-as-of"' in response.content.decode()
    assert f"?on={yesterday.isoformat()}" in response.content.decode()  # the drill-down keeps the day


def test_province_staff_see_only_their_province_row_and_points(client, two_provinces):
    _hai_phong, hp_units, _dong_nai, dn_units = two_provinces
    staff = UserFactory(province_staff=True, province=hp_units[0].unit.province)
    client.force_login(staff)
    html = client.get(reverse("campaigns:national")).content.decode()
    assert _table_rows(html) == ["Q1"]
    assert "Đồng Nai" not in html
    svg = client.get(reverse("campaigns:national_map")).content.decode()
    assert svg.count("data-status=") == 2
    for cu in dn_units:
        assert reverse("campaigns:unit", args=[cu.pk]) not in svg
    assert reverse("campaigns:unit", args=[hp_units[0].pk]) in svg
    workbook = load_workbook(io.BytesIO(client.get(reverse("campaigns:national_xlsx")).content))
    names = [row[0] for row in workbook.active.iter_rows(min_row=4, values_only=True)]
    assert names == ["Thành phố Hải Phòng", "Toàn quốc"]


def test_other_roles_get_403_and_national_viewers_change_nothing(client, two_provinces, national_viewer):
    _hai_phong, hp_units, _dong_nai, _dn_units = two_provinces
    official = UserFactory(unit_official=True, unit=hp_units[0].unit)
    for user in (official, UserFactory()):
        client.force_login(user)
        for name in ("campaigns:national", "campaigns:national_xlsx", "campaigns:national_map"):
            assert client.get(reverse(name)).status_code == 403, (user, name)
    client.force_login(national_viewer)
    issue = PilotIssueFactory(campaign_unit=hp_units[0])
    for url, data in (
        (reverse("campaigns:unit_transition", args=[hp_units[0].pk]), {"to": "piloting"}),
        (reverse("campaigns:unit_go_live", args=[hp_units[0].pk]), {"override_reason": "Chỉ đạo"}),
        (reverse("campaigns:issue", args=[issue.pk]), {"answer": "Đã xử lý"}),
        (reverse("campaigns:item", args=[hp_units[0].items.filter(derived_source="").first().pk]), {"status": "done"}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert not CampaignUnit.objects.exclude(status=PilotStatus.NOT_STARTED).exists()
    assert PilotIssue.objects.get(pk=issue.pk).answer == ""


def test_national_pages_cost_the_same_queries_for_more_provinces_and_units(
    client, two_provinces, national_viewer, django_assert_max_num_queries
):
    client.force_login(national_viewer)
    urls = [reverse("campaigns:national"), reverse("campaigns:national_xlsx"), reverse("campaigns:national_map")]
    past = {"on": (selectors.today() - dt.timedelta(days=1)).isoformat()}
    budget = 14  # session, user, then the overview's own queries
    for url in urls:
        for params in ({}, past):
            with django_assert_max_num_queries(budget):
                assert client.get(url, params).status_code == 200
    for i in range(3):
        _campaign, cus = _province_campaign(f"Tỉnh Thêm {i}", f"R{i}", units=4)
        make_ready(cus[0], national_viewer)
        PilotIssueFactory(campaign_unit=cus[1], severity=IssueSeverity.CRITICAL)
    for url in urls:
        for params in ({}, past):
            with django_assert_max_num_queries(budget):
                assert client.get(url, params).status_code == 200


def test_excel_has_title_date_header_provinces_and_total(client, two_provinces, national_viewer):
    _hai_phong, hp_units, _dong_nai, _dn_units = two_provinces
    returned_dossier(hp_units[0].unit)
    client.force_login(national_viewer)
    response = client.get(reverse("campaigns:national_xlsx"), {"on": "2025-07-02"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Tổng hợp toàn quốc vận hành thử nghiệm"
    assert rows[1][0] == "Số liệu tính đến hết ngày 02/07/2025."
    header = rows[2]
    assert header[0] == "Tỉnh, thành phố" and "Số hồ sơ nhận" in header
    assert [r[0] for r in rows[3:]] == ["Tỉnh Đồng Nai", "Thành phố Hải Phòng", "Toàn quốc"]
    received = header.index("Số hồ sơ nhận")
    assert [r[received] for r in rows[3:]] == [0, 1, 1]
    assert rows[3][1] is None and rows[4][2] is None  # every milestone has passed on 2/7/2025


def test_map_draws_every_unit_with_its_status_colour_and_link(client, two_provinces, national_viewer):
    hai_phong, hp_units, _dong_nai, _dn_units = two_provinces
    campaign_unit_transition(campaign_unit=hp_units[0], to=PilotStatus.PILOTING, actor=national_viewer)
    outside = UnitFactory(province=hai_phong.province, latitude=20.9, longitude=106.7)  # in no campaign
    UnitFactory(province=hai_phong.province, latitude=None, longitude=None)
    client.force_login(national_viewer)
    response = client.get(reverse("campaigns:national_map"))
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.count("data-status=") == 6
    assert svg.count('data-status="piloting"') == 1 and svg.count('data-status="none"') == 1
    assert reverse("units:detail", args=[outside.code]) in svg
    assert f"<title>{hp_units[0].unit.name} · Đang thử nghiệm</title>" in svg
    assert "1 đơn vị chưa có tọa độ" in svg
    dashboard = client.get(reverse("campaigns:dashboard", args=[hai_phong.pk])).content.decode()
    assert dashboard.count("data-status=") == 3  # the province's units only (one has no coordinates)
    assert 'target="_top"' not in dashboard


def test_province_staff_dashboard_map_shows_their_province_only(client, two_provinces):
    hai_phong, _hp_units, dong_nai, _dn_units = two_provinces
    staff = UserFactory(province_staff=True, province=hai_phong.province)
    client.force_login(staff)
    assert client.get(reverse("campaigns:dashboard", args=[dong_nai.pk])).status_code == 404
    html = client.get(reverse("campaigns:dashboard", args=[hai_phong.pk])).content.decode()
    assert html.count("data-status=") == 2


def test_national_viewer_and_superuser_start_on_the_overview(client, national_viewer):
    client.force_login(national_viewer)
    assert client.get(reverse("campaigns:index")).url == reverse("campaigns:national")
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(reverse("campaigns:index")).url == reverse("campaigns:national")


def test_figures_are_kept_in_the_cache_for_the_setting_and_the_page_says_when_computed(
    client, two_provinces, national_viewer, settings
):
    from django.core.cache import cache

    _hai_phong, hp_units, _dong_nai, _dn_units = two_provinces
    settings.CAMPAIGNS_OVERVIEW_CACHE_SECONDS = 300
    cache.clear()
    first = selectors.national_overview(user=national_viewer)
    returned_dossier(hp_units[0].unit)
    again = selectors.national_overview(user=national_viewer)
    assert again["totals"]["row"].received == first["totals"]["row"].received == 0
    assert again["figures_at"] == first["figures_at"]
    # Another scope (a province's staff) has its own entry, and the checklist and statuses are always live.
    staff = UserFactory(province_staff=True, province=hp_units[0].unit.province)
    assert selectors.national_overview(user=staff)["totals"]["row"].received == 1
    client.force_login(national_viewer)
    response = client.get(reverse("campaigns:national"))
    assert response.context["generated_at"] == first["figures_at"]
    settings.CAMPAIGNS_OVERVIEW_CACHE_SECONDS = 0
    assert selectors.national_overview(user=national_viewer)["totals"]["row"].received == 1
    cache.clear()


def test_as_of_a_past_day_counts_each_checklist_item_with_the_status_it_had_then(two_provinces, national_viewer):
    """Items changed since the day looked at count with the status their first later change left: one ticked
    today is not done then; one ticked yesterday and reopened today was done then; one ticked and reopened today
    was not; a critical item ticked today was still missing then."""
    from pilot_portal.campaigns.models import ChecklistItem, ItemStatus
    from pilot_portal.campaigns.selectors.national import _hand_item_figures
    from pilot_portal.campaigns.selectors.readiness import as_of_moment
    from pilot_portal.campaigns.services import checklist_item_update

    hai_phong, hp_units, _dong_nai, _dn_units = two_provinces
    admin = UserFactory(is_superuser=True)
    hand = ChecklistItem.objects.filter(campaign_unit=hp_units[0], derived_source="").order_by("pk")
    critical = hand.filter(is_critical=True).first()
    plain, reopened, twice = hand.filter(is_critical=False)[:3]
    yesterday = selectors.today() - dt.timedelta(days=1)

    def items_done(on=None):
        rows = selectors.national_overview(user=national_viewer, on=on)["rows"]
        return next(r for r in rows if r.campaign.pk == hai_phong.pk).items_done

    def critical_left(on=None):
        units = CampaignUnit.objects.filter(pk=hp_units[0].pk)
        return _hand_item_figures(units, as_of_moment(on) if on else None)[1].get(hp_units[0].pk, 0)

    done_before, critical_before = items_done(), critical_left()
    with time_machine.travel(timezone.now() - dt.timedelta(days=1), tick=False):
        checklist_item_update(item=reopened, to=ItemStatus.DONE, actor=admin)
    checklist_item_update(item=ChecklistItem.objects.get(pk=reopened.pk), to=ItemStatus.IN_PROGRESS, actor=admin)
    for item in (critical, plain, twice):
        checklist_item_update(item=item, to=ItemStatus.DONE, actor=admin)
    # Ticked and reopened today: the first of its two changes tells that it was not done yesterday.
    checklist_item_update(item=ChecklistItem.objects.get(pk=twice.pk), to=ItemStatus.IN_PROGRESS, actor=admin)

    assert items_done() == done_before + 2  # today: the critical and the plain item
    assert items_done(yesterday) == done_before + 1  # yesterday evening: only the one reopened since
    assert (critical_left(), critical_left(yesterday)) == (critical_before - 1, critical_before)
