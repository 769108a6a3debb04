import pytest
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory

from .factories import DossierEventFactory, DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_and_opens_procedures_overrides_and_dossiers(client):
    dossier = DossierFactory()
    DossierEventFactory(dossier=dossier)
    ProcedureFactory()
    client.force_login(UserFactory(superuser=True))
    for name in ("procedure", "calendaroverride", "dossier", "dossierevent", "handover"):
        assert client.get(reverse(f"admin:service_center_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:service_center_calendaroverride_add")).status_code == 200
    page = client.get(reverse("admin:service_center_dossier_change", args=[dossier.pk]))
    assert page.status_code == 200
    assert dossier.code in page.content.decode()
    assert client.get(reverse("admin:service_center_dossier_add")).status_code == 403
    assert client.get(reverse("admin:service_center_handover_add")).status_code == 403


@pytest.mark.parametrize("events", [1, 20])
def test_the_dossier_admin_page_reads_the_timeline_in_constant_queries(client, django_assert_max_num_queries, events):
    dossier = DossierFactory()
    DossierEventFactory.create_batch(events, dossier=dossier, actor=UserFactory())
    client.force_login(UserFactory(superuser=True))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("admin:service_center_dossier_change", args=[dossier.pk])).status_code == 200


@pytest.mark.parametrize("typed", ["tran van binh", "Trần Văn Bình", "TRẦN van Bình"])
def test_the_dossier_admin_finds_an_applicant_with_or_without_diacritics(admin_client, typed):
    wanted = DossierFactory(applicant_name="Trần Văn Bình")
    DossierFactory(applicant_name="Lê Thị Hoa")
    page = admin_client.get(reverse("admin:service_center_dossier_changelist"), {"q": typed})
    assert [d.pk for d in page.context["cl"].result_list] == [wanted.pk]


def test_the_dossier_admin_filters_by_province_unit_procedure_status_and_channel(admin_client):
    dossier = DossierFactory()
    page = admin_client.get(
        reverse("admin:service_center_dossier_changelist"),
        {
            "unit__province__id__exact": dossier.unit.province_id,
            "unit__id__exact": dossier.unit_id,
            "procedure__id__exact": dossier.procedure_id,
            "status__exact": dossier.status,
            "channel__exact": dossier.channel,
        },
    )
    assert page.status_code == 200
    assert [d.pk for d in page.context["cl"].result_list] == [dossier.pk]


def test_the_procedure_papers_are_edited_inline_on_the_procedure(admin_client):
    procedure = ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")
    url = reverse("admin:service_center_procedure_change", args=[procedure.pk])
    page = admin_client.get(url)
    assert "papers-TOTAL_FORMS" in page.content.decode()
    data = {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field,
        "time_limit": procedure.time_limit,
        "time_unit": procedure.time_unit,
        "fee": 0,
        "online_level": procedure.online_level,
        "legal_basis": "",
        "is_active": "on",
        "papers-TOTAL_FORMS": "1",
        "papers-INITIAL_FORMS": "0",
        "papers-0-position": "1",
        "papers-0-name": "Giấy chứng sinh",
        "papers-0-kind": "original",
        "papers-0-copies": "1",
        "papers-0-is_required": "on",
    }
    assert admin_client.post(url, data).status_code == 302
    assert [(p.name, p.is_required) for p in procedure.papers.all()] == [("Giấy chứng sinh", True)]
    zero = data | {"papers-0-name": "Tờ khai", "papers-0-copies": "0"}
    assert admin_client.post(url, zero).status_code == 200  # refused with the form's message, nothing saved
    assert procedure.papers.count() == 1


def test_the_dossier_admin_shows_the_papers_received_read_only(admin_client):
    from service_center.models import DossierPaper

    dossier = DossierFactory()
    DossierPaper.objects.create(dossier=dossier, name="Giấy chứng sinh", kind="original", copies=1, position=1)
    content = admin_client.get(reverse("admin:service_center_dossier_change", args=[dossier.pk])).content.decode()
    assert "Giấy chứng sinh" in content
    assert "papers-0-name" not in content  # shown, not editable
    # The fee and the delivery change through the services' rules only (a receipt with a fee, an address by post).
    assert 'name="fee_collected"' not in content and 'name="delivery_address"' not in content


def test_the_dossier_changelist_has_few_short_columns(admin_client):
    dossier = DossierFactory(procedure=ProcedureFactory(code="1.004222", name="Thủ tục đăng ký thường trú"))
    page = admin_client.get(reverse("admin:service_center_dossier_changelist"))
    content = page.content.decode()
    assert len(page.context["cl"].list_display) <= 7
    assert '<span title="Thủ tục đăng ký thường trú">1.004222</span>' in content
    assert dossier.unit.short_name in content
