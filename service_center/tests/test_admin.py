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
