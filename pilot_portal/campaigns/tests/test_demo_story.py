"""The demo tells the seeds' story in time: the dashboard, the unit page and the review report as of 16/6, 20/6 and
25/6/2025 show what the seed articles say happened those days.

The story (pilot_portal/campaigns/demo.py, sessions/demo.py): Hải Phòng's Lê Đại Hành starts the morning of 16/6
with its first HĐND session (08:00) and UBND meeting (09:00), closed that morning, and a test dossier returned at
09:30; it ticks each of its 15 hand-ticked items on its due day (three are due at the review meeting of 25/6, the
other 12 by 16/6; with the 3 derived items 15 of 18 are done on 16/6), is reviewed after the meeting of 25/6 and
never has a late item. Eleven units start that afternoon (two of them, An Phú and Kim Thành, cannot start; Kim
Thành raises a critical issue at 13:30); three units close their first sessions on 16/6 (Lê Đại Hành, Đường An,
Nguyễn Lương Bằng: six sessions held). Lê Đại Hành raised two issues on 13/6 and had one answered that afternoon.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from pilot_portal.accounts.models import User
from pilot_portal.campaigns import demo
from pilot_portal.campaigns.models import (
    Campaign,
    CampaignUnit,
    CampaignUnitEvent,
    ChecklistItemEvent,
    PilotIssue,
    PilotIssueEvent,
    ReadinessSnapshot,
)
from pilot_portal.campaigns.tests.conftest import make_pilot_units
from pilot_portal.core.tests.clock import FROZEN_NOW
from sessions.models import Session, SessionEvent

# Read on 15/7/2025 09:30 (after the story), whatever the real date: every day of June is a past day.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

PILOT_START, MIDWEEK, REVIEW = "2025-06-16", "2025-06-20", "2025-06-25"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module (on 15/7/2025) in a transaction rolled back after its last test: each
    test runs in a savepoint inside it, as usual."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with time_machine.travel(FROZEN_NOW, tick=False), translation.override("vi"):
                make_pilot_units()
                demo.seed(stdout=io.StringIO())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def story(seeded, db, client):
    client.force_login(User.objects.get(username="tinh.haiphong"))
    return Campaign.objects.get(province__code="31")


def _le_dai_hanh():
    return CampaignUnit.objects.get(unit__short_name="Lê Đại Hành")


def _rows(readiness):
    return {r.unit.short_name: r for r in readiness}


def _statuses(readiness):
    counts = {}
    for r in readiness:
        counts[r.pilot_status] = counts.get(r.pilot_status, 0) + 1
    return counts


def test_the_dashboard_of_hai_phong_on_the_pilot_days(client, story):
    url = reverse("campaigns:dashboard", args=[story.pk])

    # 16/6: the pilot starts; Lê Đại Hành pilots with nothing late, Kim Thành's critical issue is open.
    context = client.get(url, {"on": PILOT_START}).context
    rows = _rows(context["readiness"])
    assert _statuses(context["readiness"]) == {"piloting": 10, "not_started": 2}
    assert {name for name, r in rows.items() if r.pilot_status == "not_started"} == {"An Phú", "Kim Thành"}
    le_dai_hanh = rows["Lê Đại Hành"]
    assert (le_dai_hanh.pilot_status, le_dai_hanh.percent, le_dai_hanh.late_items) == ("piloting", 83, [])
    assert (le_dai_hanh.sessions["first_hdnd_closed"], le_dai_hanh.sessions["first_ubnd_closed"]) == (True, True)
    assert le_dai_hanh.dossiers["test_returned"] == 1
    # The old district's unfinished dossier is the ward's from its hand-over on 1/7, not from the district's receipt.
    # (The test dossier and one received that day; the district's dossier received on 9/6 and due 12/6 is not
    # counted, nor overdue.)
    assert (le_dai_hanh.dossiers["received"], le_dai_hanh.dossiers["overdue"]) == (2, 0)
    after_hand_over = _rows(client.get(url, {"on": "2025-07-01"}).context["readiness"])["Lê Đại Hành"].dossiers
    on_30_6 = _rows(client.get(url, {"on": "2025-06-30"}).context["readiness"])["Lê Đại Hành"].dossiers
    # The three dossiers of the district come on 1/7 (with one of the ward's own received that day).
    assert (on_30_6["received"], after_hand_over["received"]) == (15, 19)
    # Đường An ticked 14 of its 15 items, three of them only started, and not the equipment (due 14/6).
    assert [v.item.title for v in rows["Đường An"].late_items] == [
        "Xây dựng phương án nhân sự lãnh đạo",
        "Dự thảo quyết định thành lập các phòng chuyên môn",
        "Phân công công chức, viên chức tiếp nhận và xử lý thủ tục hành chính",
        "Trang thiết bị (máy tính, máy in, máy quét)",
    ]
    assert len(context["late"]) == 75
    assert [(r.unit.short_name, issue.title) for r, issue in context["critical"]] == [
        ("Kim Thành", "Trụ sở mới chưa có máy chủ và máy quét")
    ]
    assert context["passing_count"] == 1
    assert (context["countdown"].milestone.kind, context["countdown"].days) == ("pilot_start", 0)

    # 20/6: still piloting (not "not started"), still nothing late for the model unit; the items due on 16/6 that
    # the afternoon units had not done are late now.
    context = client.get(url, {"on": MIDWEEK}).context
    le_dai_hanh = _rows(context["readiness"])["Lê Đại Hành"]
    assert (le_dai_hanh.pilot_status, le_dai_hanh.percent, le_dai_hanh.late_items) == ("piloting", 83, [])
    assert _statuses(context["readiness"]) == {"piloting": 10, "not_started": 2}
    assert len(context["late"]) == 110
    assert (context["countdown"].milestone.kind, context["countdown"].days) == ("review_meeting", 5)

    # 25/6: the review meeting; Lê Đại Hành is reviewed, every item done, and passes the go-live gate.
    context = client.get(url, {"on": REVIEW}).context
    le_dai_hanh = _rows(context["readiness"])["Lê Đại Hành"]
    assert (le_dai_hanh.pilot_status, le_dai_hanh.percent, le_dai_hanh.gate.missing) == ("reviewed", 100, [])
    assert _statuses(context["readiness"]) == {"reviewed": 1, "piloting": 9, "not_started": 2}
    assert len(context["late"]) == 110
    assert context["passing_count"] == 1


def test_the_page_of_le_dai_hanh_on_the_pilot_days(client, story):
    url = reverse("campaigns:unit", args=[_le_dai_hanh().pk])

    response = client.get(url, {"on": PILOT_START})
    readiness = response.context["readiness"]
    assert (readiness.pilot_status_label, readiness.done, readiness.total, readiness.late_items) == (
        "Đang thử nghiệm",
        15,
        18,
        [],
    )
    assert [(s["kind"], s["status"], s["actual_minutes"]) for s in readiness.sessions["sessions"]] == [
        (Session.Kind.HDND, Session.Status.CLOSED, 43),
        (Session.Kind.UBND, Session.Status.CLOSED, 40),
    ]
    assert (readiness.issues_raised, readiness.issues_answered) == (2, 1)
    # The trend from the back-filled snapshots, each item ticked on its due day: 1 item due on 13/6, 4 on 14/6,
    # 4 on 15/6, 6 on 16/6 (3 of them proved by the sessions and the test dossier).
    assert [(d["day"].isoformat(), d["percent"]) for d in response.context["trend"]["dots"]] == [
        ("2025-06-12", 0),
        ("2025-06-13", 6),
        ("2025-06-14", 28),
        ("2025-06-15", 50),
        ("2025-06-16", 83),
    ]
    # The page shows nothing of what came later: its history stops at the start of the pilot.
    assert [(e.to_status, e.at.isoformat()) for e in response.context["events"]] == [
        ("piloting", "2025-06-16T01:00:00+00:00")  # 08:00 in Hà Nội
    ]
    content = response.content.decode()
    assert "Chưa bắt đầu → Đang thử nghiệm" in content
    assert "Đã rút kinh nghiệm" not in content
    # Its open issue (raised on Friday 13/6, answer due two working days later, on 17/6) is not overdue yet on 16/6.
    open_issue = next(i for i in response.context["issues"] if i.status == "open")
    assert open_issue.answer_due_at.date() == dt.date(2025, 6, 17)
    assert not open_issue.answer_overdue
    assert '<span class="badge text-bg-danger">quá hạn</span>' not in content

    response = client.get(url, {"on": MIDWEEK})
    readiness = response.context["readiness"]
    assert [i.answer_overdue for i in response.context["issues"] if i.status == "open"] == [True]
    assert (readiness.pilot_status_label, readiness.percent, readiness.late_items) == ("Đang thử nghiệm", 83, [])
    assert readiness.gate.passes

    response = client.get(url, {"on": REVIEW})
    readiness = response.context["readiness"]
    assert (readiness.pilot_status_label, readiness.percent, readiness.late_items) == ("Đã rút kinh nghiệm", 100, [])
    assert readiness.gate.missing == []
    assert response.context["trend"]["dots"][-1]["percent"] == 100
    assert [e.to_status for e in response.context["events"]] == ["piloting", "reviewed"]
    assert "Đã rút kinh nghiệm" in response.content.decode()


def test_the_review_report_of_hai_phong_on_the_pilot_days(client, story):
    url = reverse("campaigns:report", args=[story.pk])

    context = client.get(url, {"on": PILOT_START}).context
    totals = context["totals"]
    assert (totals["sessions_held"], totals["overruns"]) == (6, 1)
    assert (totals["items_done"], totals["items_total"], totals["checklist_percent"]) == (70, 216, 32)
    assert (totals["issues_raised"], totals["issues_answered"], totals["gate_passing"]) == (3, 1, 1)
    held = {row.unit.short_name: row.sessions_held for row in context["rows"] if row.sessions_held}
    assert held == {"Lê Đại Hành": 2, "Đường An": 2, "Nguyễn Lương Bằng": 2}
    (le_dai_hanh,) = [row for row in context["rows"] if row.unit.short_name == "Lê Đại Hành"]
    assert (le_dai_hanh.session_minutes, le_dai_hanh.overruns) == (83, 0)

    totals = client.get(url, {"on": MIDWEEK}).context["totals"]
    assert (totals["sessions_held"], totals["items_done"], totals["issues_raised"]) == (6, 70, 3)

    context = client.get(url, {"on": REVIEW}).context
    totals = context["totals"]
    # The items due at the review meeting are ticked that day: 23 more.
    assert (totals["items_done"], totals["checklist_percent"], totals["sessions_held"]) == (93, 43, 6)
    assert totals["gate_passing"] == 1
    assert context["trend"]["dots"][-1]["day"] == dt.date(2025, 6, 25)


def test_dong_xoai_had_its_obstacle_answered_on_19_6_before_the_hand_over_of_23_6(story, client):
    client.force_login(User.objects.get(username="tinh.dongnai"))
    campaign_unit = CampaignUnit.objects.get(unit__short_name="Đồng Xoài")
    url = reverse("campaigns:unit", args=[campaign_unit.pk])
    seen = []
    for on in (PILOT_START, "2025-06-18", "2025-06-19", REVIEW):
        context = client.get(url, {"on": on}).context
        readiness = context["readiness"]
        seen.append(
            (
                readiness.pilot_status,
                readiness.issues_raised,
                readiness.issues_answered,
                [(issue.title, issue.status) for issue in context["issues"]],
            )
        )
    obstacle = "Chưa bàn giao hồ sơ dự án tồn đọng của thành phố Đồng Xoài cũ"
    guidance = ("Thiếu hướng dẫn phân luồng người dân tại Trung tâm PVHCC", "open")
    assert seen == [
        ("piloting", 1, 0, [guidance]),
        ("piloting", 2, 0, [(obstacle, "open"), guidance]),
        ("piloting", 2, 1, [(obstacle, "closed"), guidance]),
        ("reviewed", 2, 1, [(obstacle, "closed"), guidance]),
    ]
    handed_over = campaign_unit.items.get(title__startswith="Tiếp nhận các dự án")
    assert [e.at.date().isoformat() for e in handed_over.events.all()] == ["2025-06-23"]


def test_every_dated_row_of_the_story_is_in_june_2025_and_a_second_run_moves_nothing(story):
    dated = [
        (CampaignUnitEvent, "at"),
        (ChecklistItemEvent, "at"),
        (PilotIssueEvent, "at"),
        (PilotIssue, "raised_at"),
        (SessionEvent, "at"),
        (Session, "created_at"),
    ]
    first = {model: sorted(model.objects.values_list(field, flat=True)) for model, field in dated}
    for model, moments in first.items():
        assert moments, model
        assert {(m.year, m.month) for m in moments} == {(2025, 6)}, model
    snapshots = ReadinessSnapshot.objects.count()
    assert snapshots == 17 * 20  # every unit, 12/6 to 1/7
    demo.seed(stdout=io.StringIO())
    assert {model: sorted(model.objects.values_list(field, flat=True)) for model, field in dated} == first
    assert ReadinessSnapshot.objects.count() == snapshots
