"""Every scoped page: 404 from another unit or province, 403 without a role, and a constant number of queries."""

import pytest
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import IssueStatus, PilotIssue
from pilot_portal.campaigns.services import campaign_unit_add, pilot_issue_answer, pilot_issue_transition
from pilot_portal.campaigns.tests.factories import CampaignFactory, PilotIssueFactory
from units.tests.factories import ProvinceFactory, UnitFactory

from .conftest import closed_session, returned_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(campaign):
    """Another unit of the same campaign, with an issue."""
    campaign_unit = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province))
    return campaign_unit, PilotIssueFactory(campaign_unit=campaign_unit)


def unit_write_requests(campaign_unit, issue):
    """(method, url, data) of every page that changes a unit's campaign data."""
    item = campaign_unit.items.filter(derived_source="").first()
    return [
        ("get", reverse("campaigns:item", args=[item.pk]), {}),
        ("post", reverse("campaigns:item", args=[item.pk]), {"status": "done"}),
        ("get", reverse("campaigns:issue_create", args=[campaign_unit.pk]), {}),
        ("post", reverse("campaigns:issue_create", args=[campaign_unit.pk]), {"category": "obstacle", "title": "X"}),
        ("get", reverse("campaigns:item_evidence", args=[item.pk]), {}),
    ]


def province_write_requests(campaign_unit, issue):
    return [
        ("post", reverse("campaigns:unit_transition", args=[campaign_unit.pk]), {"to": "piloting"}),
        ("post", reverse("campaigns:unit_go_live", args=[campaign_unit.pk]), {"override_reason": "Chỉ đạo"}),
        ("post", reverse("campaigns:issue", args=[issue.pk]), {"answer": "Đã xử lý"}),
    ]


def test_unit_official_gets_404_when_changing_another_units_checklist_or_issues(
    client, campaign_unit, neighbour, unit_official
):
    client.force_login(unit_official)
    for method, url, data in unit_write_requests(*neighbour):
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    other, _issue = neighbour
    assert not other.items.filter(status="done").exists()
    assert PilotIssue.objects.filter(campaign_unit=other).count() == 1


def test_unit_official_of_another_province_gets_404_for_the_campaign_pages(client, campaign_unit):
    stranger = UserFactory(unit_official=True, unit=UnitFactory(province=ProvinceFactory()))
    client.force_login(stranger)
    for name in ("campaigns:dashboard", "campaigns:issues", "campaigns:report", "campaigns:report_xlsx"):
        assert client.get(reverse(name, args=[campaign_unit.campaign_id])).status_code == 404, name


def test_province_staff_of_another_province_gets_404_for_every_change(client, campaign_unit, neighbour):
    stranger = UserFactory(province_staff=True, province=ProvinceFactory())
    client.force_login(stranger)
    for method, url, data in province_write_requests(*neighbour) + unit_write_requests(*neighbour)[:2]:
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    other, issue = neighbour
    other.refresh_from_db()
    issue.refresh_from_db()
    assert (other.status, issue.status) == ("not_started", IssueStatus.OPEN)


def test_user_without_role_is_refused_every_change(client, campaign_unit, user_without_role):
    issue = PilotIssueFactory(campaign_unit=campaign_unit)
    client.force_login(user_without_role)
    for method, url, data in province_write_requests(campaign_unit, issue) + unit_write_requests(campaign_unit, issue):
        assert getattr(client, method)(url, data).status_code == 403, (method, url)


def test_anonymous_visitor_is_sent_to_the_login_page(client, campaign_unit):
    response = client.get(reverse("campaigns:unit", args=[campaign_unit.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_an_object_id_beyond_the_database_range_is_a_404(client, campaign_unit, province_staff):
    client.force_login(province_staff)
    huge = 10**20
    for name in ("campaigns:dashboard", "campaigns:unit", "campaigns:item", "campaigns:issue"):
        assert client.get(reverse(name, args=[huge])).status_code == 404, name


# --- Query counts ------------------------------------------------------------------------------------------------


def _grows(client, url, grow, django_assert_max_num_queries, limit):
    """The page's query count with little data, then again after ``grow()``: the same."""
    with django_assert_max_num_queries(limit) as few:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    return response


def test_issue_list_query_count_does_not_grow_with_issues(
    client, campaign, campaign_unit, province_staff, django_assert_max_num_queries
):
    PilotIssueFactory(campaign_unit=campaign_unit)
    client.force_login(province_staff)

    def grow():
        for _ in range(3):
            other = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province))
            for issue in PilotIssueFactory.create_batch(5, campaign_unit=other):
                pilot_issue_answer(issue=issue, actor=province_staff, answer="Đã trả lời")

    response = _grows(
        client, reverse("campaigns:issues", args=[campaign.pk]), grow, django_assert_max_num_queries, limit=8
    )
    assert len(response.context["issues"]) == 16


def test_issue_page_query_count_does_not_grow_with_its_history(
    client, campaign_unit, province_staff, django_assert_max_num_queries
):
    issue = PilotIssueFactory(campaign_unit=campaign_unit)
    pilot_issue_answer(issue=issue, actor=province_staff, answer="Đang xem xét")
    client.force_login(province_staff)

    def grow():
        for _ in range(4):
            pilot_issue_answer(issue=issue, actor=province_staff, answer="Đã trả lời", close=True)
            pilot_issue_transition(issue=issue, to=IssueStatus.OPEN, actor=UserFactory(province_staff=True))

    _grows(client, reverse("campaigns:issue", args=[issue.pk]), grow, django_assert_max_num_queries, limit=8)


def test_report_excel_query_count_does_not_grow_with_units(
    client, campaign, campaign_unit, province_staff, django_assert_max_num_queries
):
    client.force_login(province_staff)

    def grow():
        for _ in range(10):
            unit = UnitFactory(province=campaign.province)
            campaign_unit_add(campaign=campaign, unit=unit)
            PilotIssueFactory(campaign_unit=unit.campaign_unit)
            closed_session(unit)
            returned_dossier(unit)

    _grows(client, reverse("campaigns:report_xlsx", args=[campaign.pk]), grow, django_assert_max_num_queries, 14)


def test_national_overview_query_count_does_not_grow_with_campaigns(
    client, campaign, national_viewer, django_assert_max_num_queries
):
    """National viewers start on the overview (every campaign side by side) instead of a list of campaigns."""
    CampaignFactory()
    client.force_login(national_viewer)
    assert client.get(reverse("campaigns:index")).url == reverse("campaigns:national")

    def grow():
        CampaignFactory.create_batch(5)

    response = _grows(client, reverse("campaigns:national"), grow, django_assert_max_num_queries, limit=14)
    assert len(response.context["rows"]) == 7


@pytest.mark.parametrize("name", ["campaigns:item", "campaigns:issue_create"])
def test_forms_of_a_unit_have_a_bounded_query_count(
    client, campaign_unit, unit_official, django_assert_max_num_queries, name
):
    item = campaign_unit.items.filter(derived_source="").first()
    client.force_login(unit_official)
    url = reverse(name, args=[item.pk if name == "campaigns:item" else campaign_unit.pk])
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_unit_official_sees_only_their_units_issues_in_the_log(
    client, campaign, campaign_unit, neighbour, unit_official
):
    own = PilotIssueFactory(campaign_unit=campaign_unit)
    client.force_login(unit_official)
    response = client.get(reverse("campaigns:issues", args=[campaign.pk]))
    assert list(response.context["issues"]) == [own]
