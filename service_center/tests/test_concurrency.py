"""Real concurrent transactions on PostgreSQL: each thread has its own connection."""

import uuid

import pytest

from pilot_portal.core.testing import run_together
from service_center.models import Dossier, Status
from service_center.services import Applicant, DossierError, dossier_receive, dossier_transition

from .factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db(transaction=True)


# Two closing actions: whichever commits second finds a status it cannot leave that way.
def test_two_clerks_moving_the_same_dossier_at_once_exactly_one_wins(ward_clerk, unit_official):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    actors = [ward_clerk, unit_official]
    targets = [Status.REFUSED, Status.WITHDRAWN]

    results = run_together(
        lambda i: dossier_transition(dossier=dossier, to=targets[i], actor=actors[i], note="đồng thời"), 2
    )

    wins = [r for r in results if isinstance(r, Dossier)]
    losses = [r for r in results if isinstance(r, DossierError)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert "Hồ sơ hiện đang ở trạng thái" in str(losses[0])
    dossier.refresh_from_db()
    assert dossier.status == wins[0].status
    assert dossier.events.count() == 1


# The same click twice at once: the second waits for the first's lock, finds the status it asked for, does nothing.
def test_the_same_change_submitted_twice_at_once_is_made_once(ward_clerk, unit_official):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    actors = [ward_clerk, unit_official]

    results = run_together(
        lambda i: dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=actors[i], note="đồng thời"), 2
    )

    assert [type(r) for r in results] == [Dossier, Dossier], results
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert list(dossier.events.values_list("from_status", "to_status")) == [(Status.RECEIVED, Status.PROCESSING)]


def test_concurrent_receipts_get_unique_consecutive_codes(ward_clerk):
    procedure = ProcedureFactory()
    unit = ward_clerk.unit
    count = 6

    results = run_together(
        lambda i: dossier_receive(
            unit=unit,
            procedure=procedure,
            applicant=Applicant(name=f"Công dân {i}", id_number="031190123456"),
            actor=ward_clerk,
        ),
        count,
    )

    assert all(isinstance(r, Dossier) for r in results), results
    numbers = sorted(int(r.code.rsplit("-", 1)[1]) for r in results)
    assert numbers == list(range(1, count + 1))
    assert Dossier.objects.filter(unit=unit).count() == count


def test_a_double_submit_racing_itself_creates_one_dossier(ward_clerk):
    procedure = ProcedureFactory()
    token = uuid.uuid4()

    results = run_together(
        lambda i: dossier_receive(
            unit=ward_clerk.unit,
            procedure=procedure,
            applicant=Applicant(name="Công dân", id_number="031190123456"),
            actor=ward_clerk,
            intake_token=token,
        ),
        2,
    )

    assert all(isinstance(r, Dossier) for r in results), results
    assert results[0].pk == results[1].pk
    assert Dossier.objects.count() == 1
