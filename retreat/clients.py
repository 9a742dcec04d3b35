"""The address a request comes from: one answer for login lockouts (django-axes calls ``client_address``
through ``AXES_CLIENT_IP_CALLABLE``) and for the per-address limits of the public forms.

``AXES_IPWARE_PROXY_COUNT`` (environment ``AXES_PROXY_COUNT``) is the number of reverse proxies in front of
the app, each of which appends the address it received the request from to X-Forwarded-For (nginx's
``$proxy_add_x_forwarded_for``). With N proxies the client is the N-th entry from the right: whatever a
client writes into the header itself stands further left and is ignored. With 0 the header is ignored
and the connection's own address counts. django-ipware reads the header; its ``proxy_count`` counts the
proxies listed in the header after the client, one fewer than the proxies in front of the app.
"""

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_address(request: HttpRequest) -> str:
    """The client's address, or the connection's when no proxy is configured or the header is missing."""
    connection = request.META.get("REMOTE_ADDR", "")
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    if proxies < 1:
        return connection
    address, _routable = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
        strict=False,  # entries a client added in front of the proxies' own are allowed, and skipped
    )
    return address or connection
