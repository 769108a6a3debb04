"""Satisfaction (Decision 766): a returned dossier is rated once, on the counter's tablet or from the lookup, through
a signed link only; "không hài lòng" notifies the unit's officials; the figures per unit and level."""

import datetime as dt

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.notifications.models import Notification
from service_center import services
from service_center.models import DossierRating, Status
from service_center.rating import rating_path
from service_center.selectors import satisfaction_figures

from .factories import DossierFactory

pytestmark = pytest.mark.django_db

VERY, SATISFIED, UNSATISFIED = "3", "2", "1"


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def returned(unit):
    return DossierFactory(
        unit=unit,
        status=Status.RETURNED,
        returned_at=timezone.now(),
        applicant_name="Lý Thị Riêng Tư",
        lookup_secret="135790",
    )


def test_the_signed_link_opens_the_three_levels_without_login(client, returned):
    response = client.get(rating_path(returned))
    content = response.content.decode()
    assert response.status_code == 200
    for label in ("Rất hài lòng", "Hài lòng", "Không hài lòng"):
        assert f">{label}</button>" in content
    assert returned.code in content and returned.procedure.name in content
    assert "Lý Thị Riêng Tư" not in content and returned.applicant_phone not in content


@pytest.mark.parametrize(
    "make_url",
    [
        pytest.param(lambda d, other: reverse("lookup:rate", args=[d.code]), id="no token"),
        pytest.param(lambda d, other: reverse("lookup:rate", args=[d.code]) + "?t=abc", id="forged token"),
        pytest.param(
            lambda d, other: reverse("lookup:rate", args=[d.code]) + "?" + rating_path(other).split("?")[1],
            id="token of another dossier",
        ),
        pytest.param(
            lambda d, other: (
                reverse("lookup:rate", args=[d.code])
                + "?t="
                + signing.TimestampSigner(salt="service_center.rating:000000").sign(d.code).split(":", 1)[1]
            ),
            id="token with a wrong lookup code",
        ),
    ],
)
def test_without_the_signed_link_the_page_is_a_404_that_tells_nothing(client, returned, make_url):
    other = DossierFactory(unit=returned.unit, status=Status.RETURNED)
    response = client.get(make_url(returned, other))
    assert response.status_code == 404
    assert "Đường dẫn đánh giá không hợp lệ" in response.content.decode()
    assert returned.procedure.name not in response.content.decode()
    post = client.post(make_url(returned, other), {"level": VERY})
    assert post.status_code == 404
    assert not DossierRating.objects.exists()


def test_an_expired_link_is_refused(client, returned):
    import time_machine

    url = rating_path(returned)
    with time_machine.travel(timezone.now() + dt.timedelta(days=31), tick=False):
        assert client.get(url).status_code == 404


def test_rating_twice_keeps_one_rating_and_says_so(client, returned):
    url = rating_path(returned)
    first = client.post(url, {"level": SATISFIED, "comment": "Cán bộ hướng dẫn tận tình"}, follow=True)
    assert "Cảm ơn ông/bà đã đánh giá" in first.content.decode()
    assert f"Hồ sơ {returned.code} đã được đánh giá: <strong>Hài lòng</strong>." in first.content.decode()
    second = client.post(url, {"level": UNSATISFIED}, follow=True)
    content = second.content.decode()
    assert "Hồ sơ này đã được đánh giá. Cảm ơn ông/bà: mỗi hồ sơ chỉ ghi nhận một lần đánh giá." in content
    rating = DossierRating.objects.get()
    assert (rating.level, rating.comment, rating.source) == (SATISFIED, "Cán bộ hướng dẫn tận tình", "counter")
    assert ">Không hài lòng</button>" not in content


def test_the_database_holds_one_rating_per_dossier(returned):
    from django.db import IntegrityError, transaction

    DossierRating.objects.create(dossier=returned, level=VERY)
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierRating.objects.create(dossier=returned, level=UNSATISFIED)


def test_two_tablets_rating_at_once_store_one_rating(transactional_db, returned):
    from pilot_portal.core.testing import run_together

    results = run_together(lambda i: services.dossier_rate(dossier=returned, level=[VERY, UNSATISFIED][i]), 2)
    assert DossierRating.objects.count() == 1
    assert sum(isinstance(r, services.AlreadyRated) for r in results) == 1


def test_a_dossier_not_returned_yet_cannot_be_rated(client, unit):
    done = DossierFactory(unit=unit, status=Status.DONE)
    url = rating_path(done)
    assert "Hồ sơ được đánh giá sau khi đã trả kết quả." in client.get(url).content.decode()
    response = client.post(url, {"level": VERY})
    assert response.status_code == 400
    assert "Chỉ đánh giá được hồ sơ đã trả kết quả." in response.content.decode()
    assert not DossierRating.objects.exists()


def test_a_missing_level_is_a_message_and_keeps_the_comment(client, returned):
    response = client.post(rating_path(returned), {"comment": "Chờ hơi lâu"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "Hãy chọn một trong ba mức đánh giá." in content
    assert "Chờ hơi lâu</textarea>" in content
    assert not DossierRating.objects.exists()


def test_not_satisfied_notifies_the_unit_officials_once(
    client, returned, unit_official, django_capture_on_commit_callbacks
):
    from django.core import mail

    other_official = UserFactory(unit_official=True)  # of another unit
    with django_capture_on_commit_callbacks(execute=True):
        client.post(rating_path(returned), {"level": UNSATISFIED, "comment": "Phải đi lại nhiều lần"})
        client.post(rating_path(returned), {"level": UNSATISFIED})
    notification = Notification.objects.get()
    assert notification.recipient == unit_official
    assert notification.title == f"Công dân không hài lòng với việc giải quyết hồ sơ {returned.code}"
    assert "Góp ý: Phải đi lại nhiều lần" in notification.body
    assert notification.link == returned.get_absolute_url()
    assert notification.key == f"dossier:{returned.pk}:rating:unsatisfied"
    assert not Notification.objects.filter(recipient=other_official).exists()
    assert [m.to for m in mail.outbox] == [[unit_official.email]]


def test_satisfied_notifies_nobody(client, returned, unit_official):
    client.post(rating_path(returned), {"level": VERY})
    assert not Notification.objects.exists()


def test_satisfaction_figures_count_each_level_per_unit_in_the_period(unit, other_unit):
    at = timezone.now()

    def rate(u, level, when=at):
        DossierRating.objects.create(dossier=DossierFactory(unit=u, status=Status.RETURNED), level=level, rated_at=when)

    rate(unit, VERY)
    rate(unit, VERY)
    rate(unit, SATISFIED)
    rate(unit, UNSATISFIED)
    rate(unit, VERY, when=at - dt.timedelta(days=40))  # before the period
    rate(other_unit, UNSATISFIED)
    today = timezone.localdate()
    figures = satisfaction_figures(unit_ids=[unit.pk, other_unit.pk, 0], period=(today.replace(day=1), today))
    assert figures[unit.pk] == {"very_satisfied": 2, "satisfied": 1, "unsatisfied": 1, "total": 4}
    assert figures[other_unit.pk] == {"very_satisfied": 0, "satisfied": 0, "unsatisfied": 1, "total": 1}
    assert figures[0] == {"very_satisfied": 0, "satisfied": 0, "unsatisfied": 0, "total": 0}


def test_satisfaction_figures_take_one_query(unit, django_assert_num_queries):
    DossierRating.objects.create(dossier=DossierFactory(unit=unit, status=Status.RETURNED), level=VERY)
    today = timezone.localdate()
    with django_assert_num_queries(1):
        satisfaction_figures(unit_ids=[unit.pk], period=(today, today))
    assert satisfaction_figures(unit_ids=[], period=(today, today)) == {}


# --- The clerk's screen and the lookup -----------------------------------------------------------------------


def test_the_clerk_sees_the_rating_link_with_its_qr_code_then_the_rating(client, ward_clerk, returned):
    client.force_login(ward_clerk)
    content = client.get(returned.get_absolute_url()).content.decode()
    assert 'id="rating-link"' in content and "<svg" in content
    assert rating_path(returned).replace("&", "&amp;") in content
    services.dossier_rate(dossier=returned, level=SATISFIED)
    content = client.get(returned.get_absolute_url()).content.decode()
    assert 'id="rating-link"' not in content
    assert "<strong>Hài lòng</strong>" in content


def test_no_rating_link_before_the_result_is_returned(client, ward_clerk, unit):
    dossier = DossierFactory(unit=unit, status=Status.DONE)
    client.force_login(ward_clerk)
    assert 'id="rating-card"' not in client.get(dossier.get_absolute_url()).content.decode()


def test_the_lookup_offers_the_rating_once(client, returned):
    lookup = {"code": returned.code, "secret": "135790"}
    content = client.post(reverse("lookup:lookup"), lookup).content.decode()
    assert 'id="lookup-rating"' in content
    link = content.split('id="lookup-rating"')[1].split('href="')[1].split('"')[0].replace("&amp;", "&")
    client.post(link, {"level": VERY})
    assert DossierRating.objects.get().source == "lookup"
    assert 'id="lookup-rating"' not in client.post(reverse("lookup:lookup"), lookup).content.decode()


@pytest.mark.parametrize("ratings", [0, 1])
def test_the_rating_page_takes_a_constant_number_of_queries(client, returned, django_assert_max_num_queries, ratings):
    if ratings:
        DossierRating.objects.create(dossier=returned, level=VERY)
    with django_assert_max_num_queries(1):
        assert client.get(rating_path(returned)).status_code == 200


@pytest.mark.parametrize("officials", [1, 6])
def test_rating_takes_a_constant_number_of_queries(client, returned, unit, django_assert_max_num_queries, officials):
    for _ in range(officials):
        UserFactory(unit_official=True, unit=unit)
    # Read the dossier, lock it, save the rating (savepoint), the unit's officials, their notifications (savepoint).
    with django_assert_max_num_queries(11):
        response = client.post(rating_path(returned), {"level": UNSATISFIED})
    assert response.status_code == 302
    assert Notification.objects.count() == officials


@pytest.mark.parametrize("events", [1, 10])
def test_the_dossier_page_of_a_rated_dossier_keeps_its_query_count(
    client, ward_clerk, returned, django_assert_max_num_queries, events
):
    from .factories import DossierEventFactory

    DossierRating.objects.create(dossier=returned, level=VERY)
    for _ in range(events):
        DossierEventFactory(dossier=returned, actor=ward_clerk)
    client.force_login(ward_clerk)
    with django_assert_max_num_queries(10):
        assert client.get(returned.get_absolute_url()).status_code == 200


def test_the_rating_link_is_shown_only_to_users_who_may_see_the_dossier(
    client, returned, clerk_of_other_unit, user_without_role
):
    client.force_login(clerk_of_other_unit)
    assert client.get(returned.get_absolute_url()).status_code == 404
    client.force_login(user_without_role)
    assert client.get(returned.get_absolute_url()).status_code == 403


def test_province_staff_read_the_rating_but_get_no_tablet_link_to_rate_for_the_citizen(
    client, returned, province_staff
):
    client.force_login(province_staff)
    content = client.get(returned.get_absolute_url()).content.decode()
    assert 'id="rating-card"' in content
    assert 'id="rating-link"' not in content
    assert "Công dân chưa đánh giá mức độ hài lòng." in content
