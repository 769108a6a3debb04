"""``Dossier.applicant_search`` is computed by the database: the queue finds an applicant however the dossier was
written (the intake service, ``bulk_create``, ``update()``), with or without diacritics."""

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from pilot_portal.core.tests.strategies import names
from pilot_portal.core.text import fold
from service_center.models import Dossier
from service_center.selectors import dossier_queue
from service_center.services import Applicant, dossier_receive
from service_center.tests.factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def _found(client, query):
    return {d.code for d in client.get(reverse("service_center:queue"), {"q": query}).context["page"].object_list}


def test_the_queue_finds_an_applicant_with_or_without_diacritics_whoever_wrote_the_dossier(client, ward_clerk):
    procedure = ProcedureFactory()
    received = dossier_receive(
        unit=ward_clerk.unit,
        procedure=procedure,
        applicant=Applicant(name="Lê Thị Hoa", id_number="031190123456"),
        actor=ward_clerk,
    )
    (bulk,) = Dossier.objects.bulk_create(
        [DossierFactory.build(unit=ward_clerk.unit, procedure=procedure, applicant_name="Đỗ Văn Hòa")]
    )
    renamed = DossierFactory(unit=ward_clerk.unit, applicant_name="Nguyễn Văn A")
    Dossier.objects.filter(pk=renamed.pk).update(applicant_name="Phạm Thị Huệ")
    client.force_login(ward_clerk)

    assert received.applicant_search == "le thi hoa"  # returned by the INSERT
    for query in ["Lê Thị Hoa", "le thi hoa", "LÊ THỊ", "hoa le"]:
        assert _found(client, query) == {received.code}, query
    for query in ["Đỗ Văn Hòa", "do van hoa", "ĐỖ"]:
        assert _found(client, query) == {bulk.code}, query
    for query in ["Phạm Thị Huệ", "pham thi hue", "huệ"]:
        assert _found(client, query) == {renamed.code}, query
    assert _found(client, "Nguyễn Văn A") == _found(client, "nguyen") == set()
    assert _found(client, "hoa") == {received.code, bulk.code}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=100)
@given(name=names)
def test_the_search_column_is_fold_of_the_applicant_name(unit, name):
    dossier = DossierFactory(unit=unit)
    name = name[: Dossier._meta.get_field("applicant_name").max_length]
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name=name)
    assert Dossier.objects.values_list("applicant_search", flat=True).get(pk=dossier.pk) == fold(name)


def test_on_postgresql_the_queue_search_can_use_the_trigram_indexes(national_viewer):
    DossierFactory.create_batch(5)
    wanted = DossierFactory(applicant_name="Lê Thị Hoa")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        # A handful of rows: left alone the planner reads the table. Plain scans off, what remains is the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    dossiers = dossier_queue(user=national_viewer, query="Lê Thị Hoa")
    plan = dossiers.explain()
    # The words in the folded name, or the text in the code (code__icontains): one index each.
    assert "Bitmap Index Scan on sc_dossier_applicant_trgm" in plan, plan
    assert "Bitmap Index Scan on sc_dossier_code_upper_trgm" in plan, plan
    assert [d.code for d in dossiers] == [wanted.code]
