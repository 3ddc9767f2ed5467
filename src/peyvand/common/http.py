"""Facts about the HTTP request that every app needs the same way."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address.

    Behind NUM_PROXIES reverse proxies it is the entry the outermost of them appended to
    X-Forwarded-For (entries before it are whatever the client claimed). Anything that is not an
    IP address falls back to the connection's own address.
    """
    remote = _valid_address(request.META.get("REMOTE_ADDR", "") or "")
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and proxies:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return _valid_address(hops[-proxies]) or remote
    return remote
