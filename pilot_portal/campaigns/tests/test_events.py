"""Events notify: a critical issue raised, an answer, a pilot status decision, a go-live — each to the people it
concerns, once, and by e-mail after the commit."""

import pytest

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import IssueSeverity, PilotStatus
from pilot_portal.campaigns.services import (
    campaign_unit_transition,
    pilot_issue_answer,
    pilot_issue_raise,
    unit_go_live,
)
from pilot_portal.notifications.models import Kind, Notification
from units.tests.factories import ProvinceFactory

pytestmark = pytest.mark.django_db


def raise_issue(campaign_unit, official, severity):
    return pilot_issue_raise(
        campaign_unit=campaign_unit,
        actor=official,
        category="obstacle",
        severity=severity,
        title="Mất kết nối phần mềm một cửa",
        block="it",
        description="Từ 8 giờ sáng không tiếp nhận được hồ sơ trực tuyến.",
    )


def test_a_critical_issue_reaches_the_provinces_staff_by_e_mail_after_commit(
    campaign_unit, unit_official, province_staff, django_capture_on_commit_callbacks, mailoutbox
):
    elsewhere = UserFactory(province_staff=True, province=ProvinceFactory())
    with django_capture_on_commit_callbacks(execute=True):
        issue = raise_issue(campaign_unit, unit_official, IssueSeverity.CRITICAL)
    notice = Notification.objects.get(recipient=province_staff)
    assert notice.kind == Kind.ISSUE
    assert notice.title == f"Vấn đề nghiêm trọng tại {campaign_unit.unit.name}: Mất kết nối phần mềm một cửa"
    assert notice.link == f"/campaigns/issues/{issue.pk}/"
    assert not Notification.objects.filter(recipient=elsewhere).exists()
    assert [m.to for m in mailoutbox] == [[province_staff.email]]


def test_an_issue_that_is_not_critical_notifies_nobody(campaign_unit, unit_official, province_staff):
    raise_issue(campaign_unit, unit_official, IssueSeverity.MEDIUM)
    assert not Notification.objects.exists()


def test_each_answer_reaches_the_units_officials_and_the_raiser_not_the_answerer(
    campaign_unit, unit_official, province_staff
):
    raiser = UserFactory(unit_official=True, unit=campaign_unit.unit)
    issue = raise_issue(campaign_unit, raiser, IssueSeverity.MEDIUM)
    pilot_issue_answer(issue=issue, actor=province_staff, answer="Viettel xử lý trong ngày.")
    assert set(Notification.objects.values_list("recipient", flat=True)) == {unit_official.pk, raiser.pk}
    assert Notification.objects.get(recipient=raiser).title == "Tỉnh đã trả lời: Mất kết nối phần mềm một cửa"
    pilot_issue_answer(issue=issue, actor=province_staff, answer="Đã khắc phục xong.", close=True)
    assert Notification.objects.filter(recipient=raiser).count() == 2


def test_a_pilot_status_decision_and_the_go_live_reach_the_unit_once(campaign_unit, unit_official, province_staff):
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=province_staff)
    # The same decision again (a double submit) changes nothing and tells nobody twice.
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=province_staff)
    notice = Notification.objects.get(recipient=unit_official)
    assert (notice.kind, notice.title) == (
        Kind.PILOT,
        f"Trạng thái thử nghiệm của {campaign_unit.unit.name}: Đang thử nghiệm",
    )
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.REVIEWED, actor=province_staff)
    unit_go_live(campaign_unit=campaign_unit, actor=province_staff, override_reason="Chỉ đạo của Thành ủy")
    unit_go_live(campaign_unit=campaign_unit, actor=province_staff, override_reason="Chỉ đạo của Thành ủy")
    titles = list(Notification.objects.filter(recipient=unit_official).order_by("id").values_list("title", flat=True))
    assert len(titles) == 3
    assert titles[-1] == f"{campaign_unit.unit.name} chính thức vận hành"
