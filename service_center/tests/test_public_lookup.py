import pytest
from django.core.cache import cache
from django.urls import reverse

from service_center.models import Status
from service_center.services import dossier_transition

from .factories import DossierFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dossier(ward_clerk):
    d = DossierFactory(unit=ward_clerk.unit, lookup_secret="123456", applicant_name="Đinh Văn Riêng Tư")
    dossier_transition(dossier=d, to=Status.PROCESSING, actor=ward_clerk, note="Ghi chú nội bộ")
    return d


def test_anyone_sees_status_and_steps_without_personal_data(client, dossier):
    response = client.post(reverse("lookup:lookup"), {"code": dossier.code, "secret": "123456"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Đang xử lý" in content
    assert dossier.procedure.name in content
    for private in ("Đinh Văn Riêng Tư", dossier.applicant_id_number, dossier.applicant_phone, "Ghi chú nội bộ"):
        assert private not in content


def test_unknown_code_and_wrong_lookup_code_get_the_same_message(client, dossier):
    wrong_factor = client.post(reverse("lookup:lookup"), {"code": dossier.code, "secret": "654321"})
    unknown = client.post(reverse("lookup:lookup"), {"code": "KHONG-CO-0001", "secret": "123456"})
    assert NOT_FOUND in wrong_factor.content.decode()
    assert NOT_FOUND in unknown.content.decode()
    assert "Đang xử lý" not in wrong_factor.content.decode()


def test_lookup_is_rate_limited_per_address(client, dossier):
    for _ in range(10):
        client.post(reverse("lookup:lookup"), {"code": dossier.code, "secret": "000000"})
    response = client.post(reverse("lookup:lookup"), {"code": dossier.code, "secret": "123456"})
    assert response.status_code == 429
    assert "Quá nhiều lượt tra cứu" in response.content.decode()
    other_address = client.post(
        reverse("lookup:lookup"), {"code": dossier.code, "secret": "123456"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 200


def test_the_code_may_be_typed_in_lower_case_with_spaces(client, dossier):
    response = client.post(reverse("lookup:lookup"), {"code": f"  {dossier.code.lower()} ", "secret": "123456"})
    assert "Đang xử lý" in response.content.decode()


def test_the_qr_link_prefills_the_code(client, dossier):
    response = client.get(reverse("lookup:lookup"), {"ma": dossier.code})
    assert f'value="{dossier.code}"' in response.content.decode()


def _lookup(client, dossier, secret, **extra):
    return client.post(reverse("lookup:lookup"), {"code": dossier.code, "secret": secret}, **extra)


def test_behind_a_trusted_proxy_the_limit_counts_each_citizen(client, dossier, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(10):
        _lookup(client, dossier, "000000", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert _lookup(client, dossier, "123456", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    # An entry the citizen wrote in the header is not trusted: the proxy's last entry is the address.
    spoofed = _lookup(client, dossier, "123456", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5", **proxy)
    assert spoofed.status_code == 429
    assert _lookup(client, dossier, "123456", HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 200


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, dossier, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        _lookup(client, dossier, "000000", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert _lookup(client, dossier, "123456", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_the_lookup_works_while_the_shared_cache_is_down(client, dossier):
    from django.test import override_settings

    unreachable = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    from django.conf import settings

    with override_settings(CACHES={**settings.CACHES, "default": unreachable}):
        response = _lookup(client, dossier, "123456")
    assert response.status_code == 200
    assert "Đang xử lý" in response.content.decode()


def test_a_unit_whose_agency_code_was_typed_in_lower_case_is_found(client, ward_clerk):
    from service_center.services import Applicant, dossier_receive

    from .factories import ProcedureFactory

    unit = ward_clerk.unit
    unit.agency_code = "h56.14"
    unit.save(update_fields=["agency_code"])
    dossier = dossier_receive(
        unit=unit,
        procedure=ProcedureFactory(),
        applicant=Applicant(name="Trần Văn Bình", id_number="031190123456"),
        actor=ward_clerk,
    )
    assert dossier.code.startswith("H56.14-")
    response = _lookup(client, dossier, dossier.lookup_secret)
    assert response.status_code == 200
    assert NOT_FOUND not in response.content.decode()


def test_many_addresses_cannot_share_the_guessing_of_one_code(client, dossier, settings):
    settings.SERVICE_CENTER_LOOKUP_CODE_FAILURES = 5
    for n in range(5):
        assert _lookup(client, dossier, f"00000{n}", REMOTE_ADDR=f"198.51.100.{n}").status_code == 200
    locked = _lookup(client, dossier, "123456", REMOTE_ADDR="203.0.113.77")
    assert locked.status_code == 429
    assert "Đang xử lý" not in locked.content.decode()
    assert "đến ngày mai" in locked.content.decode()
    # Another dossier's code is not affected.
    other = DossierFactory(unit=dossier.unit, lookup_secret="654321")
    assert "Đang xử lý" not in _lookup(client, other, "654321").content.decode()
    assert _lookup(client, other, "654321").status_code == 200


def test_an_ipv6_client_counts_by_its_64_block(client, dossier):
    for n in range(10):
        _lookup(client, dossier, "000000", REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")
    assert _lookup(client, dossier, "123456", REMOTE_ADDR="2001:db8:1:2:ffff::1").status_code == 429
    assert _lookup(client, dossier, "123456", REMOTE_ADDR="2001:db8:1:3::1").status_code == 200
