"""Decision 766 digitization: the papers digitized at reception (a checkbox at intake, stored by the receiving
service) and the result digitized at its return (a checkbox of the return action, stored by the transition)."""

import pytest
from django.urls import reverse

from service_center.models import Dossier, Status
from service_center.services import Applicant, dossier_receive, dossier_transition

from .factories import DossierFactory, ProcedureFactory
from .test_clerk_screens import confirmed, intake_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("ticked", [True, False])
def test_the_intake_checkbox_records_whether_the_papers_were_digitized(client, ward_clerk, ticked):
    client.force_login(ward_clerk)
    data = intake_data(ProcedureFactory())
    if ticked:
        data["papers_digitized"] = "on"
    form = client.get(reverse("service_center:intake")).content.decode()
    assert 'name="papers_digitized"' in form
    response = client.post(reverse("service_center:intake"), confirmed(client, data))
    assert response.status_code == 302
    assert Dossier.objects.get().papers_digitized is ticked


def test_the_receiving_service_stores_the_papers_flag(unit, ward_clerk):
    applicant = Applicant(name="Trần Văn Bình", id_number="031190123456")
    procedure = ProcedureFactory()
    kept = dossier_receive(unit=unit, procedure=procedure, applicant=applicant, actor=ward_clerk, papers_digitized=True)
    plain = dossier_receive(unit=unit, procedure=procedure, applicant=applicant, actor=ward_clerk)
    kept.refresh_from_db()
    plain.refresh_from_db()
    assert (kept.papers_digitized, plain.papers_digitized) == (True, False)


def test_the_return_action_offers_the_result_checkbox_only_when_the_result_is_returned_next(client, ward_clerk):
    done = DossierFactory(unit=ward_clerk.unit, status=Status.DONE)
    processing = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    client.force_login(ward_clerk)
    assert 'name="result_digitized"' in client.get(done.get_absolute_url()).content.decode()
    assert 'name="result_digitized"' not in client.get(processing.get_absolute_url()).content.decode()


@pytest.mark.parametrize("ticked", [True, False])
def test_returning_the_result_records_whether_it_was_digitized(client, ward_clerk, ticked):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.DONE)
    client.force_login(ward_clerk)
    data = {"to": Status.RETURNED} | ({"result_digitized": "1"} if ticked else {})
    response = client.post(reverse("service_center:transition", args=[dossier.code]), data)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.result_digitized) == (Status.RETURNED, ticked)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert ("kết quả đã số hóa" if ticked else "kết quả chưa số hóa") in page


def test_the_result_flag_is_recorded_with_the_return_only(ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk, result="Đã cấp", result_digitized=True)
    dossier.refresh_from_db()
    assert dossier.result_digitized is False  # not returned yet: nothing to record
    dossier_transition(dossier=dossier, to=Status.RETURNED, actor=ward_clerk, result_digitized=True)
    dossier.refresh_from_db()
    assert dossier.result_digitized is True


def test_readers_cannot_record_a_return(client, unit, province_staff):
    dossier = DossierFactory(status=Status.DONE, unit=unit)
    client.force_login(province_staff)
    assert 'name="result_digitized"' not in client.get(dossier.get_absolute_url()).content.decode()
    response = client.post(
        reverse("service_center:transition", args=[dossier.code]), {"to": Status.RETURNED, "result_digitized": "1"}
    )
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert (dossier.status, dossier.result_digitized) == (Status.DONE, False)
