"""What the citizen reads on the public lookup: the papers to supplement and the step timeline, with the national
status codes and dates, and nothing personal (no applicant data, no officer's name, no note)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from pilot_portal.accounts.tests.factories import UserFactory
from service_center.models import Dossier, Status
from service_center.services import (
    Applicant,
    dossier_apologize,
    dossier_hand_over,
    dossier_receive,
    dossier_transition,
)

from .factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clerk(unit):
    return UserFactory(ward_clerk=True, unit=unit, first_name="Cán Bộ", last_name="Tên Riêng")


@pytest.fixture
def supplement(unit, clerk):
    dossier = dossier_receive(
        unit=unit,
        procedure=ProcedureFactory(time_limit=5),
        applicant=Applicant(
            name="Vũ Thị Riêng Tư",
            id_number="031190123456",
            phone="0987654321",
            address="Số 7 phố Kín",
            email="rieng.tu@example.vn",
            notices_consent=True,
        ),
        actor=clerk,
    )
    Dossier.objects.filter(pk=dossier.pk).update(lookup_secret="112233")
    dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=clerk, note="Ghi chú nội bộ của cán bộ")
    dossier_hand_over(dossier=dossier, to_user=UserFactory(unit_official=True, unit=unit), actor=clerk)
    dossier.refresh_from_db()
    dossier_apologize(
        dossier=dossier, new_due_at=dossier.due_at + dt.timedelta(days=2), actor=clerk, reason="Chờ xác minh riêng"
    )
    dossier_transition(
        dossier=dossier,
        to=Status.SUPPLEMENT,
        actor=clerk,
        note="Bản sao giấy chứng sinh\n• Tờ khai đăng ký khai sinh",
    )
    return dossier


def _lookup(client, dossier, secret):
    return client.post(reverse("lookup:lookup"), {"code": dossier.code, "secret": secret}).content.decode()


def test_the_lookup_lists_the_papers_to_supplement(client, supplement):
    content = _lookup(client, supplement, "112233")
    section = content.split('id="lookup-supplement"')[1].split("</div>")[0]
    assert "<li>Bản sao giấy chứng sinh</li>" in section
    assert "<li>Tờ khai đăng ký khai sinh</li>" in section


def test_the_timeline_has_the_statuses_with_their_codes_and_dates_and_nothing_personal(client, supplement):
    content = _lookup(client, supplement, "112233")
    timeline = content.split('id="lookup-timeline"')[1].split("</ol>")[0]
    today = timezone.localtime().strftime("%d/%m/%Y")
    for step in ("2 · Được tiếp nhận", "4 · Đang xử lý", "5 · Chờ bổ sung"):
        assert step in timeline
    assert timeline.count(today) == 5  # received, processing, hand-over, apology, supplement
    for private in (
        "Vũ Thị Riêng Tư",
        "rieng.tu@example.vn",
        supplement.applicant_id_number,
        supplement.applicant_phone,
        supplement.applicant_address,
        "Tên Riêng",
        "Ghi chú nội bộ",
        "Chờ xác minh riêng",
    ):
        assert private not in content


def test_once_supplemented_the_items_are_no_longer_shown(client, supplement, clerk):
    dossier_transition(dossier=supplement, to=Status.PROCESSING, actor=clerk)
    content = _lookup(client, supplement, "112233")
    assert 'id="lookup-supplement"' not in content
    assert "Bản sao giấy chứng sinh" not in content


def test_a_wrong_lookup_code_shows_no_items(client, supplement):
    assert "Bản sao giấy chứng sinh" not in _lookup(client, supplement, "000000")


@pytest.mark.parametrize("requests", [1, 4])
def test_the_lookup_of_a_dossier_awaiting_a_supplement_keeps_its_query_count(
    client, unit, clerk, django_assert_max_num_queries, requests
):
    dossier = DossierFactory(unit=unit, lookup_secret="445566")
    for n in range(requests):
        dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=clerk)
        dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=clerk, note=f"Giấy tờ lượt {n}")
    with django_assert_max_num_queries(3):
        content = _lookup(client, dossier, "445566")
    assert f"<li>Giấy tờ lượt {requests - 1}</li>" in content


def test_the_lookup_of_a_returned_dossier_keeps_its_query_count(client, unit, django_assert_max_num_queries):
    dossier = DossierFactory(unit=unit, lookup_secret="778899", status=Status.RETURNED)
    with django_assert_max_num_queries(4):
        content = _lookup(client, dossier, "778899")
    assert 'id="lookup-rating"' in content
