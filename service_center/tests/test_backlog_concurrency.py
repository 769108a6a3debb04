"""The backlog under real concurrent transactions on PostgreSQL (each thread has its own connection)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilot_portal.core.testing import run_together
from service_center.backlog import BacklogAlreadyReceived, BacklogEntry, backlog_receive
from service_center.backlog_import import BacklogReport, backlog_import_batch, backlog_upload
from service_center.models import BacklogRecord, Dossier
from service_center.services import Applicant

from .factories import ProcedureFactory

pytestmark = pytest.mark.django_db(transaction=True)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_two_clerks_receiving_the_same_old_file_number_at_once_create_one_dossier(ward_clerk, unit_official):
    procedure = ProcedureFactory()
    actors = [ward_clerk, unit_official]

    def receive(i):
        entry = BacklogEntry(
            old_number="H23-0001",
            old_district="Huyện An Lão",
            procedure=procedure,
            applicant=Applicant(name=f"Công dân {i}", id_number="031085001234"),
            received_at=dt.datetime(2025, 3, 10, 8, 15, tzinfo=TZ),
            handed_over_on=dt.date(2025, 7, 1),
        )
        return backlog_receive(unit=ward_clerk.unit, entry=entry, actor=actors[i])

    results = run_together(receive, 2)

    assert sorted(type(r).__name__ for r in results) == ["BacklogAlreadyReceived", "Dossier"], results
    [refusal] = [r for r in results if isinstance(r, BacklogAlreadyReceived)]
    assert refusal.record.dossier == Dossier.objects.get()
    assert BacklogRecord.objects.count() == 1


def test_a_double_click_on_import_imports_the_file_once(ward_clerk, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path
    ProcedureFactory(code="1.001193")
    content = (
        "Số hồ sơ cũ,Đơn vị cấp huyện cũ,Mã thủ tục,Họ và tên người nộp,Số CCCD,Ngày giờ tiếp nhận,Ngày bàn giao\n"
        "H23-0001,Huyện An Lão,1.001193,Nguyễn Văn An,031085001234,10/03/2025 08:15,01/07/2025\n"
    ).encode()
    batch = backlog_upload(unit=ward_clerk.unit, actor=ward_clerk, upload=SimpleUploadedFile("ds.csv", content))

    results = run_together(lambda i: backlog_import_batch(batch=batch, actor=ward_clerk), 2)

    assert sorted(type(r).__name__ for r in results) == ["BacklogAlreadyImported", "BacklogReport"], results
    assert next(r for r in results if isinstance(r, BacklogReport)).created_count == 1
    assert Dossier.objects.count() == 1
