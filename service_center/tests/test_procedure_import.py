import pytest
from django.core.management import CommandError, call_command

from service_center.models import Procedure
from service_center.procedures import DEMO_CSV

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
