"""Pages whose query count must not grow with what they show (the other pages are covered next to their
behaviour tests: queue, dossier page, tracking book, statistics)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from service_center.models import Status
from service_center.services import dossier_apologize, dossier_hand_over, dossier_transition

from .factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def busy_dossier(unit, clerk, officer, hand_overs, *, refused=False):
    """A dossier with a long history: hand-overs, an apology, then a supplement request (or a refusal), so that
    every form applies (03 only to the refused one)."""
    dossier = DossierFactory(unit=unit, received_by=clerk)
    dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=clerk)
    for i in range(hand_overs):
        dossier_hand_over(dossier=dossier, to_user=officer if i % 2 == 0 else clerk, actor=clerk, note=f"Lượt {i}")
    dossier.refresh_from_db()
    dossier_apologize(
        dossier=dossier, new_due_at=dossier.due_at + dt.timedelta(days=2), actor=clerk, reason="Chờ xác minh"
    )
    if refused:
        dossier_transition(dossier=dossier, to=Status.REFUSED, actor=clerk, note="Không thuộc thẩm quyền")
    else:
        dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=clerk, note="Thiếu tờ khai")
    return dossier


@pytest.mark.parametrize("hand_overs", [1, 12])
@pytest.mark.parametrize("number", ["01", "02", "03", "04", "05"])
def test_printed_forms_query_count_does_not_grow_with_the_history(
    client, ward_clerk, unit_official, django_assert_max_num_queries, hand_overs, number
):
    dossier = busy_dossier(ward_clerk.unit, ward_clerk, unit_official, hand_overs, refused=number == "03")
    client.force_login(ward_clerk)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("service_center:print", args=[dossier.code, number]))
    assert response.status_code == 200
    if number == "05":
        assert response.content.decode().count("Lượt ") == hand_overs


@pytest.mark.parametrize("hand_overs", [1, 12])
def test_public_lookup_query_count_does_not_grow_with_the_steps(
    client, ward_clerk, unit_official, django_assert_max_num_queries, hand_overs
):
    cache.clear()
    dossier = busy_dossier(ward_clerk.unit, ward_clerk, unit_official, hand_overs)
    # The address's and the code's counters (two, and the code's place given back), the dossier, its steps.
    with django_assert_max_num_queries(5):
        response = client.post(reverse("lookup:lookup"), {"code": dossier.code, "secret": dossier.lookup_secret})
    assert response.context["dossier"] == dossier
    assert len(response.context["dossier"].events.all()) == hand_overs + 3  # + processing, apology, supplement
    cache.clear()


@pytest.mark.parametrize("procedures", [2, 30])
def test_intake_query_count_does_not_grow_with_the_catalogue(
    client, ward_clerk, django_assert_max_num_queries, procedures
):
    catalogue = ProcedureFactory.create_batch(procedures)
    client.force_login(ward_clerk)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("service_center:intake"))
    content = response.content.decode()
    assert all(f'<option value="{p.pk}">' in content for p in catalogue)


@pytest.mark.parametrize("officers", [1, 40])
def test_dossier_page_lists_every_officer_for_the_handover_in_constant_queries(
    client, ward_clerk, django_assert_max_num_queries, officers
):
    """The hand-over list has one option per officer of the unit (a ward may have dozens): the page's queries do
    not grow with them."""
    from pilot_portal.accounts.models import Role, User

    for i in range(officers):
        User.objects.create(
            username=f"canbo{i:02d}", first_name=f"Cán bộ {i:02d}", role=Role.WARD_CLERK, unit=ward_clerk.unit
        )
    dossier = DossierFactory(unit=ward_clerk.unit, received_by=ward_clerk)
    client.force_login(ward_clerk)
    with django_assert_max_num_queries(14):
        response = client.get(dossier.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert all(f">Cán bộ {i:02d} (canbo{i:02d})</option>" in page for i in range(officers))
