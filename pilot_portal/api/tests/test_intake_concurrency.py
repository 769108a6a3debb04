"""The same source number sent twice at once (another system retrying): one dossier, both answers name it."""

import datetime as dt

import pytest
from django.utils import timezone

from pilot_portal.core.testing import run_together
from service_center.models import Dossier
from service_center.services import Applicant, dossier_receive
from service_center.tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("days_apart", [0, 1])
def test_the_same_source_number_at_once_makes_one_dossier(ward_clerk, days_apart):
    """Same day: the unit's daily counter lock orders them; different days: the unique constraint does."""
    procedure = ProcedureFactory()
    now = timezone.now()
    moments = [now - dt.timedelta(hours=1), now - dt.timedelta(days=days_apart, hours=1)]

    results = run_together(
        lambda i: dossier_receive(
            unit=ward_clerk.unit,
            procedure=procedure,
            applicant=Applicant(name="Lê Thị Hoa", id_number="031090123456"),
            actor=ward_clerk,
            received_at=moments[i],
            source_system="motcua-haiphong",
            source_number="HP-2025-000123",
        ),
        2,
    )

    assert all(isinstance(r, Dossier) for r in results), results
    assert results[0].pk == results[1].pk
    assert Dossier.objects.count() == 1
