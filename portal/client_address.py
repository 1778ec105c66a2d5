"""The client's address, for the sign-in throttle and the password-reset limit.

django-axes reads it through ``AXES_CLIENT_IP_CALLABLE``, and ``portal.accounts`` through
axes. Without django-ipware (which the portal does not install) axes would take
``REMOTE_ADDR``, which behind nginx is nginx's own address: every visitor would share one
address, and 20 failed sign-ins anywhere would lock everyone out.

``AXES_IPWARE_PROXY_COUNT`` says how many proxies of our own stand in front of the
portal. Each appends the address it was reached from to ``X-Forwarded-For``, so the
client is that many entries from the right-hand end; entries further left were written
by the client and are not believed. Without the setting, or with fewer entries than
proxies (a request that did not come through them), ``REMOTE_ADDR`` is the answer.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # Our proxies write addresses; anything else did not come from them.
        return remote
