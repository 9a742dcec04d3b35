"""The addresses the app hands out in documents and messages, built by the app that serves them.

A participant's personal link is made in participants (ID cards, WhatsApp texts) and served by portal,
which sits above it: portal registers how the address is built (``register_personal_url`` in its
``AppConfig.ready()``), and the apps below ask here, without knowing portal.

Where the addresses start (``site_url()``): ``SITE_URL`` when it is set (production: the public address).
Unset, the address of the request being answered (its scheme and its Host, which Django checks against
``ALLOWED_HOSTS`` and reads behind the proxy as the settings say), so ``make run PORT=8102`` hands out links
to port 8102; ``RequestAddressMiddleware`` makes the request known here. A task sent to a worker while a
request is answered carries that address in its message (``ADDRESS_HEADER``); work with no request behind
it (the beat's tasks, a job sent again by the sweep) uses ``SERVE_URL``, the address ``make run`` serves on.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings

# The request being answered, or the address a task was sent with.
_serving: ContextVar = ContextVar("retret_serving", default=None)
# The message header a task sent during a request carries its address in.
ADDRESS_HEADER = "retret_site_url"

_personal_path: Callable[[str], str] | None = None


def register_personal_url(path_for_token: Callable[[str], str]) -> None:
    global _personal_path
    _personal_path = path_for_token


def site_url() -> str:
    """Where absolute links start, without a trailing slash: ``http://127.0.0.1:8102``."""
    if settings.SITE_URL:
        return settings.SITE_URL
    serving = _serving.get()
    if serving is None:
        return settings.SERVE_URL
    if isinstance(serving, str):
        return serving
    return request_address(serving)


def request_address(request) -> str:
    """The address a request came to: scheme and host (with its port), as Django reads them."""
    return request.build_absolute_uri("/").rstrip("/")


@contextmanager
def serving_at(address) -> Iterator[None]:
    """Links made inside start at ``address`` (a request, or an address as a string) unless SITE_URL is set."""
    token = _serving.set(address or None)
    try:
        yield
    finally:
        _serving.reset(token)


class RequestAddressMiddleware:
    """Makes the request known to ``site_url()`` while it is answered (read only when a link is made)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with serving_at(request):
            return self.get_response(request)


def personal_url(token: str) -> str:
    """The absolute address of a participant's personal page for this token."""
    if _personal_path is None:
        raise RuntimeError("No app serves personal pages: add portal to INSTALLED_APPS.")
    return site_url() + _personal_path(token)


def is_personal_path(path: str) -> bool:
    """Whether ``path`` is a personal page's address or lies under one (``/p/<token>/…``), whether or not
    the token opens anything."""
    if _personal_path is None:
        return False
    prefix = _personal_path("0").rpartition("0/")[0]  # "/p/"
    token, slash, _rest = path.removeprefix(prefix).partition("/")
    return path.startswith(prefix) and bool(token) and bool(slash)


_verify_path: Callable[[str], str] | None = None


def register_verify_url(path_for_code: Callable[[str], str]) -> None:
    global _verify_path
    _verify_path = path_for_code


def verify_url(code: str) -> str:
    """The absolute address of a certificate's public verification page (its QR code)."""
    if _verify_path is None:
        raise RuntimeError("No app serves verification pages: add portal to INSTALLED_APPS.")
    return site_url() + _verify_path(code)


# --- Tasks sent to a worker keep the address of the request that sent them --------------------------------


@before_task_publish.connect(dispatch_uid="retret_links_address")
def _send_address(headers=None, **kwargs) -> None:
    if headers is not None and not settings.SITE_URL and _serving.get() is not None:
        headers[ADDRESS_HEADER] = site_url()


@task_prerun.connect(dispatch_uid="retret_links_address_in")
def _take_address(task=None, **kwargs) -> None:
    request = getattr(task, "request", None)
    if request is None:
        return
    address = request.get(ADDRESS_HEADER) or (getattr(request, "headers", None) or {}).get(ADDRESS_HEADER)
    if isinstance(address, str) and address:
        request.retret_serving = _serving.set(address)


@task_postrun.connect(dispatch_uid="retret_links_address_out")
def _drop_address(task=None, **kwargs) -> None:
    request = getattr(task, "request", None)
    token = getattr(request, "retret_serving", None) if request is not None else None
    if token is not None:
        _serving.reset(token)
        request.retret_serving = None
