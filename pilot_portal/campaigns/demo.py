"""Demo data of the pilot campaigns: the seeds' campaigns of Hải Phòng and Đồng Nai with varied progress.

Runs before the sessions and service-centre demos (INSTALLED_APPS order). The derived checklist items tick
themselves from those demos' data (first sessions closed by the sessions demo); the end-to-end test of each
started unit's service centre (a leader playing a citizen, the seeds' "thử tiếp nhận") is created here, through
the service centre's services, after its own demo has filled the pilot units' dossiers (it is idempotent and
skips units that already have dossiers, so it has to run first).

Everything carries the date it has in the story (``demo_story``): the units start with their wave on 16/6/2025,
tick each item on its due day, raise and get answers to their issues that week, the model units are reviewed at
the review meeting of 25/6; the sessions demo (called here, before the readiness snapshots of the pilot days are
back-filled from these histories) holds the first sessions on 16/6. So ``?on=2025-06-20`` shows 20/6 as it was.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.accounts.models import Role, User
from pilot_portal.campaigns.figures import figures_by_unit
from pilot_portal.campaigns.models import (
    Block,
    Campaign,
    CampaignUnitEvent,
    ChecklistItemEvent,
    ItemStatus,
    PilotIssue,
    PilotIssueEvent,
    PilotStatus,
    Wave,
)
from pilot_portal.campaigns.services import (
    campaign_setup,
    campaign_unit_add,
    campaign_unit_transition,
    checklist_item_update,
    checklist_templates_ensure_defaults,
    pilot_issue_answer,
    pilot_issue_raise,
)
from service_center import demo as service_center_demo
from service_center.calendar import calendar
from service_center.models import Dossier, DossierEvent, Procedure, Status
from service_center.services import Applicant, dossier_receive, dossier_transition
from sessions import demo as sessions_demo
from units import demo as units_demo

from .demo_story import StoryClock, june, local, snapshot_days, tick_moment
from .selectors import checklist_order
from .snapshots import readiness_snapshots_take

#: Units piloting whose end-to-end test of the service centre is not done yet (the gate lists it).
TEST_NOT_DONE = frozenset({"Gia Phúc", "Hà Bắc"})

SEED_MILESTONES = {
    "pilot_start": dt.date(2025, 6, 16),
    "review_meeting": dt.date(2025, 6, 25),
    "old_procedure_cutoff": dt.date(2025, 6, 30),
    "go_live": dt.date(2025, 7, 1),
}


#: When the province set its campaign up in the portal (the units planned their first sessions that day too).
SET_UP_AT = june(10, 8)
#: When the units that finished the pilot were reviewed: after the review meeting of 25/6.
REVIEWED_AT = local(SEED_MILESTONES["review_meeting"], 16)
#: Items a unit ticked on another day than their due day, from the seeds (Đồng Xoài took over the old city's
#: pending projects at the hand-over of 23/6 its issue was answered with).
TICKED_ON = {("Đồng Xoài", "Tiếp nhận các dự án, hồ sơ đang thực hiện, tồn đọng của cấp huyện"): june(23, 16)}


def _wave(campaign, name: str, starts_at: dt.datetime) -> Wave:
    wave = Wave.objects.filter(campaign=campaign, name=name).first()
    if wave is None:
        wave = Wave(campaign=campaign, name=name, starts_at=starts_at)
        wave.full_clean()
        wave.save()
    return wave


def _progress(campaign_unit, *, share: float, status: str, actor, clock: StoryClock) -> None:
    """Tick ``share`` of the hand-ticked items (in checklist order; every fifth one only started, unless the unit
    is fully ready), each on its due day, and walk the unit to ``status`` (piloting when its wave starts, reviewed
    after the review meeting), once."""
    items = sorted(campaign_unit.items.filter(derived_source="").select_related("milestone"), key=checklist_order)
    wave_start = campaign_unit.wave.starts_at
    for index, item in enumerate(items[: round(share * len(items))]):
        if item.status == ItemStatus.TODO:
            done = share == 1.0 or index % 5
            moment = TICKED_ON.get((campaign_unit.unit.short_name, item.title)) or tick_moment(
                due=item.due_date, wave_start=wave_start, done=done
            )
            with clock.at(moment, history=[ChecklistItemEvent]):
                checklist_item_update(
                    item=item,
                    to=ItemStatus.DONE if done else ItemStatus.IN_PROGRESS,
                    actor=actor,
                    evidence_note="Xem báo cáo của đơn vị.",
                )
            clock.tick(item, moment)
    if campaign_unit.status != PilotStatus.NOT_STARTED:
        return
    path = [(PilotStatus.PILOTING, wave_start), (PilotStatus.REVIEWED, REVIEWED_AT)]
    for step, moment in path[: {PilotStatus.NOT_STARTED: 0, PilotStatus.PILOTING: 1, PilotStatus.REVIEWED: 2}[status]]:
        with clock.at(moment, history=[CampaignUnitEvent]):
            campaign_unit_transition(campaign_unit=campaign_unit, to=step, actor=actor)


#: The checklist block each demo issue concerns.
ISSUE_BLOCKS = {
    "Rút gọn chương trình kỳ họp thứ nhất HĐND": Block.COUNCIL,
    "Đường truyền kết nối trực tuyến đến 63 xã, phường bị chậm": Block.IT,
    "Trụ sở mới chưa có máy chủ và máy quét": Block.IT,
    "Thiếu hướng dẫn phân luồng người dân tại Trung tâm PVHCC": Block.SERVICE_CENTRE,
    "Chưa bàn giao hồ sơ dự án tồn đọng của thành phố Đồng Xoài cũ": Block.COMMITTEE,
    "Mất kết nối mạng tại trụ sở xã Đa Kia": Block.IT,
}


def _issues(campaign_unit, *, raiser, answerer, issues, clock: StoryClock) -> None:
    """Raise each issue at its moment and answer it at its own (the answer closes it unless it is critical),
    once. ``issues``: (category, severity, title, proposed fix, raised at, answer, answered at or None)."""
    if campaign_unit.issues.exists():
        return
    work_calendar = calendar()
    answer_within = work_calendar.day_length * campaign_unit.campaign.issue_answer_working_days
    for category, severity, title, fix, raised_at, answer, answered_at in issues:
        with clock.at(raised_at, history=[PilotIssueEvent]):
            issue = pilot_issue_raise(
                campaign_unit=campaign_unit,
                actor=raiser,
                category=category,
                severity=severity,
                title=title,
                proposed_fix=fix,
                block=ISSUE_BLOCKS[title],
            )
        PilotIssue.objects.filter(pk=issue.pk).update(
            raised_at=raised_at, answer_due_at=work_calendar.add_office_time(raised_at, answer_within)
        )
        if answer:
            with clock.at(answered_at, history=[PilotIssueEvent]):
                pilot_issue_answer(issue=issue, actor=answerer, answer=answer, close=severity != "critical")
            PilotIssue.objects.filter(pk=issue.pk).update(answered_at=answered_at)


def _user(username: str) -> User:
    return User.objects.get(username=username)


#: The citizen a leader plays in each unit's end-to-end test of the service centre (fictitious CCCD numbers).
TEST_APPLICANT = {
    units_demo.HAI_PHONG_CODE: Applicant(name="Trần Văn Thử", id_number="030075001616", phone="0912000616"),
    units_demo.DONG_NAI_CODE: Applicant(name="Lê Thị Nghiệm", id_number="070180001616", phone="0913000616"),
}
#: The procedure tested end to end: a birth registration, one working day.
TEST_PROCEDURE_CODE = "1.001193"


def _test_dossier(campaign_unit, *, at: dt.datetime, procedure: Procedure) -> None:
    """The unit's service centre receives, processes and returns a test dossier within the hour of ``at``, once
    (a unit that already returned the campaign's number of test dossiers is left alone)."""
    unit = campaign_unit.unit
    dossiers, _sessions = figures_by_unit([unit.id])
    if dossiers[unit.id]["test_returned"] >= campaign_unit.campaign.go_live_test_dossiers:
        return
    clerk = User.objects.filter(unit=unit, role=Role.WARD_CLERK).first()
    dossier = dossier_receive(
        unit=unit,
        procedure=procedure,
        applicant=TEST_APPLICANT[unit.province.code],
        actor=clerk,
        received_at=at,
        is_test=True,
        papers=[paper for paper in procedure.papers.all() if paper.is_required],
    )
    steps = [
        (Status.PROCESSING, at + dt.timedelta(minutes=10), "Chuyển bộ phận hộ tịch", ""),
        (Status.DONE, at + dt.timedelta(minutes=40), "Đã giải quyết xong", "Giấy khai sinh (bản chính)"),
        (Status.RETURNED, at + dt.timedelta(minutes=55), "Đã trả kết quả; người dân hài lòng", ""),
    ]
    for to, _moment, note, result in steps:
        dossier_transition(dossier=dossier, to=to, actor=clerk, note=note, result=result)
    # The services stamp "now"; move the recorded times to the pilot day (as the sessions demo does).
    moments = [at, *(moment for _to, moment, _note, _result in steps)]
    for event, moment in zip(DossierEvent.objects.filter(dossier=dossier).order_by("id"), moments, strict=True):
        DossierEvent.objects.filter(pk=event.pk).update(at=moment)
    Dossier.objects.filter(pk=dossier.pk).update(closed_at=moments[2], returned_at=moments[3])


def _test_dossiers(campaign, *, skip: frozenset[str] = frozenset()) -> None:
    """Every unit that started the pilot tested its service centre end to end when its wave started, except
    ``skip`` (units still piloting whose test is not done yet)."""
    procedure = Procedure.objects.get(code=TEST_PROCEDURE_CODE)
    for campaign_unit in campaign.units.select_related("unit__province", "wave", "campaign"):
        if campaign_unit.status == PilotStatus.NOT_STARTED or campaign_unit.unit.short_name in skip:
            continue
        at = campaign_unit.wave.starts_at + dt.timedelta(hours=1, minutes=30)
        _test_dossier(campaign_unit, at=at, procedure=procedure)


@transaction.atomic
def seed(*, stdout) -> None:
    if not User.objects.filter(username="tinh.haiphong").exists():
        # The registry's demo (users) comes after this app in INSTALLED_APPS; it is idempotent.
        units_demo.seed(stdout=io.StringIO())
    checklist_templates_ensure_defaults()
    units = units_demo.pilot_units()
    service_center_demo.seed(stdout=io.StringIO())
    clock = StoryClock()

    # Hải Phòng: Lê Đại Hành the morning of 16/6, eleven units that afternoon, the rest after the review.
    hai_phong = units[units_demo.HAI_PHONG_CODE]
    staff = _user("tinh.haiphong")
    campaign = campaign_setup(
        province=hai_phong[0].province,
        name="Vận hành thử nghiệm chính quyền cấp xã - Hải Phòng",
        milestones=SEED_MILESTONES,
    )
    morning = _wave(campaign, "Sáng 16/6: phường Lê Đại Hành", june(16, 8))
    afternoon = _wave(campaign, "Chiều 16/6: 11 xã, phường", june(16, 14))
    _wave(campaign, "Sau họp rút kinh nghiệm: các xã, phường còn lại", june(26, 8))
    le_dai_hanh = campaign_unit_add(campaign=campaign, unit=hai_phong[0], wave=morning)
    _progress(le_dai_hanh, share=1.0, status=PilotStatus.REVIEWED, actor=staff, clock=clock)
    # Raised while preparing the morning of 16/6 (each meeting at most 45 minutes, streamed to the 63 others).
    _issues(
        le_dai_hanh,
        raiser=_user("canbo.ledaihanh"),
        answerer=staff,
        clock=clock,
        issues=[
            (
                "proposal",
                "medium",
                "Rút gọn chương trình kỳ họp thứ nhất HĐND",
                "Gộp phần thông qua các nghị quyết về tổ chức để không quá 45 phút",
                june(13, 9),
                "Đồng ý; Văn phòng HĐND tỉnh gửi chương trình mẫu.",
                june(13, 15),
            ),
            (
                "obstacle",
                "high",
                "Đường truyền kết nối trực tuyến đến 63 xã, phường bị chậm",
                "Viettel tăng băng thông trong buổi sáng 16/6",
                june(13, 16),
                "",
                None,
            ),
        ],
    )
    for index, unit in enumerate(hai_phong[1:]):
        campaign_unit = campaign_unit_add(campaign=campaign, unit=unit, wave=afternoon)
        share = [0.9, 0.75, 0.6, 0.45, 0.3, 0.8, 0.5, 0.2, 0.65, 0.35, 0.1][index]
        status = PilotStatus.NOT_STARTED if share < 0.25 else PilotStatus.PILOTING
        _progress(campaign_unit, share=share, status=status, actor=staff, clock=clock)
    campaign_units = {cu.unit.short_name: cu for cu in campaign.units.select_related("unit")}
    # Kim Thành could not start with the afternoon wave.
    _issues(
        campaign_units["Kim Thành"],
        raiser=staff,
        answerer=staff,
        clock=clock,
        issues=[
            (
                "shortcoming",
                "critical",
                "Trụ sở mới chưa có máy chủ và máy quét",
                "Điều chuyển thiết bị từ huyện cũ",
                june(16, 13, 30),
                "",
                None,
            )
        ],
    )

    # Đồng Nai (Bình Phước before the merger): five units from 16/6, the rest after the review of 25/6.
    dong_nai = units[units_demo.DONG_NAI_CODE]
    staff = _user("tinh.dongnai")
    campaign = campaign_setup(
        province=dong_nai[0].province,
        name="Vận hành thử nghiệm chính quyền cấp xã - Đồng Nai",
        milestones=SEED_MILESTONES,
    )
    first = _wave(campaign, "16/6: 5 phường, xã thí điểm", june(16, 8))
    _wave(campaign, "Sau 25/6: các xã, phường còn lại", june(26, 8))
    for unit, share, status in zip(
        dong_nai,
        [0.95, 0.7, 0.5, 0.4, 0.15],
        [
            PilotStatus.REVIEWED,
            PilotStatus.PILOTING,
            PilotStatus.PILOTING,
            PilotStatus.PILOTING,
            PilotStatus.NOT_STARTED,
        ],
        strict=True,
    ):
        campaign_unit = campaign_unit_add(campaign=campaign, unit=unit, wave=first)
        _progress(campaign_unit, share=share, status=status, actor=staff, clock=clock)
    campaign_units = {cu.unit.short_name: cu for cu in campaign.units.select_related("unit")}
    _issues(
        campaign_units["Đồng Xoài"],
        raiser=_user("canbo.dongxoai"),
        answerer=staff,
        clock=clock,
        issues=[
            (
                "shortcoming",
                "medium",
                "Thiếu hướng dẫn phân luồng người dân tại Trung tâm PVHCC",
                "",
                june(16, 10, 30),
                "",
                None,
            ),
            (
                "obstacle",
                "high",
                "Chưa bàn giao hồ sơ dự án tồn đọng của thành phố Đồng Xoài cũ",
                "Sở Nội vụ chủ trì buổi bàn giao trước 25/6",
                june(17, 9),
                "Sở Nội vụ tổ chức bàn giao ngày 23/6.",
                june(19, 10),
            ),
        ],
    )
    # Đa Kia could not start on 16/6.
    _issues(
        campaign_units["Đa Kia"],
        raiser=staff,
        answerer=staff,
        clock=clock,
        issues=[
            (
                "obstacle",
                "critical",
                "Mất kết nối mạng tại trụ sở xã Đa Kia",
                "Kéo đường truyền dự phòng",
                june(16, 7, 30),
                "",
                None,
            )
        ],
    )
    campaigns = Campaign.objects.filter(province__code__in=list(units))
    clock.set_up(campaigns, SET_UP_AT)
    for campaign in campaigns:
        _test_dossiers(campaign, skip=TEST_NOT_DONE)
    # The first sessions of 16/6 (idempotent: the sessions demo's own turn later changes nothing), then the
    # readiness of every day of the story, replayed from the histories above (a day already taken is kept).
    sessions_demo.seed(stdout=io.StringIO())
    for day in snapshot_days(timezone.localdate()):
        readiness_snapshots_take(day=day, campaigns=campaigns)
    stdout.write(_("Pilot campaigns ready: Hải Phòng and Đồng Nai."))
