"""The issues log: the province's answer is due in the campaign's working days, with a reminder before it passes;
the log filters by status, severity and unit."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from pilot_portal.campaigns.models import IssueSeverity
from pilot_portal.campaigns.reminders import issue_answers_due
from pilot_portal.campaigns.services import campaign_unit_add, pilot_issue_answer, pilot_issue_raise
from pilot_portal.notifications.models import Kind, Notification
from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def at(y, m, d, h, mi=0):
    return timezone.make_aware(dt.datetime(y, m, d, h, mi))


def raise_issue(campaign_unit, official, title="Mất kết nối phần mềm một cửa", severity=IssueSeverity.MEDIUM):
    return pilot_issue_raise(
        campaign_unit=campaign_unit, actor=official, category="obstacle", severity=severity, title=title, block="it"
    )


def test_the_answer_is_due_in_working_days_and_the_province_is_reminded_before(
    campaign_unit, unit_official, province_staff
):
    # Friday 27/6/2025 at 10:00, two working days: Tuesday 1/7 at 10:00 (the weekend does not count).
    with time_machine.travel(at(2025, 6, 27, 10), tick=False):
        issue = raise_issue(campaign_unit, unit_official)
    assert timezone.localtime(issue.answer_due_at) == at(2025, 7, 1, 10)
    assert issue_answers_due(at(2025, 6, 27, 11)) == 0  # not yet within a working day of the deadline
    assert issue_answers_due(at(2025, 6, 30, 10, 30)) == 1
    assert issue_answers_due(at(2025, 6, 30, 11)) == 0  # once per deadline
    notice = Notification.objects.get(recipient=province_staff)
    assert notice.kind == Kind.ISSUE
    assert notice.title.startswith("Hạn trả lời ")
    assert issue_answers_due(at(2025, 7, 1, 14)) == 1  # then once more when it is overdue
    assert "Quá hạn trả lời" in Notification.objects.filter(recipient=province_staff).latest("id").title
    pilot_issue_answer(issue=issue, actor=province_staff, answer="Viettel xử lý trong ngày.")
    assert issue_answers_due(at(2025, 7, 2, 9)) == 0  # answered: no more reminders


def test_the_log_filters_by_status_severity_and_unit(
    client, campaign, campaign_unit, unit_official, province_staff, django_assert_max_num_queries
):
    other = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Phường Bên Cạnh"))
    raise_issue(campaign_unit, unit_official, "Thiếu máy quét", IssueSeverity.CRITICAL)
    raise_issue(campaign_unit, unit_official, "Biểu mẫu cũ")
    raise_issue(other, unit_official, "Đường truyền chậm", IssueSeverity.CRITICAL)
    client.force_login(province_staff)
    url = reverse("campaigns:issues", args=[campaign.pk])

    def titles(params):
        with django_assert_max_num_queries(10):
            response = client.get(url, params)
        assert response.status_code == 200
        return [i.title for i in response.context["issues"]]

    assert sorted(titles({})) == ["Biểu mẫu cũ", "Thiếu máy quét", "Đường truyền chậm"]
    assert sorted(titles({"severity": IssueSeverity.CRITICAL})) == ["Thiếu máy quét", "Đường truyền chậm"]
    assert titles({"severity": IssueSeverity.CRITICAL, "unit": other.unit_id}) == ["Đường truyền chậm"]
    assert titles({"status": "answered"}) == []
    # A value that is not a choice (or not a key at all) is ignored, never a 500.
    assert len(titles({"unit": "99999999999999999999", "severity": "x"})) == 3
    content = client.get(url, {"severity": IssueSeverity.CRITICAL}).content.decode()
    assert "Hạn trả lời" in content
