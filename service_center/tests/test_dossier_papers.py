"""Papers (thành phần hồ sơ): the procedure's list as the intake checklist, the refusal of a dossier without a
required paper, the papers received stored with the dossier as they were and printed on form 01."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from service_center.models import Dossier, DossierCounter, PaperKind
from service_center.services import Applicant, DossierError, dossier_receive

from .factories import ProcedureFactory, ProcedurePaperFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()
APPLICANT = Applicant(name="Nguyễn Thị Lan", id_number="031190123456")


@pytest.fixture
def birth():
    procedure = ProcedureFactory(name="Thủ tục đăng ký khai sinh", code="1.001193", time_limit=1)
    form = ProcedurePaperFactory(procedure=procedure, name="Tờ khai đăng ký khai sinh", position=1)
    certificate = ProcedurePaperFactory(procedure=procedure, name="Giấy chứng sinh", position=2)
    proxy = ProcedurePaperFactory(
        procedure=procedure, name="Văn bản ủy quyền", kind=PaperKind.CERTIFIED_COPY, is_required=False, position=3
    )
    return procedure, form, certificate, proxy


def receive(unit, clerk, procedure, papers):
    return dossier_receive(unit=unit, procedure=procedure, applicant=APPLICANT, actor=clerk, papers=papers)


def intake_data(procedure, papers=(), **overrides):
    return {
        "token": str(uuid.uuid4()),
        "procedure": procedure.pk,
        "applicant_name": "Trần Văn Bình",
        "applicant_id_number": "031190123456",
        "channel": "1",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "papers": [paper.pk for paper in papers],
    } | overrides


def confirmed(client, data):
    preview = client.post(reverse("service_center:intake"), data | {"preview": "1"})
    return data | {"confirm": "1", "previewed_due": preview.context["due_at"].isoformat()}


# --- The service ----------------------------------------------------------------------------------------------


def test_a_dossier_missing_a_required_paper_is_refused_naming_the_missing_papers(unit, ward_clerk, birth):
    procedure, form, _certificate, proxy = birth
    with pytest.raises(DossierError) as refused:
        receive(unit, ward_clerk, procedure, [form, proxy])
    assert str(refused.value) == (
        "Hồ sơ thiếu giấy tờ bắt buộc: Giấy chứng sinh. Chưa thể tiếp nhận hồ sơ: hãy hướng dẫn công dân bổ sung, "
        "hoàn thiện hồ sơ hoặc từ chối tiếp nhận."
    )
    assert not Dossier.objects.exists()
    assert not DossierCounter.objects.exists()  # no number was taken


def test_every_missing_required_paper_is_named(unit, ward_clerk, birth):
    procedure, *_papers = birth
    with pytest.raises(DossierError, match="Tờ khai đăng ký khai sinh; Giấy chứng sinh"):
        receive(unit, ward_clerk, procedure, [])


def test_an_optional_paper_may_be_missing(unit, ward_clerk, birth):
    procedure, form, certificate, _proxy = birth
    dossier = receive(unit, ward_clerk, procedure, [certificate, form])
    assert [p.name for p in dossier.papers.all()] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]


def test_a_paper_of_another_procedure_is_refused(unit, ward_clerk, birth):
    procedure, form, certificate, _proxy = birth
    stranger = ProcedurePaperFactory(name="Đơn đề nghị cấp giấy phép xây dựng")
    with pytest.raises(DossierError, match="Chỉ đánh dấu giấy tờ của thủ tục đã chọn"):
        receive(unit, ward_clerk, procedure, [form, certificate, stranger])
    assert not Dossier.objects.exists()


def test_the_papers_received_are_a_snapshot_that_later_catalogue_changes_leave_alone(unit, ward_clerk, birth):
    procedure, form, certificate, proxy = birth
    proxy.copies = 2
    proxy.save()
    dossier = receive(unit, ward_clerk, procedure, [form, certificate, proxy])
    proxy.name, proxy.kind, proxy.copies = "Giấy ủy quyền", PaperKind.COPY, 1
    proxy.save()
    form.delete()
    rows = [(p.name, p.kind, p.copies) for p in dossier.papers.all()]
    assert rows == [
        ("Tờ khai đăng ký khai sinh", PaperKind.ORIGINAL, 1),
        ("Giấy chứng sinh", PaperKind.ORIGINAL, 1),
        ("Văn bản ủy quyền", PaperKind.CERTIFIED_COPY, 2),
    ]


def test_a_procedure_without_papers_receives_without_any(unit, ward_clerk):
    dossier = receive(unit, ward_clerk, ProcedureFactory(), [])
    assert not dossier.papers.exists()


# --- The intake screen ----------------------------------------------------------------------------------------


def test_intake_shows_the_chosen_procedure_papers_as_a_checklist_with_kind_and_copies(client, ward_clerk, birth):
    procedure, form, _certificate, proxy = birth
    client.force_login(ward_clerk)
    response = client.get(reverse("service_center:intake"), {"procedure": procedure.pk})
    content = response.content.decode()
    assert response.context["form"].paper_rows() == [(paper, False) for paper in birth[1:]]
    assert f'name="papers" value="{form.pk}"' in content
    assert "Tờ khai đăng ký khai sinh" in content and "Bản chính · 1 bản" in content
    assert f'id="paper-{proxy.pk}"' in content and "Bản sao có chứng thực · 1 bản · nếu có" in content


def test_intake_without_a_procedure_says_where_the_papers_will_appear(client, ward_clerk, birth):
    client.force_login(ward_clerk)
    content = client.get(reverse("service_center:intake"), {"procedure": "x"}).content.decode()
    assert 'id="papers-hint"' in content and 'name="papers"' not in content


def test_the_preview_warns_of_required_papers_not_ticked(client, ward_clerk, birth):
    procedure, form, _certificate, _proxy = birth
    client.force_login(ward_clerk)
    response = client.post(reverse("service_center:intake"), intake_data(procedure, [form]) | {"preview": "1"})
    content = response.content.decode()
    assert 'id="missing-papers"' in content
    assert "Giấy tờ bắt buộc chưa đánh dấu: <strong>Giấy chứng sinh</strong>" in content
    assert f'value="{form.pk}" id="paper-{form.pk}" checked' in content


def test_confirming_without_a_required_paper_saves_nothing_and_keeps_the_ticks(client, ward_clerk, birth):
    procedure, form, _certificate, _proxy = birth
    client.force_login(ward_clerk)
    response = client.post(reverse("service_center:intake"), confirmed(client, intake_data(procedure, [form])))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Hồ sơ thiếu giấy tờ bắt buộc: Giấy chứng sinh." in content
    assert f'id="paper-{form.pk}" checked' in content and "Trần Văn Bình" in content
    assert not Dossier.objects.exists()


def test_confirmed_intake_stores_the_ticked_papers_and_the_dossier_page_lists_them(client, ward_clerk, birth):
    procedure, form, certificate, _proxy = birth
    client.force_login(ward_clerk)
    data = confirmed(client, intake_data(procedure, [form, certificate]))
    response = client.post(reverse("service_center:intake"), data, follow=True)
    dossier = Dossier.objects.get()
    assert [p.name for p in dossier.papers.all()] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert [p.name for p in response.context["papers"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert 'id="papers"' in response.content.decode()


def test_ticking_a_paper_of_another_procedure_is_a_field_error(client, ward_clerk, birth):
    procedure, form, certificate, _proxy = birth
    stranger = ProcedurePaperFactory(name="Đơn đề nghị cấp giấy phép xây dựng")
    client.force_login(ward_clerk)
    data = intake_data(procedure, [form, certificate, stranger]) | {"preview": "1"}
    content = client.post(reverse("service_center:intake"), data).content.decode()
    assert "Chỉ đánh dấu giấy tờ của thủ tục đã chọn." in content
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("papers", [1, 25])
def test_intake_page_query_count_does_not_grow_with_the_papers(
    client, ward_clerk, django_assert_max_num_queries, papers
):
    procedure = ProcedureFactory()
    listed = ProcedurePaperFactory.create_batch(papers, procedure=procedure)
    client.force_login(ward_clerk)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("service_center:intake"), {"procedure": procedure.pk})
    assert page.content.decode().count('name="papers"') == papers
    with django_assert_max_num_queries(10):
        preview = client.post(reverse("service_center:intake"), intake_data(procedure, listed) | {"preview": "1"})
    assert preview.content.decode().count("checked") >= papers


# --- Form 01 -------------------------------------------------------------------------------------------------


def test_receipt_form_01_prints_the_papers_received_as_a_table(client, ward_clerk, birth):
    procedure, form, certificate, proxy = birth
    dossier = dossier_receive(
        unit=ward_clerk.unit,
        procedure=procedure,
        applicant=APPLICANT,
        actor=ward_clerk,
        papers=[form, certificate, proxy],
        received_at=dt.datetime(2025, 7, 15, 8, 0, tzinfo=TZ),
    )
    client.force_login(ward_clerk)
    content = client.get(reverse("service_center:print", args=[dossier.code, "01"])).content.decode()
    assert "<th>STT</th><th>Tên giấy tờ</th><th>Hình thức (bản chính, bản sao…)</th><th>Số lượng</th>" in content
    assert (
        '<tr><td style="text-align:center">3</td><td>Văn bản ủy quyền</td><td>Bản sao có chứng thực</td>'
        '<td style="text-align:center">1</td></tr>'
    ) in content


@pytest.mark.parametrize("papers", [1, 20])
def test_receipt_form_01_query_count_does_not_grow_with_the_papers(
    client, ward_clerk, django_assert_max_num_queries, papers
):
    procedure = ProcedureFactory()
    listed = ProcedurePaperFactory.create_batch(papers, procedure=procedure)
    dossier = dossier_receive(
        unit=ward_clerk.unit, procedure=procedure, applicant=APPLICANT, actor=ward_clerk, papers=listed
    )
    client.force_login(ward_clerk)
    with django_assert_max_num_queries(6):
        content = client.get(reverse("service_center:print", args=[dossier.code, "01"])).content.decode()
    assert content.count('<td style="text-align:center">1</td></tr>') == papers  # one copy of each
