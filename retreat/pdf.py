"""The one PDF service: render a template under ``templates/<app>/pdf/`` to PDF bytes with WeasyPrint.

Fonts and images come from disk through ``url_fetcher`` (static files and media only, never the
network). The font configuration and the shared stylesheet are kept per process: rendering them afresh
for each document costs time and leaks memory.
"""

import atexit
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from .documents import DocumentError

BASE_STYLESHEET = "retreat/pdf/base.css"


class ResourceNotAllowed(ValueError):
    """A document asked for something that is neither a static nor a media file, or it is missing."""


def _under(candidate: Path, root) -> Path | None:
    root = Path(root).resolve()
    candidate = candidate.resolve()
    return candidate if candidate.is_relative_to(root) and candidate.is_file() else None


def _local_path(url: str) -> Path:
    path = unquote(urlsplit(url).path)
    found = None
    if path.startswith(settings.STATIC_URL):
        relative = path.removeprefix(settings.STATIC_URL)
        found = finders.find(relative) or _under(Path(settings.STATIC_ROOT) / relative, settings.STATIC_ROOT)
    elif path.startswith(settings.MEDIA_URL):
        found = _under(Path(settings.MEDIA_ROOT) / path.removeprefix(settings.MEDIA_URL), settings.MEDIA_ROOT)
    elif url.startswith("file://"):
        # Relative URLs inside our stylesheets resolve to files; only the static and media folders are allowed.
        roots = [settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
        found = next((hit for root in roots if (hit := _under(Path(path), root))), None)
    if not found:
        raise ResourceNotAllowed(unquote(urlsplit(url).path))
    return Path(found)


@cache
def _url_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Serves static and media files from disk; anything else (the network) is refused."""

        def fetch(self, url, headers=None):
            path = _local_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    # A missing font, logo or stylesheet stops the document instead of printing it without.
    return LocalFetcher(fail_on_errors=True)


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    # Released at exit, while the modules its destructor needs still exist.
    atexit.register(_font_config.cache_clear)
    atexit.register(_stylesheet.cache_clear)
    return FontConfiguration()


@cache
def _stylesheet():
    from weasyprint import CSS

    path = finders.find(BASE_STYLESHEET)
    return CSS(filename=path, url_fetcher=_url_fetcher(), font_config=_font_config())


def render_pdf(template_name: str, context: dict, *, language: str | None = None, progress=None) -> bytes:
    """Render ``template_name`` to PDF bytes. ``progress(step)`` is called after layout and after writing."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    try:
        document = HTML(string=html, base_url=settings.STATIC_URL, url_fetcher=_url_fetcher()).render(
            stylesheets=[_stylesheet()], font_config=_font_config()
        )
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: turn it into a reason for the user
        raise DocumentError(
            gettext("A file the document needs is missing or not allowed: %(detail)s")
            % {"detail": exc.__cause__ or exc}
        ) from None
    if progress:
        progress(1)
    pdf = document.write_pdf()
    if progress:
        progress(2)
    return pdf
