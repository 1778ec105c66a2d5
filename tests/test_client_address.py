"""The client's address behind our proxies (portal.client_address), which the sign-in
throttle and the password-reset limit count by."""

from axes.helpers import get_client_ip_address
from django.test import RequestFactory, override_settings

from portal.client_address import client_address

NGINX = "127.0.0.1"


def request(forwarded_for=None, remote=NGINX):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/accounts/login/", **extra)


@override_settings(AXES_IPWARE_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_appended_is_the_client():
    assert client_address(request("203.0.113.7")) == "203.0.113.7"


@override_settings(AXES_IPWARE_PROXY_COUNT=1)
def test_addresses_a_client_wrote_itself_are_not_believed():
    # The client sent "X-Forwarded-For: 198.51.100.1"; nginx appended what it saw.
    assert client_address(request("198.51.100.1, 203.0.113.7")) == "203.0.113.7"


@override_settings(AXES_IPWARE_PROXY_COUNT=2)
def test_behind_two_proxies_the_outer_one_saw_the_client():
    assert client_address(request("198.51.100.1, 203.0.113.7, 10.0.0.5")) == "203.0.113.7"


@override_settings(AXES_IPWARE_PROXY_COUNT=1)
def test_without_the_header_or_with_junk_in_it_the_connection_counts():
    assert client_address(request(None, remote="192.0.2.4")) == "192.0.2.4"
    assert client_address(request("not-an-address", remote="192.0.2.4")) == "192.0.2.4"


@override_settings(AXES_IPWARE_PROXY_COUNT=None)
def test_without_proxies_the_header_is_ignored():
    assert client_address(request("203.0.113.7", remote="192.0.2.4")) == "192.0.2.4"


@override_settings(AXES_IPWARE_PROXY_COUNT=1)
def test_axes_and_the_reset_limit_use_it():
    assert get_client_ip_address(request("203.0.113.7")) == "203.0.113.7"
