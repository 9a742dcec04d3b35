"""The addresses the app hands out in documents and messages, built by the app that serves them.

A participant's personal link is made in participants (ID cards, WhatsApp texts) and served by portal,
which sits above it: portal registers how the address is built (``register_personal_url`` in its
``AppConfig.ready()``), and the apps below ask here, without knowing portal.
"""

from collections.abc import Callable

from django.conf import settings

_personal_path: Callable[[str], str] | None = None


def register_personal_url(path_for_token: Callable[[str], str]) -> None:
    global _personal_path
    _personal_path = path_for_token


def personal_url(token: str) -> str:
    """The absolute address of a participant's personal page for this token."""
    if _personal_path is None:
        raise RuntimeError("No app serves personal pages: add portal to INSTALLED_APPS.")
    return settings.SITE_URL + _personal_path(token)


_verify_path: Callable[[str], str] | None = None


def register_verify_url(path_for_code: Callable[[str], str]) -> None:
    global _verify_path
    _verify_path = path_for_code


def verify_url(code: str) -> str:
    """The absolute address of a certificate's public verification page (its QR code)."""
    if _verify_path is None:
        raise RuntimeError("No app serves verification pages: add portal to INSTALLED_APPS.")
    return settings.SITE_URL + _verify_path(code)
