"""The block of the checklist an issue concerns (Đảng ủy, HĐND, UBND, MTTQ...): chosen when the unit raises it,
shown in the log and on the issue's page, filterable, in the admin; issues raised before it existed have none."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import Block, IssueSeverity, PilotIssue
from pilot_portal.campaigns.services import (
    CampaignError,
    campaign_unit_add,
    checklist_templates_ensure_defaults,
    pilot_issue_raise,
)
from pilot_portal.campaigns.tests.factories import CampaignFactory, PilotIssueFactory
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db


def raise_issue(campaign_unit, official, title, block, severity=IssueSeverity.MEDIUM):
    return pilot_issue_raise(
        campaign_unit=campaign_unit, actor=official, category="obstacle", severity=severity, title=title, block=block
    )


@pytest.fixture
def issues(campaign, campaign_unit, unit_official):
    other = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Phường Bên Cạnh"))
    raise_issue(campaign_unit, unit_official, "Chưa có chữ ký số", Block.IT, IssueSeverity.CRITICAL)
    raise_issue(campaign_unit, unit_official, "Thiếu quy chế làm việc", Block.COMMITTEE)
    raise_issue(other, unit_official, "Đường truyền chậm", Block.IT)
    PilotIssueFactory(campaign_unit=other, title="Vấn đề nêu từ trước")  # before blocks were asked: none
    return other


def test_the_log_filters_by_block_with_the_other_filters(
    client, campaign, issues, province_staff, django_assert_max_num_queries
):
    client.force_login(province_staff)
    url = reverse("campaigns:issues", args=[campaign.pk])

    def titles(params):
        with django_assert_max_num_queries(10):
            response = client.get(url, params)
        assert response.status_code == 200
        return sorted(i.title for i in response.context["issues"])

    assert titles({"block": Block.IT}) == ["Chưa có chữ ký số", "Đường truyền chậm"]
    assert titles({"block": Block.COMMITTEE}) == ["Thiếu quy chế làm việc"]
    assert titles({"block": Block.IT, "severity": IssueSeverity.CRITICAL}) == ["Chưa có chữ ký số"]
    assert titles({"block": Block.IT, "unit": issues.unit_id}) == ["Đường truyền chậm"]
    assert titles({"block": "none"}) == ["Vấn đề nêu từ trước"]
    assert titles({"block": Block.PARTY}) == []
    assert len(titles({"block": "khong-co"})) == 4  # not a choice: ignored, never a 500
    body = client.get(url, {"block": Block.IT}).content.decode()
    assert '<option value="it" selected>CNTT và hạ tầng</option>' in body
    assert '<th scope="col" style="min-width: 7rem">Khối</th>' in body
    everything = client.get(url).content.decode()
    assert "Chưa xác định khối" in everything  # the old issue's block


def test_the_log_by_block_is_scoped(client, campaign, issues, national_viewer):
    url = reverse("campaigns:issues", args=[campaign.pk])
    client.force_login(UserFactory(province_staff=True, province=ProvinceFactory()))
    assert client.get(url, {"block": Block.IT}).status_code == 404
    client.force_login(national_viewer)
    assert len(client.get(url, {"block": Block.IT}).context["issues"]) == 2


def test_the_raise_form_asks_for_the_block(client, campaign_unit, unit_official):
    client.force_login(unit_official)
    url = reverse("campaigns:issue_create", args=[campaign_unit.pk])
    form = client.get(url).content.decode()
    assert 'name="block"' in form
    assert '<option value="front">MTTQ và các đoàn thể</option>' in form
    data = {"category": "obstacle", "severity": "medium", "title": "Thiếu phòng họp cho HĐND"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "block" in refused.context["form"].errors
    assert not PilotIssue.objects.exists()

    response = client.post(url, {**data, "block": Block.COUNCIL}, follow=True)
    issue = PilotIssue.objects.get()
    assert issue.block == Block.COUNCIL
    assert '<span class="badge text-bg-primary" id="issue-block" title="Khối">HĐND</span>' in response.content.decode()


def test_the_service_refuses_a_block_that_is_not_one_of_the_checklists(campaign_unit, unit_official):
    with pytest.raises(CampaignError, match="Hãy chọn khối"):
        raise_issue(campaign_unit, unit_official, "Khối lạ", "ke_toan")
    assert not PilotIssue.objects.exists()
    assert raise_issue(campaign_unit, unit_official, "Khối Đảng", Block.PARTY).block == "party"


def test_the_admin_lists_and_filters_issues_by_block(admin_client, campaign, issues):
    url = reverse("admin:campaigns_pilotissue_changelist")
    response = admin_client.get(url, {"block__exact": Block.COMMITTEE})
    assert response.status_code == 200
    assert [i.title for i in response.context["cl"].result_list] == ["Thiếu quy chế làm việc"]
    issue = PilotIssue.objects.get(title="Vấn đề nêu từ trước")
    change = admin_client.get(reverse("admin:campaigns_pilotissue_change", args=[issue.pk]))
    assert "block" in change.context["adminform"].form.fields  # an old issue can be given its block


@pytest.mark.slow
def test_the_migration_gives_existing_issues_no_block(migrator):
    old = migrator.apply_initial_migration(("campaigns", "0006_issue_answer_deadline")).apps
    province = old.get_model("units", "Province").objects.create(
        code="31", name="Thành phố Hải Phòng", short_name="Hải Phòng", kind="thanh_pho"
    )
    unit = old.get_model("units", "Unit").objects.create(
        code="11311", province=province, name="Phường Lê Đại Hành", short_name="Lê Đại Hành", kind="phuong"
    )
    user = old.get_model("accounts", "User").objects.create(username="canbo", role="unit_official", unit=unit)
    campaign = old.get_model("campaigns", "Campaign").objects.create(province=province, name="Hải Phòng")
    campaign_unit = old.get_model("campaigns", "CampaignUnit").objects.create(campaign=campaign, unit=unit)
    old.get_model("campaigns", "PilotIssue").objects.create(
        campaign_unit=campaign_unit, raised_by=user, category="obstacle", severity="high", title="Mất mạng"
    )

    new = migrator.apply_tested_migration(("campaigns", "0007_pilot_issue_block")).apps
    issue = new.get_model("campaigns", "PilotIssue").objects.get()
    assert (issue.title, issue.block) == ("Mất mạng", "")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_province_staff_filters_the_issues_log_by_block(page, login, unit, province_staff):
    checklist_templates_ensure_defaults()
    campaign = CampaignFactory(province=unit.province, name="Vận hành thử nghiệm Hải Phòng")
    campaign_unit = campaign_unit_add(campaign=campaign, unit=unit)
    official = UserFactory(unit_official=True, unit=unit)
    raise_issue(campaign_unit, official, "Chưa có chữ ký số cho Trung tâm PVHCC", Block.IT, IssueSeverity.CRITICAL)
    raise_issue(campaign_unit, official, "Chưa ban hành quy chế làm việc của UBND", Block.COMMITTEE)
    PilotIssueFactory(campaign_unit=campaign_unit, title="Vấn đề nêu từ trước")

    login(province_staff)
    page.goto(reverse("campaigns:issues", args=[campaign.pk]))
    filters = page.locator("#issue-filters")
    filters.get_by_label("Khối").select_option(label="UBND")
    filters.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("link", name="Chưa ban hành quy chế làm việc của UBND")).to_be_visible()
    expect(page.get_by_role("link", name="Chưa có chữ ký số cho Trung tâm PVHCC")).to_have_count(0)
    expect(page.get_by_role("link", name="Vấn đề nêu từ trước")).to_have_count(0)
    expect(filters.get_by_label("Khối")).to_have_value("committee")
    filters.get_by_label("Khối").select_option(label="Tất cả")
    filters.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("row", name="Vấn đề nêu từ trước")).to_contain_text("Chưa xác định khối")
    filters.get_by_label("Khối").select_option(label="CNTT và hạ tầng")
    filters.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("row", name="Chưa có chữ ký số cho Trung tâm PVHCC")).to_contain_text("CNTT và hạ tầng")
    for name, size in (("tablet", {"width": 1024, "height": 768}), ("phone", {"width": 390, "height": 844})):
        page.set_viewport_size(size)
        page.screenshot(path=f"/tmp/wave-shots-issues-block-{name}.png", full_page=True)


def test_the_service_refuses_an_issue_without_a_block(campaign_unit, unit_official):
    """The block is the service's rule, not only the form's: a call that leaves it out (a script, the admin, the
    API) is refused with the form's message and saves nothing."""
    with pytest.raises(CampaignError, match="Hãy chọn khối"):
        raise_issue(campaign_unit, unit_official, "Không rõ khối", "")
    assert not PilotIssue.objects.exists()


def test_the_admin_cannot_add_an_issue_round_the_service(admin_client):
    from django.urls import reverse

    assert admin_client.get(reverse("admin:campaigns_pilotissue_add")).status_code == 403
