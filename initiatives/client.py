"""Who a request comes from: the one rule for the API's anonymous rate limit and the login lockout.

Without a proxy (TRUSTED_PROXY_COUNT = 0) the client is the socket's peer, REMOTE_ADDR, and X-Forwarded-For
is ignored: anyone can write that header. Behind N trusted proxies, each appends the address it saw to
X-Forwarded-For, so the client is the N-th entry from the right; entries further left were written by the
client and count for nothing. An entry that is not an IP address, or a request that did not come through
the proxies, falls back to REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded.strip():
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    candidate = entries[-min(proxies, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
