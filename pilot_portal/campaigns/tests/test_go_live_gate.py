import pytest

from pilot_portal.campaigns.models import CampaignUnit, CampaignUnitEvent, IssueSeverity, ItemStatus, PilotStatus
from pilot_portal.campaigns.selectors import unit_readiness
from pilot_portal.campaigns.services import CampaignError, campaign_unit_transition, checklist_item_update, unit_go_live
from pilot_portal.campaigns.tests.factories import PilotIssueFactory
from sessions.models import Session

from .conftest import closed_session, make_ready, returned_dossier, tick_hand_items

pytestmark = pytest.mark.django_db


def gate(campaign, campaign_unit):
    (readiness,) = unit_readiness(campaign=campaign, campaign_units=CampaignUnit.objects.filter(pk=campaign_unit.pk))
    return readiness.gate


def reviewed(campaign_unit, actor):
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=actor)
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.REVIEWED, actor=actor)


def test_a_ready_unit_passes_the_gate(campaign, campaign_unit, province_staff):
    make_ready(campaign_unit, province_staff)
    assert gate(campaign, campaign_unit).missing == []


def test_gate_lists_a_critical_item_not_done(campaign, campaign_unit, province_staff):
    make_ready(campaign_unit, province_staff)
    item = campaign_unit.items.get(title="Đường truyền mạng")
    checklist_item_update(item=item, to=ItemStatus.IN_PROGRESS, actor=province_staff)
    assert gate(campaign, campaign_unit).missing == ["Việc bắt buộc chưa xong: Đường truyền mạng"]


def test_gate_ignores_items_that_are_not_critical(campaign, campaign_unit, province_staff):
    make_ready(campaign_unit, province_staff)
    assert campaign_unit.items.filter(is_critical=False, status=ItemStatus.TODO).exists()
    assert gate(campaign, campaign_unit).passes


def test_gate_lists_the_first_hdnd_session_not_closed(campaign, campaign_unit, province_staff):
    tick_hand_items(campaign_unit, province_staff, only_critical=True)
    closed_session(campaign_unit.unit, kind=Session.Kind.UBND)
    returned_dossier(campaign_unit.unit)
    assert gate(campaign, campaign_unit).missing == ["Kỳ họp thứ nhất HĐND chưa bế mạc."]


def test_gate_lists_the_first_ubnd_meeting_not_closed(campaign, campaign_unit, province_staff):
    tick_hand_items(campaign_unit, province_staff, only_critical=True)
    closed_session(campaign_unit.unit, kind=Session.Kind.HDND)
    returned_dossier(campaign_unit.unit)
    assert gate(campaign, campaign_unit).missing == ["Phiên họp thứ nhất UBND chưa kết thúc."]


def test_gate_lists_too_few_test_dossiers(campaign, campaign_unit, province_staff):
    campaign.go_live_test_dossiers = 3
    campaign.save()
    make_ready(campaign_unit, province_staff)
    assert gate(campaign, campaign_unit).missing == ["Hồ sơ thử nghiệm đã trả kết quả: 1/3 theo yêu cầu."]


def test_gate_lists_an_open_critical_issue(campaign, campaign_unit, province_staff):
    make_ready(campaign_unit, province_staff)
    PilotIssueFactory(campaign_unit=campaign_unit, severity=IssueSeverity.CRITICAL, title="Mất kết nối với tỉnh")
    PilotIssueFactory(campaign_unit=campaign_unit, severity=IssueSeverity.HIGH, title="Thiếu máy in")
    assert gate(campaign, campaign_unit).missing == ["Vướng mắc nghiêm trọng chưa xử lý xong: Mất kết nối với tỉnh"]


def test_a_closed_critical_issue_no_longer_blocks(campaign, campaign_unit, province_staff):
    from pilot_portal.campaigns.services import pilot_issue_answer

    make_ready(campaign_unit, province_staff)
    issue = PilotIssueFactory(campaign_unit=campaign_unit, severity=IssueSeverity.CRITICAL)
    pilot_issue_answer(issue=issue, actor=province_staff, answer="Đã khắc phục", close=True)
    assert gate(campaign, campaign_unit).passes


def test_a_passing_unit_goes_live_without_a_reason(campaign, campaign_unit, province_staff):
    make_ready(campaign_unit, province_staff)
    reviewed(campaign_unit, province_staff)
    unit_go_live(campaign_unit=campaign_unit, actor=province_staff)
    campaign_unit.refresh_from_db()
    assert campaign_unit.status == PilotStatus.LIVE
    assert campaign_unit.live_override_reason == ""


def test_a_failing_unit_does_not_go_live_without_a_reason(campaign, campaign_unit, province_staff):
    reviewed(campaign_unit, province_staff)
    with pytest.raises(CampaignError, match="chưa đủ điều kiện"):
        unit_go_live(campaign_unit=campaign_unit, actor=province_staff, override_reason="  ")
    campaign_unit.refresh_from_db()
    assert campaign_unit.status == PilotStatus.REVIEWED


def test_an_override_reason_is_recorded_with_what_was_missing(campaign, campaign_unit, province_staff):
    make_ready(campaign_unit, province_staff)
    PilotIssueFactory(campaign_unit=campaign_unit, severity=IssueSeverity.CRITICAL, title="Mất kết nối với tỉnh")
    reviewed(campaign_unit, province_staff)
    unit_go_live(campaign_unit=campaign_unit, actor=province_staff, override_reason="Chỉ đạo của Chủ tịch UBND tỉnh")
    campaign_unit.refresh_from_db()
    assert campaign_unit.status == PilotStatus.LIVE
    assert campaign_unit.live_override_reason == "Chỉ đạo của Chủ tịch UBND tỉnh"
    event = CampaignUnitEvent.objects.filter(campaign_unit=campaign_unit).last()
    assert "Chỉ đạo của Chủ tịch UBND tỉnh" in event.note
    assert "Mất kết nối với tỉnh" in event.note


def test_a_unit_still_piloting_cannot_go_live_even_when_ready(campaign, campaign_unit, province_staff):
    make_ready(campaign_unit, province_staff)
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=province_staff)
    with pytest.raises(CampaignError, match="Đang thử nghiệm"):
        unit_go_live(campaign_unit=campaign_unit, actor=province_staff)


def test_a_unit_still_piloting_is_told_its_status_not_asked_for_an_override(campaign, campaign_unit, province_staff):
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=province_staff)
    with pytest.raises(CampaignError, match="đã rút kinh nghiệm"):
        unit_go_live(campaign_unit=campaign_unit, actor=province_staff)


def test_going_live_twice_keeps_the_first_decision(campaign, campaign_unit, province_staff):
    reviewed(campaign_unit, province_staff)
    unit_go_live(campaign_unit=campaign_unit, actor=province_staff, override_reason="Chỉ đạo ngày 30/6")
    unit_go_live(campaign_unit=campaign_unit, actor=province_staff, override_reason="Lý do khác")
    campaign_unit.refresh_from_db()
    assert campaign_unit.live_override_reason == "Chỉ đạo ngày 30/6"
    assert CampaignUnitEvent.objects.filter(campaign_unit=campaign_unit, to_status=PilotStatus.LIVE).count() == 1
