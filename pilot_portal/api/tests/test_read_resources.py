"""The read-only resources: registry, 06a statistics, sessions, campaigns; each in the reader's scope."""

import datetime as dt

import pytest
from django.utils import timezone

from pilot_portal.campaigns.tests.factories import CampaignUnitFactory, ChecklistItemFactory
from service_center import selectors
from service_center.models import Channel, Status
from service_center.tests.factories import DossierFactory
from sessions.models import Participant, Session
from sessions.tests.factories import AgendaItemFactory, ParticipantFactory, SessionFactory
from units.tests.factories import LegacyUnitFactory, SuccessionFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_provinces_are_those_in_the_scope(api_as, ward_clerk, national_viewer, other_unit):
    clerk = api_as(ward_clerk).get("/api/v1/provinces")[1]
    assert [p["code"] for p in clerk] == [ward_clerk.unit.province.code]
    everyone = {p["code"] for p in api_as(national_viewer).get("/api/v1/provinces")[1]}
    assert {ward_clerk.unit.province.code, other_unit.province.code} <= everyone


def test_units_are_found_with_or_without_diacritics_and_by_a_predecessor_s_name(api_as, national_viewer):
    le_dai_hanh = UnitFactory(name="Phường Lê Đại Hành", short_name="Lê Đại Hành")
    SuccessionFactory(unit=le_dai_hanh, legacy_unit=LegacyUnitFactory(name="Phường Đồng Lạc"), is_whole=False)
    UnitFactory(name="Xã An Bình", short_name="An Bình")
    api = api_as(national_viewer)
    for q in ("Lê Đại Hành", "le dai hanh", "ĐẠI hành", "dong lac", "Đồng Lạc"):
        status, body = api.get("/api/v1/units", {"q": q})
        assert status == 200
        assert [u["code"] for u in body["items"]] == [le_dai_hanh.code], q
    unit = body["items"][0]
    assert unit["predecessors"] == [
        {
            "code": unit["predecessors"][0]["code"],
            "name": "Phường Đồng Lạc",
            "district_name": "Thành phố Chí Linh",
            "province_name": "Tỉnh Hải Dương",
            "is_whole": False,
        }
    ]
    assert api.get(f"/api/v1/units/{le_dai_hanh.code}")[1]["name"] == "Phường Lê Đại Hành"


def test_the_unit_list_pages_with_a_constant_query_count(api_as, national_viewer, django_assert_max_num_queries):
    for _ in range(6):
        SuccessionFactory()
    api = api_as(national_viewer)
    with django_assert_max_num_queries(6):
        status, body = api.get("/api/v1/units", {"limit": 4})
    assert status == 200
    assert len(body["items"]) == 4
    assert body["next_offset"] == 4
    rest = api.get("/api/v1/units", {"limit": 4, "offset": 4})[1]
    assert rest["next_offset"] is None


def test_a_clerk_does_not_open_another_unit(api_as, ward_clerk, other_unit):
    assert api_as(ward_clerk).get(f"/api/v1/units/{other_unit.code}")[0] == 404


def test_statistics_are_the_figures_of_the_statistics_page(api_as, ward_clerk, other_unit, frozen_now):
    now = timezone.now()
    DossierFactory(unit=ward_clerk.unit, channel=Channel.ONLINE, received_at=now - dt.timedelta(days=2))
    DossierFactory(
        unit=ward_clerk.unit,
        status=Status.RETURNED,
        received_at=now - dt.timedelta(days=5),
        due_at=now - dt.timedelta(days=1),
        closed_at=now - dt.timedelta(days=3),
    )
    DossierFactory(unit=other_unit, received_at=now - dt.timedelta(days=2))
    start, end = dt.date(2025, 7, 1), dt.date(2025, 7, 15)
    status, body = api_as(ward_clerk).get("/api/v1/statistics/06a", {"start": start, "end": end})
    assert status == 200
    [expected] = selectors.dossier_statistics(user=ward_clerk, start=start, end=end)
    [row] = body["rows"]
    assert row["unit_code"] == ward_clerk.unit.code
    for name in ("received_new", "online", "finished_early", "open_in_time", "still_open"):
        assert row[name] == getattr(expected, name)
    assert (row["received_new"], row["online"], row["finished_early"]) == (2, 1, 1)
    assert row["on_time_rate"] == 100.0
    assert body["total"]["received"] == 2
    assert (
        api_as(ward_clerk).get("/api/v1/statistics/06a", {"start": start, "end": end, "unit": other_unit.code})[0]
        == 404
    )


def test_sessions_list_and_detail_with_agenda_attendance_and_outcomes(api_as, unit_official, clerk_of_other_unit):
    session = SessionFactory(unit=unit_official.unit, kind=Session.Kind.HDND)
    AgendaItemFactory(session=session, order=1, title="Công bố nghị quyết", planned_minutes=10)
    ParticipantFactory(session=session, is_member=True, attendance=Participant.Attendance.PRESENT)
    ParticipantFactory(session=session, is_member=True, attendance=Participant.Attendance.ABSENT)
    ParticipantFactory(session=session, is_member=False, attendance=Participant.Attendance.PRESENT)
    session.outcomes.create(number="01/NQ-HĐND", title="Thành lập các ban", votes_for=2, adopted=True)
    api = api_as(unit_official)
    listed = api.get("/api/v1/sessions")[1]
    assert [s["id"] for s in listed["items"]] == [session.pk]
    assert listed["items"][0]["scheduled_start"] == "2025-06-16T08:00:00+07:00"
    status, body = api.get(f"/api/v1/sessions/{session.pk}")
    assert status == 200
    assert [a["title"] for a in body["agenda"]] == ["Công bố nghị quyết"]
    assert sorted(p["attendance"] for p in body["participants"]) == ["absent", "present", "present"]
    assert body["quorum"] == {"present": 1, "members": 2, "needed": 2, "reached": False}
    assert body["outcomes"][0]["number"] == "01/NQ-HĐND"
    assert api_as(clerk_of_other_unit).get(f"/api/v1/sessions/{session.pk}")[0] == 404


def test_campaigns_give_each_unit_s_readiness_gate_and_pilot_status(api_as, province_staff, unit, frozen_now):
    campaign_unit = CampaignUnitFactory(unit=unit, campaign__province=unit.province)
    ChecklistItemFactory(campaign_unit=campaign_unit, is_critical=True, title="Quyết định thành lập")
    api = api_as(province_staff)
    [campaign] = api.get("/api/v1/campaigns")[1]
    assert campaign["id"] == campaign_unit.campaign_id
    assert campaign["milestones"][0]["kind"] == "pilot_start"
    status, body = api.get(f"/api/v1/campaigns/{campaign['id']}/units")
    assert status == 200
    [row] = body
    assert row["unit_code"] == unit.code
    assert row["pilot_status"] == "not_started"
    assert row["total"] == 1
    assert row["gate_passes"] is False
    assert any("Quyết định thành lập" in reason for reason in row["gate_missing"])
    assert "test_returned" in row["dossiers"]


def test_a_campaign_of_another_province_is_a_404(api_as, ward_clerk):
    other = CampaignUnitFactory()
    assert api_as(ward_clerk).get(f"/api/v1/campaigns/{other.campaign_id}/units")[0] == 404


def test_over_the_rate_limit_a_token_gets_429_and_another_token_does_not(api_as, ward_clerk, settings):
    settings.API_RATE_LIMIT = "3/min"
    first, second = api_as(ward_clerk), api_as(ward_clerk)
    assert [first.get("/api/v1/provinces")[0] for _ in range(4)] == [200, 200, 200, 429]
    response = first.client.get("/api/v1/provinces", headers=first.headers)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Quá nhiều" in response.json()["detail"] or response.json()["detail"]
    assert second.get("/api/v1/provinces")[0] == 200
