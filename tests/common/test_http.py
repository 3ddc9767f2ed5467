"""The client address the audit trail, lockouts and rate limits see."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from peyvand.common.http import client_address


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2", "10.0.0.2"),  # no proxy: a client's header is ignored
        (1, "203.0.113.9", "127.0.0.1", "203.0.113.9"),  # one nginx: the address it appended
        (1, "198.51.100.1, 203.0.113.9", "127.0.0.1", "203.0.113.9"),  # a forged first entry is skipped
        (2, "203.0.113.9, 10.0.0.5", "127.0.0.1", "203.0.113.9"),  # two proxies
        (2, "10.0.0.5", "127.0.0.1", "127.0.0.1"),  # fewer entries than proxies: the connection
        (1, "not-an-ip", "127.0.0.1", "127.0.0.1"),  # junk never reaches the database
        (1, "2001:db8::1", "::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies: int, forwarded: str, remote: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    settings.NUM_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected
