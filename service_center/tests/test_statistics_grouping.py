"""06a by unit, by field (lĩnh vực) and by procedure: the same columns, the same total whatever the grouping, one
aggregate query whatever the rows; the Excel file under the Decree 30 header (issuing body, title, unit, period)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilot_portal.accounts.tests.factories import UserFactory
from service_center.models import Channel, Dossier, Status
from service_center.selectors import STAT_FIELDS, dossier_statistics, statistics_total
from units.tests.factories import UnitFactory

from .factories import DossierFactory, ProcedureFactory
from .xlsx import header_row, table, workbook

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()
PERIOD = {"start": "2025-06-16", "end": "2025-06-30"}
START, END = dt.date(2025, 6, 16), dt.date(2025, 6, 30)


def at(month, day, hour=9):
    return dt.datetime(2025, month, day, hour, 0, tzinfo=TZ)


def figures(row):
    return {name: getattr(row, name) for name in STAT_FIELDS}


@pytest.fixture
def procedures():
    return {
        "birth": ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch"),
        "marriage": ProcedureFactory(code="1.000894", name="Đăng ký kết hôn", field="Hộ tịch"),
        "copy": ProcedureFactory(code="2.000815", name="Chứng thực bản sao từ bản chính", field="Chứng thực"),
    }


@pytest.fixture
def second_unit(unit):
    return UnitFactory(province=unit.province, short_name="An Lạc")


@pytest.fixture
def hand_made(unit, second_unit, procedures):
    """Period 16/6-30/6/2025; the expected figures are written out in the tests."""
    birth, marriage, copy = procedures["birth"], procedures["marriage"], procedures["copy"]
    make = DossierFactory
    # The unit of the clerk: two finished (early, on time), one carried over and overdue, one refused.
    make(unit=unit, procedure=birth, received_at=at(6, 17), due_at=at(6, 19), status=Status.RETURNED,
         closed_at=at(6, 18), returned_at=at(6, 18), channel=Channel.ONLINE)  # fmt: skip
    make(unit=unit, procedure=birth, received_at=at(6, 18), due_at=at(6, 20, 15), status=Status.DONE,
         closed_at=at(6, 20))  # fmt: skip
    make(unit=unit, procedure=marriage, received_at=at(6, 10), due_at=at(6, 13), status=Status.PROCESSING)
    make(unit=unit, procedure=copy, received_at=at(6, 20), due_at=at(6, 21), status=Status.REFUSED,
         closed_at=at(6, 20), channel=Channel.POST)  # fmt: skip
    # The second unit: one finished late, one open in time; one received after the period.
    make(unit=second_unit, procedure=copy, received_at=at(6, 23), due_at=at(6, 24), status=Status.RETURNED,
         closed_at=at(6, 25), returned_at=at(6, 26), channel=Channel.ONLINE)  # fmt: skip
    make(unit=second_unit, procedure=marriage, received_at=at(6, 27), due_at=at(7, 3))
    make(unit=second_unit, procedure=birth, received_at=at(7, 2), due_at=at(7, 4))


EMPTY = dict.fromkeys(STAT_FIELDS, 0)
STATUS_COLUMNS = [("3", "Không được tiếp nhận"), ("7", "Rút hồ sơ"), ("8", "Dừng xử lý")]


def test_by_unit(hand_made, province_staff, unit, second_unit):
    rows = dossier_statistics(user=province_staff, start=START, end=END)
    assert [r.label for r in rows] == [second_unit.name, unit.name]  # "Phường An Lạc" < "Phường Hòa Bình …"
    assert figures(rows[0]) == EMPTY | {"received_new": 2, "direct": 1, "online": 1, "finished_late": 1,
                                        "open_in_time": 1}  # fmt: skip
    assert figures(rows[1]) == EMPTY | {"carried_over": 1, "received_new": 3, "direct": 1, "online": 1, "post": 1,
                                        "finished_early": 1, "finished_on_time": 1, "open_overdue": 1,
                                        "refused": 1}  # fmt: skip


def test_by_field_in_vietnamese_order(hand_made, province_staff):
    rows = dossier_statistics(user=province_staff, start=START, end=END, group_by="field")
    assert [r.label for r in rows] == ["Chứng thực", "Hộ tịch"]
    assert figures(rows[0]) == EMPTY | {"received_new": 2, "online": 1, "post": 1, "finished_late": 1, "refused": 1}
    assert figures(rows[1]) == EMPTY | {"carried_over": 1, "received_new": 3, "direct": 2, "online": 1,
                                        "finished_early": 1, "finished_on_time": 1, "open_in_time": 1,
                                        "open_overdue": 1}  # fmt: skip
    assert all(r.reconciles for r in rows)


def test_by_procedure_with_code_and_field(hand_made, province_staff):
    rows = dossier_statistics(user=province_staff, start=START, end=END, group_by="procedure")
    # By field, then by name: "kết hôn" before "khai sinh" (ê comes before h).
    assert [(r.field, r.label, r.code) for r in rows] == [
        ("Chứng thực", "Chứng thực bản sao từ bản chính", "2.000815"),
        ("Hộ tịch", "Đăng ký kết hôn", "1.000894"),
        ("Hộ tịch", "Đăng ký khai sinh", "1.001193"),
    ]
    assert [(r.received, r.finished, r.still_open, r.closed_without_result) for r in rows] == [
        (2, 1, 0, 1),
        (2, 0, 2, 0),
        (2, 2, 0, 0),
    ]


@pytest.mark.parametrize("group_by", ["field", "procedure"])
def test_every_grouping_has_the_total_of_the_units(hand_made, province_staff, group_by):
    by_unit = statistics_total(dossier_statistics(user=province_staff, start=START, end=END))
    other = statistics_total(dossier_statistics(user=province_staff, start=START, end=END, group_by=group_by))
    assert figures(other) == figures(by_unit)
    assert (by_unit.received, by_unit.finished, by_unit.still_open, by_unit.closed_without_result) == (6, 3, 2, 1)


CLOSED = {Status.DONE, Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    dossiers=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=1),  # which unit
            st.integers(min_value=0, max_value=2),  # which procedure
            st.integers(min_value=1, max_value=30),  # received on this day of June
            st.integers(min_value=0, max_value=10),  # due so many days later
            st.sampled_from(Status.values),
            st.integers(min_value=0, max_value=10),  # closed so many days after receipt (when closed)
        ),
        max_size=14,
    )
)
def test_on_any_data_every_grouping_reconciles_and_adds_up_to_the_units(
    unit, second_unit, procedures, province_staff, dossiers
):
    Dossier.objects.all().delete()
    units, catalogue = [unit, second_unit], list(procedures.values())
    for unit_index, procedure_index, received, due_in, status, closed_in in dossiers:
        received_at = at(6, received)
        DossierFactory(
            unit=units[unit_index],
            procedure=catalogue[procedure_index],
            received_at=received_at,
            due_at=received_at + dt.timedelta(days=due_in),
            status=status,
            closed_at=received_at + dt.timedelta(days=closed_in) if status in CLOSED else None,
        )
    start, end = dt.date(2025, 6, 10), dt.date(2025, 6, 20)
    totals = []
    for group_by in ("unit", "field", "procedure"):
        rows = dossier_statistics(user=province_staff, start=start, end=end, group_by=group_by)
        assert all(r.reconciles for r in rows), rows
        totals.append(figures(statistics_total(rows)))
    assert totals[0] == totals[1] == totals[2]


@pytest.mark.parametrize("group", ["unit", "field", "procedure"])
@pytest.mark.parametrize("rows", [2, 12])
def test_the_page_costs_the_same_queries_whatever_the_rows(
    client, national_viewer, django_assert_max_num_queries, group, rows
):
    for i in range(rows):
        DossierFactory(received_at=at(6, 17), procedure=ProcedureFactory(field=f"Lĩnh vực {i:02d}"))
    client.force_login(national_viewer)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("service_center:statistics"), PERIOD | {"group": group})
    assert len(response.context["rows"]) == rows
    assert len(response.context["indicator_rows"]) == rows


def test_the_page_switches_grouping_and_keeps_the_period(client, hand_made, province_staff):
    client.force_login(province_staff)
    response = client.get(reverse("service_center:statistics"), PERIOD | {"group": "procedure"})
    assert response.context["group_by"] == "procedure"
    content = response.content.decode()
    assert "Đăng ký kết hôn" in content and "(1.000894)" in content
    # The national status codes beside the statuses the columns count.
    assert all(f"{code} · {label}" in content for code, label in STATUS_COLUMNS)
    assert "(mã 9, 10)" in content and "(mã 2, 4, 5, 6)" in content
    assert [key for key, _title, _link in response.context["group_links"]] == ["unit", "field", "procedure"]
    assert all(
        "start=2025-06-16" in link and f"group={key}" in link for key, _t, link in response.context["group_links"]
    )
    # An unknown grouping falls back to the units.
    assert client.get(reverse("service_center:statistics"), PERIOD | {"group": "x"}).context["group_by"] == "unit"


def test_one_unit_by_field(client, hand_made, province_staff, unit):
    client.force_login(province_staff)
    response = client.get(reverse("service_center:statistics"), PERIOD | {"group": "field", "unit": unit.pk})
    assert [r.label for r in response.context["rows"]] == ["Chứng thực", "Hộ tịch"]
    assert response.context["total"].received == 4
    assert [r.unit_name for r in response.context["indicator_rows"]] == [unit.name]
    assert f"Đơn vị: {unit.name}" in response.content.decode()


def test_province_staff_of_another_province_cannot_narrow_to_a_unit_they_do_not_see(client, hand_made, unit):
    outsider = UserFactory(province_staff=True, province=UnitFactory().province)
    client.force_login(outsider)
    assert client.get(reverse("service_center:statistics"), PERIOD | {"unit": unit.pk}).status_code == 404
    for group in ("unit", "field", "procedure"):
        response = client.get(reverse("service_center:statistics"), PERIOD | {"group": group})
        assert response.context["rows"] == [] and response.context["indicator_rows"] == []
    xlsx = client.get(reverse("service_center:statistics"), PERIOD | {"unit": unit.pk, "format": "xlsx"})
    assert xlsx.status_code == 404


def test_a_clerk_cannot_narrow_to_another_unit(client, hand_made, ward_clerk, second_unit):
    client.force_login(ward_clerk)
    assert client.get(reverse("service_center:statistics"), PERIOD | {"unit": second_unit.pk}).status_code == 404
    assert client.get(reverse("service_center:statistics"), PERIOD | {"unit": "abc"}).status_code == 404
    rows = client.get(reverse("service_center:statistics"), PERIOD | {"group": "field"}).context["rows"]
    assert statistics_total(rows).received == 4  # the clerk's own unit only


def test_a_user_without_a_role_gets_403(client, hand_made, user_without_role, unit):
    client.force_login(user_without_role)
    for query in ({}, {"group": "field"}, {"unit": unit.pk}, {"format": "xlsx"}):
        assert client.get(reverse("service_center:statistics"), PERIOD | query).status_code == 403
    assert client.get(reverse("service_center:book"), PERIOD | {"format": "xlsx"}).status_code == 403


def above_the_table(sheet, first_header):
    """The texts of the rows above the table's header row, row by row (empty cells left out)."""
    rows = list(sheet.iter_rows(max_row=header_row(sheet, first_header) - 1, values_only=True))
    return [[value for value in row if value not in (None, "")] for row in rows]


def test_the_excel_file_of_a_clerk_carries_the_unit_title_and_period_above_the_table(client, hand_made, ward_clerk):
    unit = ward_clerk.unit
    client.force_login(ward_clerk)
    sheet = workbook(client.get(reverse("service_center:statistics"), PERIOD | {"group": "field", "format": "xlsx"}))[
        "Thống kê"
    ]
    assert above_the_table(sheet, "Lĩnh vực") == [
        [f"UBND {unit.name.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "Độc lập - Tự do - Hạnh phúc"],
        [f"{unit.short_name}, ngày 15 tháng 7 năm 2025"],
        [],
        ["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"],
        ["Theo lĩnh vực"],
        [f"Đơn vị: {unit.name}, {unit.province.name}"],
        ["Kỳ báo cáo: từ 16/06/2025 đến 30/06/2025"],
        [],
    ]
    rows = table(sheet, "Lĩnh vực")
    assert rows[0][13:16] == ("3 · Không được tiếp nhận", "7 · Rút hồ sơ", "8 · Dừng xử lý")
    assert [r[:2] for r in rows[1:]] == [("Chứng thực", 1), ("Hộ tịch", 3), ("Tổng", 4)]
    title_row = header_row(sheet, "Lĩnh vực") - 5
    assert f"A{title_row}:R{title_row}" in {str(r) for r in sheet.merged_cells.ranges}  # centred over the table


def test_the_excel_file_of_province_staff_names_the_province(client, hand_made, province_staff, unit):
    client.force_login(province_staff)
    sheet = workbook(
        client.get(reverse("service_center:statistics"), PERIOD | {"group": "procedure", "format": "xlsx"})
    )["Thống kê"]
    province = unit.province
    header = above_the_table(sheet, "Thủ tục")
    assert header[0] == [f"UBND {province.name.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert ["Theo thủ tục"] in header and [f"Tỉnh, thành phố: {province.name}"] in header
    assert [r[0] for r in table(sheet, "Thủ tục")[1:]] == [
        "Chứng thực bản sao từ bản chính (2.000815)",
        "Đăng ký kết hôn (1.000894)",
        "Đăng ký khai sinh (1.001193)",
        "Tổng",
    ]


def test_the_tracking_book_file_carries_the_unit_title_and_period_above_the_table(client, hand_made, ward_clerk):
    client.force_login(ward_clerk)
    sheet = workbook(client.get(reverse("service_center:book"), PERIOD | {"format": "xlsx"})).active
    header = above_the_table(sheet, "STT")
    assert header[0] == [f"UBND {ward_clerk.unit.name.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert ["SỔ THEO DÕI HỒ SƠ"] in header
    assert ["Kỳ báo cáo: từ 16/06/2025 đến 30/06/2025"] in header
    assert len(table(sheet, "STT")) == 1 + 3  # the three dossiers of the clerk's unit received in the period


def test_the_national_file_covers_every_province(client, hand_made, national_viewer):
    client.force_login(national_viewer)
    sheet = workbook(client.get(reverse("service_center:statistics"), PERIOD | {"format": "xlsx"}))["Thống kê"]
    header = above_the_table(sheet, "Đơn vị")
    assert header[0] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert ["Phạm vi: tất cả các tỉnh, thành phố"] in header
