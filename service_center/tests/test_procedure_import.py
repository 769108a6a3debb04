import pytest
from django.core.management import CommandError, call_command

from service_center.models import Procedure
from service_center.procedures import DEMO_CSV, ImportError_, procedures_import

pytestmark = pytest.mark.django_db


def test_import_creates_then_reports_nothing_changed(tmp_path, capsys):
    path = tmp_path / "thu_tuc.csv"
    path.write_text(DEMO_CSV, encoding="utf-8")
    call_command("import_procedures", path)
    assert Procedure.objects.count() == DEMO_CSV.count("\n") - 1
    khai_sinh = Procedure.objects.get(code="1.001193")
    assert (khai_sinh.name, khai_sinh.time_limit, khai_sinh.time_unit) == ("Thủ tục đăng ký khai sinh", 1, "working")
    call_command("import_procedures", path)
    assert "0 created, 0 updated" in capsys.readouterr().out


def test_a_bad_row_imports_nothing_and_names_the_line(tmp_path):
    path = tmp_path / "thu_tuc.csv"
    path.write_text(DEMO_CSV + '9.9,"Thủ tục lỗi","Hộ tịch",x,working,0,full,""\n', encoding="utf-8")
    with pytest.raises(CommandError, match="line 20"):
        call_command("import_procedures", path)
    assert not Procedure.objects.exists()


@pytest.mark.parametrize("content", ["code,name\n1,a\n", DEMO_CSV + "1.9\x00,x\n"], ids=["missing-columns", "nul-byte"])
def test_an_unreadable_file_is_a_command_error_and_imports_nothing(tmp_path, content):
    path = tmp_path / "thu_tuc.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_procedures", path)
    assert not Procedure.objects.exists()


HEADER = "code,name,field,time_limit,time_unit,fee,online_level,legal_basis"
BIRTH = '1.001193,"Thủ tục đăng ký khai sinh","Hộ tịch",1,working,0,full,""'


def papers_csv(cell: str) -> str:
    return f'{HEADER},papers\n{BIRTH},"{cell}"\n'


def rows(procedure):
    return [(p.name, p.kind, p.copies, p.is_required, p.position) for p in procedure.papers.all()]


def test_the_papers_column_lists_the_procedure_papers_in_order():
    procedures_import(
        text=papers_csv("Tờ khai|original|1|required; Giấy chứng sinh|original; Ủy quyền|certified_copy|2|optional")
    )
    assert rows(Procedure.objects.get(code="1.001193")) == [
        ("Tờ khai", "original", 1, True, 1),
        ("Giấy chứng sinh", "original", 1, True, 2),
        ("Ủy quyền", "certified_copy", 2, False, 3),
    ]


def test_reimporting_the_same_papers_changes_nothing_and_a_changed_list_replaces_it():
    procedures_import(text=papers_csv("Tờ khai|original; Giấy chứng sinh|original"))
    procedure = Procedure.objects.get(code="1.001193")
    kept = procedure.papers.get(name="Giấy chứng sinh").pk
    again = procedures_import(text=papers_csv("Tờ khai|original; Giấy chứng sinh|original"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = procedures_import(text=papers_csv("Giấy chứng sinh|copy|2; Ủy quyền|copy|1|optional"))
    assert (changed.updated, changed.unchanged) == (1, 0)
    assert rows(procedure) == [("Giấy chứng sinh", "copy", 2, True, 1), ("Ủy quyền", "copy", 1, False, 2)]
    assert procedure.papers.get(name="Giấy chứng sinh").pk == kept  # the same row, so an open intake form holds


def test_a_file_without_the_papers_column_keeps_the_papers_entered_in_the_admin():
    procedures_import(text=papers_csv("Tờ khai|original"))
    result = procedures_import(text=f"{HEADER}\n{BIRTH}\n")
    assert result.unchanged == 1
    assert [p.name for p in Procedure.objects.get(code="1.001193").papers.all()] == ["Tờ khai"]


def test_an_empty_papers_cell_means_no_papers():
    procedures_import(text=papers_csv("Tờ khai|original"))
    procedures_import(text=papers_csv(""))
    assert not Procedure.objects.get(code="1.001193").papers.exists()


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Tờ khai|ban chinh", "kind must be one of original, certified_copy, copy"),
        ("Tờ khai|original|0", "copies must be a whole number from 1"),
        ("Tờ khai|original|1|yes", "required or optional"),
        ("|original", "the name is empty"),
        ("Tờ khai|original; Tờ khai|copy", "listed twice"),
        ("Tờ khai|original|1|required|x", "at most 4 parts"),
        ("T" * 301 + "|original", "300"),
    ],
)
def test_a_bad_paper_imports_nothing_and_names_the_line(cell, message):
    with pytest.raises(ImportError_, match=f"line 2: .*{message}"):
        procedures_import(text=papers_csv(cell))
    assert not Procedure.objects.exists()


def test_every_demo_procedure_lists_its_papers_with_at_least_one_required():
    procedures_import(text=DEMO_CSV)
    for procedure in Procedure.objects.prefetch_related("papers"):
        assert any(p.is_required for p in procedure.papers.all()), procedure.code
