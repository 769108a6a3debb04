import re
import uuid
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import ChecklistItem, IssueSeverity, IssueStatus, PilotIssue, PilotStatus
from pilot_portal.campaigns.services import campaign_unit_add, campaign_unit_transition
from pilot_portal.campaigns.tests.factories import CampaignFactory, PilotIssueFactory
from units.tests.factories import ProvinceFactory, UnitFactory

from .conftest import closed_session, returned_dossier, tick_hand_items

pytestmark = pytest.mark.django_db

SVG = {"svg": "http://www.w3.org/2000/svg"}


@pytest.fixture
def elsewhere():
    """A campaign unit of another province, with an issue."""
    province = ProvinceFactory()
    campaign = CampaignFactory(province=province)
    campaign_unit = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=province))
    return campaign_unit, PilotIssueFactory(campaign_unit=campaign_unit)


def scoped_urls(campaign_unit, issue):
    item = campaign_unit.items.first()
    return [
        reverse("campaigns:dashboard", args=[campaign_unit.campaign_id]),
        reverse("campaigns:issues", args=[campaign_unit.campaign_id]),
        reverse("campaigns:report", args=[campaign_unit.campaign_id]),
        reverse("campaigns:report_xlsx", args=[campaign_unit.campaign_id]),
        reverse("campaigns:unit", args=[campaign_unit.pk]),
        reverse("campaigns:item", args=[item.pk]),
        reverse("campaigns:issue", args=[issue.pk]),
    ]


def test_province_staff_gets_404_for_another_provinces_campaign(client, campaign_unit, province_staff, elsewhere):
    client.force_login(province_staff)
    for url in scoped_urls(*elsewhere):
        assert client.get(url).status_code == 404, url


def test_unit_official_gets_404_for_another_units_pages(client, campaign, campaign_unit, unit_official):
    other = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province))
    issue = PilotIssueFactory(campaign_unit=other)
    client.force_login(unit_official)
    for url in scoped_urls(other, issue)[4:]:
        assert client.get(url).status_code == 404, url


def test_user_without_role_is_refused_every_campaign_page(client, campaign_unit, user_without_role):
    issue = PilotIssueFactory(campaign_unit=campaign_unit)
    client.force_login(user_without_role)
    assert client.get(reverse("campaigns:index")).status_code == 403
    for url in scoped_urls(campaign_unit, issue):
        assert client.get(url).status_code == 403, url


def test_province_staff_index_opens_their_campaign(client, campaign, province_staff):
    client.force_login(province_staff)
    response = client.get(reverse("campaigns:index"))
    assert response.url == reverse("campaigns:dashboard", args=[campaign.pk])


def test_unit_user_index_opens_their_units_page(client, campaign_unit, ward_clerk):
    client.force_login(ward_clerk)
    response = client.get(reverse("campaigns:index"))
    assert response.url == reverse("campaigns:unit", args=[campaign_unit.pk])


def test_unit_user_outside_any_campaign_is_told_so(client, unit_official):
    client.force_login(unit_official)
    response = client.get(reverse("campaigns:index"))
    assert "chưa tham gia đợt vận hành thử nghiệm" in response.content.decode()


def test_home_sends_province_staff_to_their_campaign_dashboard(client, campaign, province_staff):
    client.force_login(province_staff)
    assert client.get(reverse("home")).url == reverse("campaigns:dashboard", args=[campaign.pk])


def test_home_sends_unit_officials_to_their_units_campaign_page(client, campaign_unit, unit_official):
    client.force_login(unit_official)
    assert client.get(reverse("home")).url == reverse("campaigns:unit", args=[campaign_unit.pk])


def test_home_sends_ward_clerks_to_the_dossier_queue(client, campaign_unit, ward_clerk):
    client.force_login(ward_clerk)
    assert client.get(reverse("home")).url == reverse("service_center:queue")


def test_home_stays_the_plain_page_without_a_campaign(client, unit_official):
    client.force_login(unit_official)
    assert client.get(reverse("home")).status_code == 200


def readiness_chart_in(content):
    """The dashboard's bar chart (``campaigns/_chart.svg``), parsed; fails when the page has none."""
    match = re.search(r'<svg\b[^>]*\brole="img"[^>]*\baria-labelledby="chart-title"[^>]*>.*?</svg>', content, re.S)
    assert match, "no readiness chart on the page"
    return ElementTree.fromstring(match.group(0))


@pytest.mark.usefixtures("frozen_now")  # 15/7/2025: the items due in June are late
def test_dashboard_shows_matrix_late_items_and_critical_issues(client, campaign, campaign_unit, province_staff):
    PilotIssueFactory(campaign_unit=campaign_unit, severity=IssueSeverity.CRITICAL, title="Mất điện trụ sở")
    nearly = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Phường Gần Xong"))
    tick_hand_items(nearly, province_staff)  # every hand-ticked item done; the derived ones (sessions...) are not
    client.force_login(province_staff)
    response = client.get(reverse("campaigns:dashboard", args=[campaign.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Mất điện trụ sở" in content
    assert "Xây dựng phương án nhân sự lãnh đạo" in content  # late since 13/6/2025
    assert "table-danger" in content

    # The chart: titled, one bar per unit, as long as its share of done items, red as both units have late items.
    chart = readiness_chart_in(content)
    assert chart.findtext("svg:title", namespaces=SVG) == "Tỷ lệ hoàn thành việc chuẩn bị theo đơn vị"
    assert chart.find("svg:title", SVG).get("id") == "chart-title"
    percent = {r.campaign_unit.pk: r.percent for r in response.context["readiness"]}
    assert percent[campaign_unit.pk] == 0 and 0 < percent[nearly.pk] < 100
    bars = {
        rect.findtext("svg:title", namespaces=SVG): (rect.get("width"), rect.get("fill"))
        for rect in chart.iterfind("svg:rect", SVG)
        if rect.find("svg:title", SVG) is not None
    }
    assert bars == {
        f"{campaign_unit.unit.name}: 0%": ("0", "#dc3545"),
        f"Phường Gần Xong: {percent[nearly.pk]}%": (str(round(300 * percent[nearly.pk] / 100)), "#dc3545"),
    }


def test_unit_official_sees_only_their_unit_on_the_dashboard(client, campaign, campaign_unit, unit_official):
    campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province))
    client.force_login(unit_official)
    response = client.get(reverse("campaigns:dashboard", args=[campaign.pk]))
    assert [r.campaign_unit.pk for r in response.context["readiness"]] == [campaign_unit.pk]


def test_national_viewer_reads_any_campaign_but_cannot_change_it(client, campaign_unit, national_viewer):
    client.force_login(national_viewer)
    assert client.get(reverse("campaigns:unit", args=[campaign_unit.pk])).status_code == 200
    url = reverse("campaigns:unit_transition", args=[campaign_unit.pk])
    assert client.post(url, {"to": "piloting"}).status_code == 403


def make_units(campaign, count):
    for _ in range(count):
        unit = UnitFactory(province=campaign.province)
        campaign_unit = campaign_unit_add(campaign=campaign, unit=unit)
        PilotIssueFactory(campaign_unit=campaign_unit, severity=IssueSeverity.CRITICAL)
        closed_session(unit)
        returned_dossier(unit)


@pytest.mark.parametrize("url_name", ["campaigns:dashboard", "campaigns:report"])
def test_dashboard_and_report_query_counts_do_not_grow_with_units(
    client, campaign, province_staff, django_assert_max_num_queries, url_name
):
    client.force_login(province_staff)
    url = reverse(url_name, args=[campaign.pk])
    make_units(campaign, 3)
    with django_assert_max_num_queries(15) as few:  # the report: its trend over the days too
        assert client.get(url).status_code == 200
    make_units(campaign, 97)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["readiness"] if url_name.endswith("dashboard") else response.context["rows"]) == 100
    assert len(many.captured_queries) == len(few.captured_queries)


def test_unit_official_ticks_an_item_with_evidence(client, campaign_unit, unit_official):
    item = campaign_unit.items.get(title="Đường truyền mạng")
    client.force_login(unit_official)
    response = client.post(
        reverse("campaigns:item", args=[item.pk]), {"status": "done", "evidence_note": "Cáp quang đã lắp"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.evidence_note) == ("done", "Cáp quang đã lắp")


def test_a_derived_item_cannot_be_opened_for_a_hand_tick(client, campaign_unit, unit_official):
    item = campaign_unit.items.get(derived_source="first_hdnd_closed")
    client.force_login(unit_official)
    response = client.post(reverse("campaigns:item", args=[item.pk]), {"status": "done"}, follow=True)
    assert "đánh dấu tự động từ dữ liệu" in response.content.decode()
    assert ChecklistItem.objects.get(pk=item.pk).status == "todo"


def test_ward_clerk_cannot_tick_items(client, campaign_unit, ward_clerk):
    item = campaign_unit.items.first()
    client.force_login(ward_clerk)
    assert client.post(reverse("campaigns:item", args=[item.pk]), {"status": "done"}).status_code == 403


def test_unit_official_raises_an_issue(client, campaign_unit, unit_official):
    client.force_login(unit_official)
    response = client.post(
        reverse("campaigns:issue_create", args=[campaign_unit.pk]),
        {
            "category": "proposal",
            "severity": "high",
            "block": "service_centre",
            "title": "Bổ sung máy quét",
            "proposed_fix": "Tỉnh cấp 2 máy",
        },
    )
    issue = PilotIssue.objects.get()
    assert response.url == reverse("campaigns:issue", args=[issue.pk])
    assert (issue.raised_by, issue.campaign_unit, issue.status, issue.block) == (
        unit_official,
        campaign_unit,
        "open",
        "service_centre",
    )


def test_a_double_submit_raises_one_issue(client, campaign_unit, unit_official):
    client.force_login(unit_official)
    url = reverse("campaigns:issue_create", args=[campaign_unit.pk])
    form = client.get(url).context["form"]
    token = form["token"].value()
    assert token
    data = {"token": token, "category": "obstacle", "severity": "medium", "block": "it", "title": "Mạng chập chờn"}
    first = client.post(url, data)
    second = client.post(url, data)
    issue = PilotIssue.objects.get()
    assert first.url == second.url == reverse("campaigns:issue", args=[issue.pk])
    client.post(url, {**data, "token": str(uuid.uuid4())})
    assert PilotIssue.objects.count() == 2


def test_an_issue_without_title_keeps_what_was_typed(client, campaign_unit, unit_official):
    client.force_login(unit_official)
    response = client.post(
        reverse("campaigns:issue_create", args=[campaign_unit.pk]),
        {"category": "proposal", "severity": "high", "title": "", "description": "Thiếu máy quét"},
    )
    assert response.status_code == 200
    assert "Thiếu máy quét" in response.content.decode()
    assert not PilotIssue.objects.exists()


def test_province_staff_cannot_raise_issues_for_a_unit(client, campaign_unit, province_staff):
    client.force_login(province_staff)
    assert client.get(reverse("campaigns:issue_create", args=[campaign_unit.pk])).status_code == 403


def test_province_staff_answers_an_issue(client, campaign_unit, province_staff):
    issue = PilotIssueFactory(campaign_unit=campaign_unit)
    client.force_login(province_staff)
    client.post(reverse("campaigns:issue", args=[issue.pk]), {"answer": "Sở Nội vụ hướng dẫn bằng văn bản"})
    issue.refresh_from_db()
    assert (issue.status, issue.answer, issue.answered_by) == (
        IssueStatus.ANSWERED,
        "Sở Nội vụ hướng dẫn bằng văn bản",
        province_staff,
    )


def test_unit_official_cannot_answer_an_issue(client, campaign_unit, unit_official):
    issue = PilotIssueFactory(campaign_unit=campaign_unit)
    client.force_login(unit_official)
    assert client.post(reverse("campaigns:issue", args=[issue.pk]), {"answer": "Tự trả lời"}).status_code == 403
    issue.refresh_from_db()
    assert issue.answer == ""


def test_a_disallowed_transition_is_a_message_not_an_error(client, campaign_unit, province_staff):
    client.force_login(province_staff)
    url = reverse("campaigns:unit_transition", args=[campaign_unit.pk])
    response = client.post(url, {"to": "live"}, follow=True)
    assert response.status_code == 200
    assert "Hãy chọn một trạng thái thử nghiệm" in response.content.decode()


def test_a_refused_decision_keeps_the_note_and_the_reason_typed(client, campaign_unit, province_staff):
    client.force_login(province_staff)
    refused = client.post(
        reverse("campaigns:unit_transition", args=[campaign_unit.pk]),
        {"to": "live", "note": "Theo chỉ đạo tại cuộc họp sáng nay"},
    )
    assert refused.status_code == 200
    assert "Theo chỉ đạo tại cuộc họp sáng nay" in refused.content.decode()
    # A unit still piloting cannot go live: the page says why, nothing changes.
    client.post(reverse("campaigns:unit_transition", args=[campaign_unit.pk]), {"to": "piloting"})
    go_live = client.post(
        reverse("campaigns:unit_go_live", args=[campaign_unit.pk]), {"override_reason": "Lãnh đạo tỉnh đồng ý"}
    )
    assert go_live.status_code == 200
    assert "alert-danger" in go_live.content.decode()
    campaign_unit.refresh_from_db()
    assert campaign_unit.status == "piloting"


def test_province_staff_moves_a_unit_along_and_overrides_the_gate(client, campaign_unit, province_staff):
    client.force_login(province_staff)
    client.post(reverse("campaigns:unit_transition", args=[campaign_unit.pk]), {"to": "piloting"})
    client.post(reverse("campaigns:unit_transition", args=[campaign_unit.pk]), {"to": "reviewed"})
    refused = client.post(reverse("campaigns:unit_go_live", args=[campaign_unit.pk]), {}, follow=True)
    assert "hãy ghi lý do" in refused.content.decode()
    client.post(reverse("campaigns:unit_go_live", args=[campaign_unit.pk]), {"override_reason": "Chỉ đạo của tỉnh"})
    campaign_unit.refresh_from_db()
    assert (campaign_unit.status, campaign_unit.live_override_reason) == (PilotStatus.LIVE, "Chỉ đạo của tỉnh")


def test_province_staff_cannot_change_a_unit_of_another_province(client, campaign_unit, elsewhere):
    other_staff = UserFactory(province_staff=True, province=ProvinceFactory())
    client.force_login(other_staff)
    assert (
        client.post(reverse("campaigns:unit_transition", args=[campaign_unit.pk]), {"to": "piloting"}).status_code
        == 404
    )
    campaign_unit.refresh_from_db()
    assert campaign_unit.status == PilotStatus.NOT_STARTED


def test_unit_page_shows_gate_and_figures(client, campaign_unit, unit_official):
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=unit_official)
    closed_session(campaign_unit.unit, minutes=52, title="Kỳ họp thứ nhất HĐND")
    client.force_login(unit_official)
    content = client.get(reverse("campaigns:unit", args=[campaign_unit.pk])).content.decode()
    assert "Phiên họp thứ nhất UBND chưa kết thúc." in content
    assert "Kỳ họp thứ nhất HĐND" in content
    assert "+7" in content


def test_dashboard_as_of_the_pilot_start_counts_down_to_the_review_meeting(
    client, campaign, campaign_unit, province_staff
):
    client.force_login(province_staff)
    response = client.get(reverse("campaigns:dashboard", args=[campaign.pk]), {"on": "2025-06-16"})
    content = response.content.decode()
    assert "Còn 9 ngày" not in content  # the pilot start itself is today
    assert response.context["countdown"].milestone.kind == "pilot_start"
    late_titles = {view.item.title for _r, view in response.context["late"]}
    assert "Xây dựng phương án nhân sự lãnh đạo" in late_titles  # due 13/6
    assert "Quy chế làm việc của UBND" not in late_titles  # due 16/6, not late yet
    later = client.get(reverse("campaigns:dashboard", args=[campaign.pk]), {"on": "2025-06-17"})
    assert "Còn 8 ngày" in later.content.decode()


def test_a_bad_as_of_date_shows_a_message_and_today(client, campaign, campaign_unit, province_staff):
    client.force_login(province_staff)
    response = client.get(reverse("campaigns:dashboard", args=[campaign.pk]), {"on": "31/02/2025"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()


def test_unit_page_query_count_does_not_grow_with_issues_sessions_and_history(
    client, campaign_unit, province_staff, django_assert_max_num_queries
):
    client.force_login(province_staff)
    url = reverse("campaigns:unit", args=[campaign_unit.pk])
    PilotIssueFactory(campaign_unit=campaign_unit)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    PilotIssueFactory.create_batch(10, campaign_unit=campaign_unit)
    for number in range(1, 6):
        closed_session(campaign_unit.unit, number=number)
        returned_dossier(campaign_unit.unit)
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=province_staff)
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.REVIEWED, actor=province_staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_FILES_ROOT


def _upload_evidence(client, item, user, name="quy-che.pdf", content=b"%PDF-1.4 quy che"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(user)
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("campaigns:item", args=[item.pk]), {"status": "in_progress", "evidence_file": upload})


def test_evidence_file_is_private_and_served_to_the_units_users(
    client, campaign_unit, unit_official, ward_clerk, private_root
):
    item = campaign_unit.items.get(title="Quy chế làm việc của UBND")
    _upload_evidence(client, item, unit_official)
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert item.evidence_file.read() == b"%PDF-1.4 quy che"
    # Stored under the private root, not under MEDIA_ROOT, and with no URL of its own.
    assert (private_root / item.evidence_file.name).is_file()
    assert not (private_root.parent / "media").exists()
    with pytest.raises(ValueError):
        _ = item.evidence_file.url
    page = client.get(reverse("campaigns:unit", args=[campaign_unit.pk])).content.decode()
    url = reverse("campaigns:item_evidence", args=[item.pk])
    assert url in page
    client.force_login(ward_clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 quy che"
    assert 'filename="quy-che.pdf"' in response["Content-Disposition"]


def test_evidence_file_is_404_for_another_unit_and_403_without_role(
    client, campaign_unit, unit_official, user_without_role, private_root, elsewhere
):
    item = campaign_unit.items.get(title="Quy chế làm việc của UBND")
    _upload_evidence(client, item, unit_official)
    other_unit_user = UserFactory(role="unit_official", unit=elsewhere[0].unit, province=None)
    url = reverse("campaigns:item_evidence", args=[item.pk])
    client.force_login(other_unit_user)
    assert client.get(url).status_code == 404
    client.force_login(user_without_role)
    assert client.get(url).status_code == 403
    # An item without a file is a 404, not an error.
    empty = campaign_unit.items.exclude(pk=item.pk).filter(derived_source="").first()
    client.force_login(unit_official)
    assert client.get(reverse("campaigns:item_evidence", args=[empty.pk])).status_code == 404


def test_evidence_of_a_forbidden_type_is_refused_and_the_note_kept(client, campaign_unit, unit_official, private_root):
    item = campaign_unit.items.get(title="Quy chế làm việc của UBND")
    client.force_login(unit_official)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("campaigns:item", args=[item.pk]),
        {"status": "done", "evidence_note": "Đã ban hành", "evidence_file": upload},
    )
    assert response.status_code == 200
    assert "Đã ban hành" in response.content.decode()
    assert response.context["form"].errors["evidence_file"]
    item.refresh_from_db()
    assert item.status == "todo" and not item.evidence_file
