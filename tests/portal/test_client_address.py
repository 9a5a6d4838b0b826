"""The client address of the audit log and of the public pages' rate limits: X-Forwarded-For is
believed only as far as our own proxies wrote it."""

import pytest
from django.test import RequestFactory

from portal.middleware import client_ip_of


@pytest.mark.parametrize(("proxies", "forwarded", "remote", "expected"), [
    (0, "", "10.0.0.9", "10.0.0.9"),
    (0, "1.2.3.4", "10.0.0.9", "10.0.0.9"),  # no proxy of ours: the header is the client's own words
    (1, "", "10.0.0.9", "10.0.0.9"),
    (1, "203.0.113.7", "10.0.0.1", "203.0.113.7"),  # nginx saw the client
    (1, "6.6.6.6, 203.0.113.7", "10.0.0.1", "203.0.113.7"),  # a forged first entry is ignored
    (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "10.0.0.1", "203.0.113.7"),  # two proxies of ours
    (3, "203.0.113.7", "10.0.0.1", "203.0.113.7"),  # fewer entries than proxies: the first there is
])
def test_client_address(settings, proxies, forwarded, remote, expected):
    settings.PORTAL_TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    assert client_ip_of(request) == expected


def test_forged_forwarded_addresses_do_not_escape_the_public_rate_limit(client, db, settings):
    """Behind no proxy, changing X-Forwarded-For on each try does not reset the count."""
    from django.urls import reverse

    settings.PORTAL_TRUSTED_PROXIES = 0
    statuses = [client.post(reverse("talent:progress"), {"reference": "RC2026-000001", "id_tail": "12345X"},
                            HTTP_X_FORWARDED_FOR=f"10.9.0.{n}", REMOTE_ADDR="198.51.100.5").status_code
                for n in range(12)]
    assert statuses.count(429) == 2, statuses
