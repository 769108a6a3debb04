"""The dashboard, unit page and review report as of a past day (?on=YYYY-MM-DD): every figure and derived item as it
stood at the end of that day (Asia/Ho_Chi_Minh), in the same number of queries as today's view."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pilot_portal.campaigns.models import CampaignUnit, IssueSeverity, ItemStatus, PilotIssue, PilotStatus
from pilot_portal.campaigns.selectors import as_of_moment, unit_readiness
from pilot_portal.campaigns.services import (
    campaign_unit_add,
    campaign_unit_transition,
    checklist_item_update,
    pilot_issue_answer,
)
from pilot_portal.campaigns.tests.factories import PilotIssueFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory
from units.tests.factories import UnitFactory

from .conftest import returned_dossier

# "Today" is 15/7/2025 09:30 (``frozen_now``), after every day of June 2025 these tests look back at: whatever is
# done in a test is done after those days, and a day of June is always a past day, never today's live view.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

REVIEW_MEETING = dt.date(2025, 6, 25)


def _at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime(2025, 6, day, hour, minute))


def readiness_on(campaign, campaign_unit, on):
    (readiness,) = unit_readiness(
        campaign=campaign, campaign_units=CampaignUnit.objects.filter(pk=campaign_unit.pk), on=on
    )
    return readiness


def derived(readiness):
    return {v.item.derived_source: v.status for v in readiness.items if v.item.derived_source}


def hdnd_closed_on_the_26th(unit):
    """The first HĐND session, closed at 08:50 on 26/6 (the day after the review meeting)."""
    start = _at(26, 8)
    return SessionFactory(
        unit=unit,
        kind=Session.Kind.HDND,
        number=1,
        status=Session.Status.CLOSED,
        budget_minutes=45,
        actual_start=start,
        actual_end=start + dt.timedelta(minutes=50),
    )


def test_the_end_of_a_day_is_midnight_in_vietnam_and_today_is_live():
    assert as_of_moment(REVIEW_MEETING) == dt.datetime(2025, 6, 25, 17, 0, tzinfo=dt.UTC)
    # Now is 15/7 09:30 in Vietnam (02:30 UTC): yesterday ended at midnight, today and tomorrow have not.
    assert as_of_moment(dt.date(2025, 7, 14)) == dt.datetime(2025, 7, 14, 17, 0, tzinfo=dt.UTC)
    assert timezone.localdate() == dt.date(2025, 7, 15)
    assert as_of_moment(timezone.localdate()) is None
    assert as_of_moment(dt.date(2025, 7, 16)) is None


def test_a_first_session_closed_after_the_day_is_not_closed_as_of_that_day(campaign, campaign_unit):
    session = hdnd_closed_on_the_26th(campaign_unit.unit)
    Session.objects.filter(pk=session.pk).update(created_at=_at(20, 10))  # planned in the portal on 20/6
    before = readiness_on(campaign, campaign_unit, REVIEW_MEETING)
    assert derived(before)["first_hdnd_closed"] == ItemStatus.TODO
    assert before.sessions["first_hdnd_closed"] is False
    assert "Kỳ họp thứ nhất HĐND chưa bế mạc." in before.gate.missing
    assert (before.sessions["sessions"][0]["status"], before.sessions["sessions"][0]["actual_minutes"]) == (
        Session.Status.PUBLISHED,
        None,
    )
    after = readiness_on(campaign, campaign_unit, dt.date(2025, 6, 26))
    assert derived(after)["first_hdnd_closed"] == ItemStatus.DONE
    assert "Kỳ họp thứ nhất HĐND chưa bế mạc." not in after.gate.missing
    assert after.sessions["sessions"][0]["actual_minutes"] == 50
    assert derived(readiness_on(campaign, campaign_unit, None))["first_hdnd_closed"] == ItemStatus.DONE


def test_a_test_dossier_returned_after_the_day_is_not_counted_as_of_that_day(campaign, campaign_unit):
    returned_dossier(campaign_unit.unit)  # received 16/6 09:00, returned 16/6 11:00
    pilot_start = readiness_on(campaign, campaign_unit, dt.date(2025, 6, 15))
    assert derived(pilot_start)["test_dossiers_returned"] == ItemStatus.TODO
    assert (pilot_start.dossiers["received"], pilot_start.dossiers["test_returned"]) == (0, 0)
    assert any("Hồ sơ thử nghiệm đã trả kết quả: 0/1" in reason for reason in pilot_start.gate.missing)
    review = readiness_on(campaign, campaign_unit, REVIEW_MEETING)
    assert derived(review)["test_dossiers_returned"] == ItemStatus.DONE
    assert (review.dossiers["received"], review.dossiers["test_returned"]) == (1, 1)


def test_a_hand_ticked_item_done_after_the_day_shows_as_not_done_then(campaign, campaign_unit, unit_official):
    item = campaign_unit.items.get(title="Quy chế làm việc của UBND")  # due 16/6
    checklist_item_update(item=item, to=ItemStatus.DONE, actor=unit_official)  # ticked today, 15/7/2025
    views = {v.item.pk: v for v in readiness_on(campaign, campaign_unit, REVIEW_MEETING).items}
    assert (views[item.pk].status, views[item.pk].is_late) == (ItemStatus.TODO, True)
    today = {v.item.pk: v for v in readiness_on(campaign, campaign_unit, None).items}
    assert (today[item.pk].status, today[item.pk].is_late) == (ItemStatus.DONE, False)


def test_pilot_status_and_issues_as_of_the_day(campaign, campaign_unit, province_staff):
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=province_staff)
    early = PilotIssueFactory(campaign_unit=campaign_unit, severity=IssueSeverity.CRITICAL, title="Thiếu máy quét")
    PilotIssue.objects.filter(pk=early.pk).update(raised_at=_at(20, 9))
    pilot_issue_answer(issue=early, actor=province_staff, answer="Tỉnh cấp bổ sung", close=True)  # closed today
    PilotIssueFactory(campaign_unit=campaign_unit, severity=IssueSeverity.CRITICAL)  # raised today
    then = readiness_on(campaign, campaign_unit, REVIEW_MEETING)
    assert then.pilot_status == PilotStatus.NOT_STARTED
    assert (then.issues_raised, then.issues_answered) == (1, 0)
    assert [(i.title, i.status) for i in then.critical_issues] == [("Thiếu máy quét", "open")]
    now = readiness_on(campaign, campaign_unit, None)
    assert now.pilot_status == PilotStatus.PILOTING
    assert (now.issues_raised, now.issues_answered, len(now.critical_issues)) == (2, 1, 1)


def test_the_dashboard_as_of_the_review_meeting_says_so_and_shows_that_day(
    client, campaign, campaign_unit, province_staff
):
    hdnd_closed_on_the_26th(campaign_unit.unit)
    returned_dossier(campaign_unit.unit)
    client.force_login(province_staff)
    url = reverse("campaigns:dashboard", args=[campaign.pk])
    content = client.get(url, {"on": "2025-06-25"}).content.decode()
    assert "Số liệu tính đến hết ngày 25/06/2025." in content
    assert "HĐND ✗" in content
    assert f'?on=2025-06-25">{campaign_unit.unit.name}' in content  # drilling in keeps the day
    later = client.get(url, {"on": "2025-06-26"}).content.decode()
    assert "HĐND ✓" in later
    today = client.get(url).content.decode()
    assert "Số liệu tính đến hết ngày" not in today
    assert "HĐND ✓" in today


def test_the_unit_page_as_of_a_day_hides_the_decisions_taken_now(client, campaign_unit, province_staff):
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=province_staff)
    client.force_login(province_staff)
    url = reverse("campaigns:unit", args=[campaign_unit.pk])
    response = client.get(url, {"on": "2025-06-25"})
    content = response.content.decode()
    assert "Số liệu tính đến hết ngày 25/06/2025." in content
    assert response.context["readiness"].pilot_status_label == "Chưa bắt đầu"
    assert reverse("campaigns:unit_transition", args=[campaign_unit.pk]) not in content
    assert reverse("campaigns:unit_transition", args=[campaign_unit.pk]) in client.get(url).content.decode()


def test_the_review_report_and_its_excel_file_take_the_day(client, campaign, campaign_unit, province_staff):
    hdnd_closed_on_the_26th(campaign_unit.unit)
    client.force_login(province_staff)
    response = client.get(reverse("campaigns:report", args=[campaign.pk]), {"on": "2025-06-25"})
    assert "Số liệu tính đến hết ngày 25/06/2025." in response.content.decode()
    assert response.context["totals"]["sessions_held"] == 0
    assert response.context["rows"][0].sessions == []  # written in the portal after that day, started on the 26th
    assert client.get(reverse("campaigns:report", args=[campaign.pk])).context["totals"]["sessions_held"] == 1
    xlsx = client.get(reverse("campaigns:report_xlsx", args=[campaign.pk]), {"on": "2025-06-25"})
    sheet = load_workbook(BytesIO(xlsx.content)).worksheets[0]
    assert sheet["B1"].value == "Số liệu tính đến hết ngày 25/06/2025."
    assert sheet.cell(row=3, column=6).value == 0  # sessions held


@pytest.mark.parametrize("name", ["campaigns:dashboard", "campaigns:report"])
def test_as_of_pages_cost_the_same_queries_whatever_the_number_of_units_and_their_history(
    client, campaign, campaign_unit, province_staff, unit_official, django_assert_max_num_queries, name
):
    client.force_login(province_staff)
    url = reverse(name, args=[campaign.pk])
    with django_assert_max_num_queries(20) as few:
        assert client.get(url, {"on": "2025-06-25"}).status_code == 200
    for _ in range(6):
        unit = UnitFactory(province=campaign.province)
        other = campaign_unit_add(campaign=campaign, unit=unit)
        campaign_unit_transition(campaign_unit=other, to=PilotStatus.PILOTING, actor=province_staff)
        for item in other.items.filter(derived_source="")[:3]:
            checklist_item_update(item=item, to=ItemStatus.DONE, actor=province_staff)
        pilot_issue_answer(
            issue=PilotIssueFactory(campaign_unit=other, severity=IssueSeverity.CRITICAL),
            actor=province_staff,
            answer="Đã xử lý",
        )
        hdnd_closed_on_the_26th(unit)
        returned_dossier(unit)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url, {"on": "2025-06-25"})
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    live = client.get(url)
    assert len(response.context["rows" if name == "campaigns:report" else "readiness"]) == 7
    assert live.status_code == 200
