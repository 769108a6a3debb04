"""The unit answers back on its issue: the issue goes back to the province, with a new deadline, in one thread."""

import pytest
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import IssueStatus
from pilot_portal.campaigns.services import CampaignError, pilot_issue_answer, pilot_issue_reply
from pilot_portal.campaigns.tests.factories import PilotIssueFactory
from pilot_portal.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(campaign_unit, unit_official, province_staff):
    issue = PilotIssueFactory(campaign_unit=campaign_unit, raised_by=unit_official, title="Thiếu máy quét")
    return pilot_issue_answer(issue=issue, actor=province_staff, answer="Sở TT&TT cấp trong tuần.", close=True)


def test_a_reply_reopens_the_issue_with_a_new_deadline_and_tells_the_province(answered, unit_official, province_staff):
    reply = pilot_issue_reply(issue=answered, actor=unit_official, text="Đến nay vẫn chưa nhận được máy.")
    assert reply.status == IssueStatus.OPEN
    assert reply.answer_due_at is not None
    assert reply.events.order_by("-at", "-id").first().note == "Đến nay vẫn chưa nhận được máy."
    notice = Notification.objects.get(recipient=province_staff, kind=Kind.ISSUE)
    assert notice.title == f"{answered.campaign_unit.unit.name} đã phản hồi: Thiếu máy quét"
    with pytest.raises(CampaignError, match="Hãy viết nội dung phản hồi"):
        pilot_issue_reply(issue=reply, actor=unit_official, text="  ")


def test_the_thread_and_the_reply_form(client, answered, unit_official, province_staff):
    client.force_login(unit_official)
    page = client.get(reverse("campaigns:issue", args=[answered.pk])).content.decode()
    assert 'id="reply-form"' in page
    response = client.post(
        reverse("campaigns:issue_reply", args=[answered.pk]), {"text": "Vẫn chưa có máy."}, follow=True
    )
    content = response.content.decode()
    assert "Đã gửi phản hồi tới tỉnh." in content
    assert "Sở TT&amp;TT cấp trong tuần." in content and "Vẫn chưa có máy." in content  # one thread
    client.force_login(province_staff)
    assert 'id="reply-form"' not in client.get(reverse("campaigns:issue", args=[answered.pk])).content.decode()


def test_reply_access(client, answered, province_staff, other_unit):
    url = reverse("campaigns:issue_reply", args=[answered.pk])
    client.force_login(province_staff)
    assert client.post(url, {"text": "x"}).status_code == 403  # the province answers, it does not reply
    client.force_login(UserFactory())
    assert client.post(url, {"text": "x"}).status_code == 403
    client.force_login(UserFactory(unit_official=True, unit=other_unit))  # an official of another unit
    assert client.post(url, {"text": "x"}).status_code == 404
    answered.refresh_from_db()
    assert answered.status == IssueStatus.CLOSED
