"""Whose connection this is: the client's address as the trusted proxies in front of us saw it.

Behind a reverse proxy every request arrives from the proxy's address; the client's is in
X-Forwarded-For, where each proxy appends the address it received the connection from. Only the
entries our own proxies wrote can be trusted — anything to their left was sent by the client and can
be forged — so with TRUSTED_PROXY_COUNT proxies the client is the entry that many places from the
right (django-ipware reads the chain). With no proxy (the embedded default, TRUSTED_PROXY_COUNT=0)
the header is ignored altogether. The sign-in lockout (django-axes) and the change history
(django-auditlog) both ask here, so they agree on who did it.
"""

from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip


def client_address(request: HttpRequest) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR")
    # ipware counts the proxies listed in the header: the last of ours is the connection itself (REMOTE_ADDR).
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    # A request that reached gunicorn without passing every proxy: only its connection is known.
    return address or request.META.get("REMOTE_ADDR")


class ClientAddressAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, taking the address from `client_address` rather than from the
    left-most X-Forwarded-For entry, which the client writes."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)
