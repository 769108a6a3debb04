"""The district backlog's rules, held by ``backlog_receive`` whatever the caller (the clock is frozen at 09:30
15/07/2025)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from service_center import selectors
from service_center.backlog import (
    BacklogAlreadyReceived,
    BacklogEntry,
    BacklogError,
    backlog_receive,
    normalize_old_number,
)
from service_center.models import BacklogRecord, Dossier, DossierEvent, Status
from service_center.services import Applicant
from units.models import LegacyUnit, Succession

from .factories import ProcedureFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, month, year, hour=8, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def procedure():
    return ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", time_limit=3)


def entry(procedure_, **overrides):
    values = {
        "old_number": "000.00.12.H23-250310-0015",
        "old_district": "Huyện An Lão",
        "procedure": procedure_,
        "applicant": Applicant(name="Nguyễn Văn An", id_number="031085001234", phone="0912 345 678"),
        "received_at": at(10, 3, 2025, 8, 15),
        "due_at": at(13, 3, 2025, 17, 0),
        "handed_over_on": dt.date(2025, 7, 1),
    }
    values.update(overrides)
    return BacklogEntry(**values)


def test_a_backlog_dossier_keeps_the_original_dates_and_gets_a_new_code(unit, ward_clerk, procedure):
    unit.agency_code = "H31.01"
    unit.save()
    dossier = backlog_receive(unit=unit, entry=entry(procedure), actor=ward_clerk)

    assert dossier.code == "H31.01-250701-0001"  # the new unit's code, of the hand-over day
    assert dossier.received_at == at(10, 3, 2025, 8, 15)
    assert dossier.due_at == at(13, 3, 2025, 17, 0)  # the district's, not recomputed from the hand-over
    assert dossier.is_overdue  # counted from the original due date
    assert dossier.from_district_backlog and dossier.status == Status.RECEIVED
    assert dossier.applicant_phone == "0912345678"
    record = dossier.backlog
    assert (record.old_number, record.old_district, record.handed_over_on) == (
        "000.00.12.H23-250310-0015",
        "Huyện An Lão",
        dt.date(2025, 7, 1),
    )
    event = DossierEvent.objects.get(dossier=dossier)
    assert event.kind == DossierEvent.Kind.RECEIVED and event.actor == ward_clerk
    assert "01/07/2025" in event.note and "000.00.12.H23-250310-0015" in event.note and "Huyện An Lão" in event.note


def test_without_a_due_date_the_procedure_gives_it_from_the_original_receipt(unit, ward_clerk, procedure):
    dossier = backlog_receive(unit=unit, entry=entry(procedure, due_at=None), actor=ward_clerk)
    # 3 working days of 8 hours from 08:15 on Monday 10/03/2025.
    assert dossier.due_at == at(13, 3, 2025, 8, 15)


def test_the_old_district_takes_the_registry_name_and_code_when_a_predecessor_was_in_it(unit, ward_clerk, procedure):
    legacy = LegacyUnit.objects.create(
        key="hp_anlao_antien", code="11509", name="Xã An Tiến", kind="Xã", district_code="315",
        district_name="Huyện An Lão", province_code="31", province_name="Thành phố Hải Phòng",
    )  # fmt: skip
    Succession.objects.create(legacy_unit=legacy, unit=unit)
    dossier = backlog_receive(unit=unit, entry=entry(procedure, old_district="an lao"), actor=ward_clerk)
    assert (dossier.backlog.old_district, dossier.backlog.old_district_code) == ("Huyện An Lão", "315")

    other = backlog_receive(
        unit=unit, entry=entry(procedure, old_number="X-2", old_district="Huyện Kiến Thụy"), actor=ward_clerk
    )
    assert (other.backlog.old_district, other.backlog.old_district_code) == ("Huyện Kiến Thụy", "")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"received_at": at(1, 8, 2025)}, "Ngày tiếp nhận ban đầu không được ở tương lai."),
        ({"handed_over_on": dt.date(2025, 7, 16)}, "Ngày bàn giao không được ở tương lai."),
        ({"due_at": at(9, 3, 2025)}, "Ngày hẹn trả ban đầu không được trước ngày tiếp nhận ban đầu."),
        ({"handed_over_on": dt.date(2025, 3, 9)}, "Ngày bàn giao không được trước ngày tiếp nhận ban đầu."),
        ({"received_at": at(31, 12, 1999)}, "Ngày tiếp nhận ban đầu phải trong khoảng từ 01/01/2000 đến 31/12/2099."),
        ({"due_at": at(1, 1, 2100)}, "Ngày hẹn trả ban đầu phải trong khoảng từ 01/01/2000 đến 31/12/2099."),
        ({"old_number": "  "}, "Thiếu số hồ sơ cũ."),
        ({"old_district": ""}, "Thiếu đơn vị cấp huyện cũ."),
        ({"procedure": None}, "Thiếu thủ tục."),
        ({"received_at": None}, "Thiếu ngày tiếp nhận ban đầu."),
        ({"handed_over_on": None}, "Thiếu ngày bàn giao."),
        ({"applicant": Applicant(name="", id_number="031085001234")}, "Thiếu họ và tên người nộp."),
        ({"applicant": Applicant(name="An", id_number="12345")}, "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số."),
    ],
)
def test_each_rule_refuses_and_saves_nothing(unit, ward_clerk, procedure, overrides, message):
    with pytest.raises(BacklogError) as refused:
        backlog_receive(unit=unit, entry=entry(procedure, **overrides), actor=ward_clerk)
    assert message in refused.value.errors
    assert not Dossier.objects.exists() and not BacklogRecord.objects.exists()


def test_a_procedure_out_of_the_catalogue_is_refused(unit, ward_clerk):
    retired = ProcedureFactory(code="1.000001", is_active=False)
    with pytest.raises(BacklogError, match=r"1\.000001 không còn trong danh mục"):
        backlog_receive(unit=unit, entry=entry(retired), actor=ward_clerk)


def test_an_old_file_number_is_received_once_per_unit_whatever_its_case_and_spaces(
    unit, other_unit, ward_clerk, procedure
):
    first = backlog_receive(unit=unit, entry=entry(procedure, old_number="h23-0015"), actor=ward_clerk)
    with pytest.raises(BacklogAlreadyReceived) as again:
        backlog_receive(unit=unit, entry=entry(procedure, old_number=" H23-0015 "), actor=ward_clerk)
    assert again.value.record.dossier == first
    assert first.code in str(again.value)
    # Another unit may hold the same old number (another district's numbering).
    backlog_receive(unit=other_unit, entry=entry(procedure, old_number="H23-0015"), actor=None)
    assert BacklogRecord.objects.count() == 2
    assert normalize_old_number("  h23 -  0015 ") == "H23 - 0015"


def test_backlog_dossiers_are_in_the_queue_and_carried_over_in_the_statistics(unit, ward_clerk, procedure):
    dossier = backlog_receive(unit=unit, entry=entry(procedure), actor=ward_clerk)
    assert dossier in selectors.dossier_queue(user=ward_clerk, queue="overdue")
    [row] = selectors.dossier_statistics(user=ward_clerk, start=dt.date(2025, 7, 1), end=dt.date(2025, 7, 31))
    assert (row.carried_over, row.received_new, row.open_overdue) == (1, 0, 1)
    assert row.reconciles


def test_the_dossier_page_and_form_01_show_the_backlog_data(client, unit, ward_clerk, procedure):
    dossier = backlog_receive(unit=unit, entry=entry(procedure), actor=ward_clerk)
    client.force_login(ward_clerk)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "000.00.12.H23-250310-0015" in page and "01/07/2025" in page and "Huyện An Lão" in page
    assert "08:15 10/03/2025" in page and "17:00 13/03/2025" in page
    form = client.get(reverse("service_center:print", args=[dossier.code, "01"])).content.decode()
    assert "số hồ sơ cũ: <strong>000.00.12.H23-250310-0015</strong>" in form
    assert "bàn giao ngày 01/07/2025" in form
    assert "ngày 10/03/2025" in form and "ngày 13/03/2025" in form


def test_an_ordinary_dossier_page_shows_no_backlog_rows(client, unit, ward_clerk, procedure):
    from service_center.services import dossier_receive

    dossier = dossier_receive(
        unit=unit, procedure=procedure, applicant=Applicant(name="Lê Thị Hoa", id_number="031190123456"),
        actor=ward_clerk,
    )  # fmt: skip
    client.force_login(ward_clerk)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'id="backlog-old-number"' not in page


def test_the_demo_hands_over_a_backlog_to_the_first_pilot_unit_of_each_province_once():
    import io

    from service_center import demo
    from units.demo import DONG_NAI_CODE, DONG_NAI_PILOT, HAI_PHONG_AFTERNOON, HAI_PHONG_CODE, LE_DAI_HANH
    from units.tests.factories import ProvinceFactory, UnitFactory

    for code, names in ((HAI_PHONG_CODE, [LE_DAI_HANH, *HAI_PHONG_AFTERNOON]), (DONG_NAI_CODE, DONG_NAI_PILOT)):
        province = ProvinceFactory(code=code)
        for name in names:
            UnitFactory(province=province, short_name=name)
    demo.seed(stdout=io.StringIO())
    records = BacklogRecord.objects.select_related("dossier", "unit")
    assert records.count() == 6
    assert {r.unit.short_name for r in records} == {LE_DAI_HANH, DONG_NAI_PILOT[0]}
    assert all(r.dossier.from_district_backlog and r.handed_over_on == dt.date(2025, 7, 1) for r in records)
    demo.seed(stdout=io.StringIO())
    assert BacklogRecord.objects.count() == 6
