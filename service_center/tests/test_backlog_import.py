"""The import of a district's backlog list: the dry run row by row (CSV and Excel), all-or-nothing, the valid rows
only, re-imports that create nothing twice, the template, the pages with their access rules, the command."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from service_center.backlog_files import MAX_BYTES
from service_center.backlog_import import (
    BacklogFileError,
    BacklogImportRefused,
    RowStatus,
    backlog_dry_run,
    backlog_import_rows,
    read_table,
    template_csv,
    template_xlsx,
)
from service_center.models import BacklogImport, BacklogRecord, Dossier

from .factories import ProcedureFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "STT",
    "Số hồ sơ cũ (*)",
    "Đơn vị cấp huyện cũ (*)",
    "Mã thủ tục (*)",
    "Họ và tên người nộp (*)",
    "Số CCCD (*)",
    "Số điện thoại",
    "Địa chỉ",
    "Ngày giờ tiếp nhận (*)",
    "Ngày hẹn trả",
    "Ngày bàn giao (*)",
]
GOOD = ["1", "H23-0001", "Huyện An Lão", "1.001193", "Nguyễn Văn An", "031085001234", "0912345678", "Thôn 1",
        "10/03/2025 08:15", "13/03/2025 17:00", "01/07/2025"]  # fmt: skip
GOOD_2 = ["2", "H23-0002", "Huyện An Lão", "1.001193", "Trần Thị Bình", "031190123456", "", "",
          "02/06/2025", "", "01/07/2025"]  # fmt: skip
BAD_DATE = ["3", "H23-0003", "Huyện An Lão", "1.001193", "Lê Văn Cường", "031085001235", "", "",
            "32/03/2025", "", "01/07/2025"]  # fmt: skip
BAD_PROCEDURE = ["4", "H23-0004", "Huyện An Lão", "9.999999", "Phạm Thị Dung", "031085001236", "", "",
                 "10/03/2025 08:15", "", "01/07/2025"]  # fmt: skip
FUTURE_HANDOVER = ["5", "H23-0005", "Huyện An Lão", "1.001193", "Hoàng Văn Em", "031085001237", "", "",
                   "10/03/2025 08:15", "", "20/07/2025"]  # fmt: skip
OTHER_DATA_SAME_NUMBER = ["7", "h23-0001", "Huyện An Lão", "1.001193", "Người Khác", "031085001238", "", "",
                          "10/03/2025 08:15", "", "01/07/2025"]  # fmt: skip


@pytest.fixture(autouse=True)
def procedure(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", time_limit=3)


def csv_bytes(rows, *, bom=True, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["Danh sách hồ sơ tồn đọng huyện An Lão"])  # a title above the header
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


MIXED = [GOOD, BAD_DATE, BAD_PROCEDURE, FUTURE_HANDOVER, GOOD, OTHER_DATA_SAME_NUMBER, GOOD_2]


def statuses(report):
    return [(r.number, r.status) for r in report.rows]


@pytest.mark.parametrize("bom", [True, False])
def test_the_dry_run_of_a_csv_reports_every_row_and_saves_nothing(unit, bom):
    report = backlog_dry_run(unit=unit, rows=read_table(csv_bytes(MIXED, bom=bom), "ds.csv"))

    assert statuses(report) == [
        (2, RowStatus.NEW),
        (3, RowStatus.ERROR),
        (4, RowStatus.ERROR),
        (5, RowStatus.ERROR),
        (6, RowStatus.REPEATED),
        (7, RowStatus.ERROR),
        (8, RowStatus.NEW),
    ]
    rows = {r.number: r for r in report.rows}
    assert rows[2].due_at.strftime("%H:%M %d/%m/%Y") == "17:00 13/03/2025"
    # A date alone: the receipt at the office's opening; no due date: computed from the procedure.
    assert rows[8].entry.received_at.strftime("%H:%M %d/%m/%Y") == "07:00 02/06/2025"
    assert rows[8].due_at.strftime("%H:%M %d/%m/%Y") == "17:00 04/06/2025"
    assert rows[3].errors == ["Ngày giờ tiếp nhận: “32/03/2025” không phải là ngày (ghi theo dạng dd/mm/yyyy hh:mm)."]
    assert rows[4].errors == ["Không có thủ tục mã 9.999999 trong danh mục."]
    assert rows[5].errors == ["Ngày bàn giao không được ở tương lai."]
    assert rows[6].repeats_row == 2
    assert rows[7].errors == ["Dòng 2 có cùng số hồ sơ cũ nhưng nội dung khác."]
    assert (report.new_count, report.existing_count, report.error_count) == (2, 1, 4)
    assert not Dossier.objects.exists()


def test_the_dry_run_of_an_excel_file_reads_date_cells_and_numbers_excel_made_of_the_codes(unit):
    good = [1, "H23-0001", "Huyện An Lão", 1.001193, "Nguyễn Văn An", 31085001234, 912345678, "Thôn 1",
            dt.datetime(2025, 3, 10, 8, 15), dt.datetime(2025, 3, 13, 17, 0), dt.datetime(2025, 7, 1)]  # fmt: skip
    bad = [2, "H23-0002", "Huyện An Lão", "1.001193", "", "031085001234", "", "",
           dt.datetime(2025, 3, 10, 8, 15), dt.datetime(2025, 3, 9, 17, 0), dt.date(2025, 7, 1)]  # fmt: skip
    dates_only = [3, "H23-0003", "Huyện An Lão", "1.001193", "Lê Văn Cường", "031085001235", "", "",
                  dt.datetime(2025, 3, 11), dt.datetime(2025, 3, 14), dt.datetime(2025, 7, 1)]  # fmt: skip
    report = backlog_dry_run(unit=unit, rows=read_table(xlsx_bytes([good, [], bad, dates_only]), "ds.xlsx"))

    assert statuses(report) == [(3, RowStatus.NEW), (5, RowStatus.ERROR), (6, RowStatus.NEW)]
    # A date typed in a date cell (midnight): the office's opening for the receipt, its closing for the due date.
    dates_only = report.rows[2]
    assert dates_only.entry.received_at.strftime("%H:%M %d/%m/%Y") == "07:00 11/03/2025"
    assert dates_only.due_at.strftime("%H:%M %d/%m/%Y") == "17:00 14/03/2025"
    first = report.rows[0].entry
    assert first.applicant.id_number == "031085001234" and first.applicant.phone == "0912345678"
    assert first.procedure.code == "1.001193"
    assert report.rows[0].due_at.strftime("%H:%M %d/%m/%Y") == "17:00 13/03/2025"
    assert report.rows[1].errors == [
        "Thiếu họ và tên người nộp.",
        "Ngày hẹn trả ban đầu không được trước ngày tiếp nhận ban đầu.",
    ]


def test_a_semicolon_csv_as_excel_saves_it_in_some_locales_is_read(unit):
    report = backlog_dry_run(unit=unit, rows=read_table(csv_bytes([GOOD], delimiter=";"), "ds.csv"))
    assert statuses(report) == [(2, RowStatus.NEW)]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("Số hồ sơ cũ,Họ và tên người nộp\nX,Y\n".encode(), "ds.csv", "Tệp thiếu cột: Đơn vị cấp huyện cũ, Mã thủ tục"),
        (b"a,b\n1,2\n", "ds.csv", "Không tìm thấy dòng tiêu đề"),
        (b"S\xf4 h\xf4 s\xf5 c\xfe\n", "ds.csv", "không ở bảng mã UTF-8"),
        (b"PK\x03\x04 not a zip", "ds.xlsx", "Không mở được tệp"),
    ],
)
def test_an_unreadable_file_says_why(content, name, message):
    with pytest.raises(BacklogFileError, match=message):
        read_table(content, name)


def test_an_excel_file_that_expands_far_beyond_the_upload_limit_is_refused_before_it_is_read():
    # A zip bomb: the template with a shared string of 30 MB (about 30 KB compressed). openpyxl reads the shared
    # strings whole, so 5 MB of such a file would ask gigabytes of the server; bench/audit.py found it accepted.
    import zipfile

    template = zipfile.ZipFile(io.BytesIO(template_xlsx()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in template.namelist():
            archive.writestr(name, template.read(name))
        archive.writestr("xl/sharedStrings.xml", b"<sst><si><t>" + b"A" * (30 << 20) + b"</t></si></sst>")
    assert len(bomb.getvalue()) < MAX_BYTES

    with pytest.raises(BacklogFileError, match="khi giải nén"):
        read_table(bomb.getvalue(), "ds.xlsx")


def test_importing_refuses_everything_when_a_row_is_wrong(unit, ward_clerk):
    with pytest.raises(BacklogImportRefused, match="Có 4 dòng bị lỗi: chưa nhập hồ sơ nào"):
        backlog_import_rows(unit=unit, rows=read_table(csv_bytes(MIXED), "ds.csv"), actor=ward_clerk)
    assert not Dossier.objects.exists() and not BacklogRecord.objects.exists()


def test_importing_the_valid_rows_only_leaves_the_wrong_ones_out(unit, ward_clerk):
    report = backlog_import_rows(
        unit=unit, rows=read_table(csv_bytes(MIXED), "ds.csv"), actor=ward_clerk, valid_only=True
    )
    assert report.created_count == 2
    assert sorted(BacklogRecord.objects.values_list("old_number", flat=True)) == ["H23-0001", "H23-0002"]
    assert Dossier.objects.filter(from_district_backlog=True, unit=unit).count() == 2


def test_importing_the_same_file_again_creates_nothing_twice(unit, ward_clerk):
    content = csv_bytes([GOOD, GOOD_2])
    first = backlog_import_rows(unit=unit, rows=read_table(content, "ds.csv"), actor=ward_clerk)
    codes = [r.dossier_code for r in first.rows]
    assert [r.status for r in first.rows] == [RowStatus.CREATED, RowStatus.CREATED]

    again = backlog_import_rows(unit=unit, rows=read_table(content, "ds.csv"), actor=ward_clerk)
    assert [(r.status, r.dossier_code) for r in again.rows] == [(RowStatus.EXISTS, code) for code in codes]
    assert again.created_count == 0
    assert Dossier.objects.count() == 2
    # The same list as an Excel file, with one row more: only that row is new.
    more = [["9", "H23-0009", "Huyện An Lão", "1.001193", "Vũ Thị Hà", "031190123457", "", "",
             "11/03/2025 09:00", "", "01/07/2025"]]  # fmt: skip
    third = backlog_import_rows(unit=unit, rows=read_table(xlsx_bytes([GOOD, GOOD_2, *more]), "x.xlsx"), actor=None)
    assert [r.status for r in third.rows] == [RowStatus.EXISTS, RowStatus.EXISTS, RowStatus.CREATED]
    assert Dossier.objects.count() == 3


@pytest.mark.parametrize(("maker", "name"), [(template_xlsx, "mau.xlsx"), (template_csv, "mau.csv")])
def test_the_template_reads_back_with_its_example_row_valid(unit, maker, name):
    content = maker()
    report = backlog_dry_run(unit=unit, rows=read_table(content, name))
    assert statuses(report) == [(2, RowStatus.NEW)]
    assert report.rows[0].entry.received_at.strftime("%H:%M %d/%m/%Y") == "08:15 10/03/2025"
    if name.endswith(".csv"):
        assert content.startswith(b"\xef\xbb\xbf")
    else:
        header = next(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
        assert header[0] == "Số hồ sơ cũ (*)" and "Ngày bàn giao (*)" in header


# --- The pages -------------------------------------------------------------------------------------------------


def upload(client, content, name="ds.csv"):
    return client.post(reverse("service_center:backlog_import"), {"file": SimpleUploadedFile(name, content)})


def test_the_clerk_uploads_sees_the_dry_run_and_imports(client, ward_clerk):
    client.force_login(ward_clerk)
    response = upload(client, csv_bytes([GOOD, GOOD_2]))
    batch = BacklogImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("service_center:backlog_report", args=[batch.token])
    page = client.get(response.url).content.decode()
    assert "Kết quả kiểm tra tệp (chưa lưu)" in page and "Sẽ tiếp nhận" in page and "Nhập 2 hồ sơ" in page
    assert not Dossier.objects.exists()

    confirm = reverse("service_center:backlog_confirm", args=[batch.token])
    response = client.post(confirm, {"mode": "all"}, follow=True)
    assert "Đã tiếp nhận 2 hồ sơ tồn đọng; 0 dòng không nhập." in response.content.decode()
    assert Dossier.objects.filter(backlog__batch=batch).count() == 2
    batch.refresh_from_db()
    assert batch.imported_at is not None and batch.created_count == 2
    # A second click on "import" does nothing more.
    response = client.post(confirm, {"mode": "all"}, follow=True)
    assert "Tệp này đã được nhập lúc" in response.content.decode()
    assert Dossier.objects.count() == 2


def test_a_file_with_wrong_rows_is_imported_only_when_the_clerk_asks_for_the_valid_rows(client, ward_clerk):
    client.force_login(ward_clerk)
    upload(client, csv_bytes([GOOD, BAD_DATE]))
    batch = BacklogImport.objects.get()
    page = client.get(reverse("service_center:backlog_report", args=[batch.token])).content.decode()
    assert "Chỉ nhập các dòng hợp lệ (1)" in page and "không phải là ngày" in page

    confirm = reverse("service_center:backlog_confirm", args=[batch.token])
    refused = client.post(confirm, {"mode": "all"})
    assert refused.status_code == 200 and "Có 1 dòng bị lỗi: chưa nhập hồ sơ nào" in refused.content.decode()
    assert not Dossier.objects.exists()
    client.post(confirm, {"mode": "valid_only"})
    assert list(BacklogRecord.objects.values_list("old_number", flat=True)) == ["H23-0001"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ds.txt", b"x", "Loại tệp này không được chấp nhận"),
        ("ds.xlsx", b"MZ\x90\x00 an executable", "Nội dung tệp không phải là tệp .xlsx"),
        ("ds.csv", b"a,b\n", "Không tìm thấy dòng tiêu đề"),
    ],
)
def test_a_bad_upload_is_refused_with_its_reason_and_nothing_is_kept(client, ward_clerk, name, content, message):
    client.force_login(ward_clerk)
    response = upload(client, content, name)
    assert response.status_code == 200 and message in response.content.decode()
    assert not BacklogImport.objects.exists()


def test_the_template_downloads(client, ward_clerk):
    client.force_login(ward_clerk)
    xlsx = client.get(reverse("service_center:backlog_template", args=["xlsx"]))
    assert xlsx["Content-Disposition"] == 'attachment; filename="mau-ho-so-ton-dong.xlsx"'
    assert xlsx.content.startswith(b"PK\x03\x04")
    assert client.get(reverse("service_center:backlog_template", args=["csv"])).content.startswith(b"\xef\xbb\xbf")
    assert client.get(reverse("service_center:backlog_template", args=["exe"])).status_code == 404


@pytest.fixture
def batch(client, ward_clerk):
    client.force_login(ward_clerk)
    upload(client, csv_bytes([GOOD]))
    client.logout()
    return BacklogImport.objects.get()


def test_another_users_upload_is_a_404_and_stays_unimported(client, batch, clerk_of_other_unit, unit_official):
    for user in (clerk_of_other_unit, unit_official):  # another unit's clerk; another officer of the same unit
        client.force_login(user)
        assert client.get(reverse("service_center:backlog_report", args=[batch.token])).status_code == 404
        assert client.post(reverse("service_center:backlog_confirm", args=[batch.token])).status_code == 404
    assert not Dossier.objects.exists()


def test_users_without_a_role_and_readers_get_403(client, batch, user_without_role, province_staff, national_viewer):
    pages = [
        ("get", reverse("service_center:backlog_import")),
        ("post", reverse("service_center:backlog_import")),
        ("get", reverse("service_center:backlog_template", args=["xlsx"])),
        ("get", reverse("service_center:backlog_report", args=[batch.token])),
        ("post", reverse("service_center:backlog_confirm", args=[batch.token])),
    ]
    for user in (user_without_role, province_staff, national_viewer):
        client.force_login(user)
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 403, (user, url)
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_report_page_runs_a_constant_number_of_queries(client, ward_clerk, django_assert_max_num_queries, rows):
    data = [[str(i), f"H23-{i:04d}", "Huyện An Lão", "1.001193", f"Người {i}", f"0310850{i:05d}", "", "",
             "10/03/2025 08:15", "", "01/07/2025"] for i in range(rows)]  # fmt: skip
    client.force_login(ward_clerk)
    upload(client, csv_bytes([*data[: rows // 2], BAD_DATE, *data[rows // 2 :]]))
    batch = BacklogImport.objects.get()
    client.post(reverse("service_center:backlog_confirm", args=[batch.token]), {"mode": "valid_only"})
    upload(client, csv_bytes(data))  # the same rows again: every one already imported
    again = BacklogImport.objects.exclude(pk=batch.pk).get()
    with django_assert_max_num_queries(9):
        response = client.get(reverse("service_center:backlog_report", args=[again.token]))
    assert response.content.decode().count("Đã nhập trước đó:") == rows
    with django_assert_max_num_queries(9):
        response = client.get(reverse("service_center:backlog_report", args=[batch.token]))
    assert response.content.decode().count("H23-") >= rows


# --- The command -----------------------------------------------------------------------------------------------


def test_the_command_dry_runs_refuses_and_imports_the_valid_rows(unit, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes([GOOD, BAD_PROCEDURE]))
    out = io.StringIO()
    call_command("import_backlog", str(path), unit=unit.code, dry_run=True, stdout=out)
    assert "row 2: would be received (H23-0001)" in out.getvalue()
    assert "row 3: ERROR Không có thủ tục mã 9.999999 trong danh mục." in out.getvalue()
    with pytest.raises(CommandError, match="Có 1 dòng bị lỗi"):
        call_command("import_backlog", str(path), unit=unit.code, stdout=io.StringIO())
    assert not Dossier.objects.exists()

    call_command("import_backlog", str(path), unit=unit.code, valid_only=True, stdout=out)
    dossier = Dossier.objects.get()
    assert f"row 2: received as {dossier.code}" in out.getvalue()
    out = io.StringIO()
    call_command("import_backlog", str(path), unit=unit.code, valid_only=True, stdout=out)
    assert f"row 2: already imported ({dossier.code})" in out.getvalue()
    assert Dossier.objects.count() == 1
    with pytest.raises(CommandError, match="no unit with GSO code"):
        call_command("import_backlog", str(path), unit="00000", stdout=io.StringIO())
