"""Demo data of the pilot campaigns: the seeds' campaigns of Hải Phòng and Đồng Nai with varied progress.

Runs before the sessions and service-centre demos (INSTALLED_APPS order), so it never reads their data: the
derived checklist items tick themselves once those demos have created sessions and dossiers.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.accounts.models import User
from units import demo as units_demo
from units.campaign_services import (
    campaign_setup,
    campaign_unit_add,
    campaign_unit_transition,
    checklist_item_update,
    checklist_templates_ensure_defaults,
    pilot_issue_answer,
    pilot_issue_raise,
)
from units.models import ItemStatus, PilotStatus, Wave

from .selectors import checklist_order

SEED_MILESTONES = {
    "pilot_start": dt.date(2025, 6, 16),
    "review_meeting": dt.date(2025, 6, 25),
    "old_procedure_cutoff": dt.date(2025, 6, 30),
    "go_live": dt.date(2025, 7, 1),
}


def _at(day: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2025, 6, day, hour, 0))


def _wave(campaign, name: str, starts_at: dt.datetime) -> Wave:
    wave = Wave.objects.filter(campaign=campaign, name=name).first()
    if wave is None:
        wave = Wave(campaign=campaign, name=name, starts_at=starts_at)
        wave.full_clean()
        wave.save()
    return wave


def _progress(campaign_unit, *, share: float, status: str, actor) -> None:
    """Tick ``share`` of the hand-ticked items (in checklist order) and walk the unit to ``status``, once."""
    items = sorted(campaign_unit.items.filter(derived_source=""), key=checklist_order)
    for index, item in enumerate(items[: round(share * len(items))]):
        if item.status == ItemStatus.TODO:
            checklist_item_update(
                item=item,
                to=ItemStatus.DONE if index % 5 else ItemStatus.IN_PROGRESS,
                actor=actor,
                evidence_note="Xem báo cáo của đơn vị.",
            )
    if campaign_unit.status != PilotStatus.NOT_STARTED:
        return
    path = [PilotStatus.PILOTING, PilotStatus.REVIEWED]
    for step in path[: {PilotStatus.NOT_STARTED: 0, PilotStatus.PILOTING: 1, PilotStatus.REVIEWED: 2}[status]]:
        campaign_unit_transition(campaign_unit=campaign_unit, to=step, actor=actor)


def _issues(campaign_unit, *, raiser, answerer, issues) -> None:
    if campaign_unit.issues.exists():
        return
    for category, severity, title, fix, answer in issues:
        issue = pilot_issue_raise(
            campaign_unit=campaign_unit,
            actor=raiser,
            category=category,
            severity=severity,
            title=title,
            proposed_fix=fix,
        )
        if answer:
            pilot_issue_answer(issue=issue, actor=answerer, answer=answer, close=severity != "critical")


def _user(username: str) -> User:
    return User.objects.get(username=username)


@transaction.atomic
def seed(*, stdout) -> None:
    if not User.objects.filter(username="tinh.haiphong").exists():
        # The registry's demo (users) comes after this app in INSTALLED_APPS; it is idempotent.
        units_demo.seed(stdout=io.StringIO())
    checklist_templates_ensure_defaults()
    units = units_demo.pilot_units()

    # Hải Phòng: Lê Đại Hành the morning of 16/6, eleven units that afternoon, the rest after the review.
    hai_phong = units[units_demo.HAI_PHONG_CODE]
    staff = _user("tinh.haiphong")
    campaign = campaign_setup(
        province=hai_phong[0].province,
        name="Vận hành thử nghiệm chính quyền cấp xã - Hải Phòng",
        milestones=SEED_MILESTONES,
    )
    morning = _wave(campaign, "Sáng 16/6: phường Lê Đại Hành", _at(16, 8))
    afternoon = _wave(campaign, "Chiều 16/6: 11 xã, phường", _at(16, 14))
    _wave(campaign, "Sau họp rút kinh nghiệm: các xã, phường còn lại", _at(26, 8))
    le_dai_hanh = campaign_unit_add(campaign=campaign, unit=hai_phong[0], wave=morning)
    _progress(le_dai_hanh, share=1.0, status=PilotStatus.REVIEWED, actor=staff)
    _issues(
        le_dai_hanh,
        raiser=_user("canbo.ledaihanh"),
        answerer=staff,
        issues=[
            (
                "proposal",
                "medium",
                "Rút gọn chương trình kỳ họp thứ nhất HĐND",
                "Gộp phần thông qua các nghị quyết về tổ chức để không quá 45 phút",
                "Đồng ý; Văn phòng HĐND tỉnh gửi chương trình mẫu.",
            ),
            (
                "obstacle",
                "high",
                "Đường truyền kết nối trực tuyến đến 63 xã, phường bị chậm",
                "Viettel tăng băng thông trong buổi sáng 16/6",
                "",
            ),
        ],
    )
    for index, unit in enumerate(hai_phong[1:]):
        campaign_unit = campaign_unit_add(campaign=campaign, unit=unit, wave=afternoon)
        share = [0.9, 0.75, 0.6, 0.45, 0.3, 0.8, 0.5, 0.2, 0.65, 0.35, 0.1][index]
        status = PilotStatus.NOT_STARTED if share < 0.25 else PilotStatus.PILOTING
        _progress(campaign_unit, share=share, status=status, actor=staff)
    campaign_units = {cu.unit.short_name: cu for cu in campaign.units.select_related("unit")}
    _issues(
        campaign_units["Kim Thành"],
        raiser=staff,
        answerer=staff,
        issues=[
            (
                "shortcoming",
                "critical",
                "Trụ sở mới chưa có máy chủ và máy quét",
                "Điều chuyển thiết bị từ huyện cũ",
                "",
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
    first = _wave(campaign, "16/6: 5 phường, xã thí điểm", _at(16, 8))
    _wave(campaign, "Sau 25/6: các xã, phường còn lại", _at(26, 8))
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
        _progress(campaign_unit_add(campaign=campaign, unit=unit, wave=first), share=share, status=status, actor=staff)
    campaign_units = {cu.unit.short_name: cu for cu in campaign.units.select_related("unit")}
    _issues(
        campaign_units["Đồng Xoài"],
        raiser=_user("canbo.dongxoai"),
        answerer=staff,
        issues=[
            (
                "obstacle",
                "high",
                "Chưa bàn giao hồ sơ dự án tồn đọng của thành phố Đồng Xoài cũ",
                "Sở Nội vụ chủ trì buổi bàn giao trước 25/6",
                "Sở Nội vụ tổ chức bàn giao ngày 23/6.",
            ),
            ("shortcoming", "medium", "Thiếu hướng dẫn phân luồng người dân tại Trung tâm PVHCC", "", ""),
        ],
    )
    _issues(
        campaign_units["Đa Kia"],
        raiser=staff,
        answerer=staff,
        issues=[("obstacle", "critical", "Mất kết nối mạng tại trụ sở xã Đa Kia", "Kéo đường truyền dự phòng", "")],
    )
    stdout.write(_("Pilot campaigns ready: Hải Phòng and Đồng Nai."))
