"""The client's address behind reverse proxies: X-Forwarded-For is believed only from TRUSTED_PROXIES."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from pilot_portal.core.middleware import client_address


def address(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]


def test_a_trusted_proxy_names_the_client(one_proxy):
    assert address("10.0.0.7", "203.0.113.5") == "203.0.113.5"
    assert address("::1", "2001:db8::5") == "2001:db8::5"
    # What the client wrote further left is not believed.
    assert address("10.0.0.7", "198.51.100.1, 203.0.113.5") == "203.0.113.5"


def test_a_client_that_reaches_gunicorn_directly_cannot_choose_its_address(one_proxy):
    assert address("203.0.113.66", "198.51.100.1") == "203.0.113.66"
    assert address("10.0.1.7", "198.51.100.1") == "10.0.1.7"  # outside the proxies' block


def test_two_proxies_each_must_be_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    settings.TRUSTED_PROXIES = ["10.0.0.1", "10.0.0.2"]
    assert address("10.0.0.2", "203.0.113.5, 10.0.0.1") == "203.0.113.5"
    # The second hop is not a proxy of ours: it is the client.
    assert address("10.0.0.2", "198.51.100.1, 203.0.113.9") == "203.0.113.9"


def test_without_a_proxy_count_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert address("127.0.0.1", "198.51.100.1") == "127.0.0.1"


def test_a_malformed_entry_leaves_the_proxy_address(one_proxy):
    assert address("10.0.0.7", "not-an-address") == "10.0.0.7"


def test_a_wrong_proxy_setting_is_an_error(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.300"]
    with pytest.raises(ImproperlyConfigured):
        address("10.0.0.7", "203.0.113.5")
