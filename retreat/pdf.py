"""The one PDF service: render a template under ``templates/<app>/pdf/`` to PDF bytes with WeasyPrint.

Fonts and images come from disk through ``url_fetcher`` (static files and media only, never the
network). The font configuration and the shared stylesheet are kept per process: rendering them afresh
for each document costs time and leaks memory.
"""

import atexit
import io
import mimetypes
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
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


def _html(template_name: str, context: dict, language: str | None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string(template_name, context)


def _layout(html: str):
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    try:
        return HTML(string=html, base_url=settings.STATIC_URL, url_fetcher=_url_fetcher()).render(
            stylesheets=[_stylesheet()], font_config=_font_config()
        )
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: turn it into a reason for the user
        raise DocumentError(
            gettext("A file the document needs is missing or not allowed: %(detail)s")
            % {"detail": exc.__cause__ or exc}
        ) from None


def render_pdf(template_name: str, context: dict, *, language: str | None = None, progress=None) -> bytes:
    """Render ``template_name`` to PDF bytes. ``progress(step)`` is called after layout and after writing."""
    document = _layout(_html(template_name, context, language))
    if progress:
        progress(1)
    pdf = document.write_pdf()
    if progress:
        progress(2)
    return pdf


def _pdf_and_anchors(html: str) -> tuple[bytes, list[dict]]:
    document = _layout(html)
    return document.write_pdf(), [page.anchors for page in document.pages]


@contextmanager
def _children_allowed():
    """A Celery prefork worker runs tasks in a daemonic process, which multiprocessing forbids to start
    processes lest they outlive it. The pool's processes end before the task does (the pool is shut down and
    waited for on the way out) and die with their parent if it is killed, so the rule is lifted while they
    start."""
    process = multiprocessing.current_process()
    daemon = process._config.get("daemon")
    process._config["daemon"] = False
    try:
        yield
    finally:
        process._config["daemon"] = daemon


def _die_with_parent():
    """Run in each pool process as it starts: the kernel ends it when the process that made it dies (a worker
    killed with SIGKILL leaves no orphan rendering on, holding memory and a database connection)."""
    import ctypes
    import signal
    from contextlib import suppress

    with suppress(AttributeError, OSError):  # not Linux: the pool is still shut down on the way out
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@contextmanager
def process_pool(processes: int | None = None):
    """``run(function, items)`` calls ``function`` on each item and returns the results in order: on up to
    ``processes`` (``PDF_PROCESSES``) forked processes, or here when one is asked or there is one item.
    The processes inherit what this one has loaded (fonts, the stylesheet, a signing key) and only turn
    prepared input into bytes: they never read the database."""
    processes = processes or settings.PDF_PROCESSES
    pool = None

    def run(function, items) -> list:
        nonlocal pool
        items = list(items)
        if processes <= 1 or len(items) <= 1:
            return [function(item) for item in items]
        if pool is None:
            _stylesheet()  # loaded once here, inherited by every process
            pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_die_with_parent)  # fmt: skip
            with _children_allowed():  # the processes start with the first tasks
                return list(pool.map(function, items))
        return list(pool.map(function, items))

    try:
        yield run
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def render_html(template_name: str, context: dict, *, language: str | None = None) -> str:
    """The HTML of a PDF template, in the document's language (it may read the database: do it here, not in
    a pool's process)."""
    return _html(template_name, context, language)


def html_pdf(html: str) -> tuple[bytes, list[dict]]:
    """PDF bytes of ``html`` and where things landed: per page, each element with an ``id`` as
    ``{id: (x0, y0, x1, y1)}``, its border box in CSS pixels from the page's top left corner."""
    return _pdf_and_anchors(html)


@contextmanager
def pdf_renderer(processes: int | None = None):
    """``render(items)`` lays out several templates at once, ``items`` being ``(template, context)`` pairs, and
    returns for each the PDF bytes and where things landed (``html_pdf``). The templates are rendered here;
    the layout, the slow part, runs in ``process_pool``."""
    with process_pool(processes) as run:

        def render(items, *, language: str | None = None) -> list[tuple[bytes, list[dict]]]:
            return run(_pdf_and_anchors, [_html(template, context, language) for template, context in items])

        yield render


def open_pdf(data: bytes):
    """A PDF to combine with pikepdf."""
    import pikepdf

    return pikepdf.open(io.BytesIO(data))


def append_pages(into, pdf, *, layer=None, pages=None, stamps=None, stamped=None) -> None:
    """Append every page of ``pdf`` to ``into`` (pikepdf documents); with a ``layer``, its page ``pages[n]``
    is drawn over page n. Fonts and images shared by the appended pages are copied once.

    With ``stamps`` (a ``Stamps``), ``stamped`` says which pieces go where: page n -> [(piece, (x0, y0,
    x1, y1))], the place in CSS pixels from the page's top left corner, as WeasyPrint's anchors give it."""
    for n, page in enumerate(pdf.pages):
        into.pages.append(page)
        if layer is not None:
            into.pages[-1].add_overlay(layer.pages[pages[n]])
        if stamps is not None and stamped and stamped.get(n):
            stamps.draw(into, into.pages[-1], stamped[n])


class Stamps:
    """Pieces laid out once (``pdf``: one page each, as large as the piece) drawn wherever they are needed:
    a word that recurs hundreds of times, say."""

    def __init__(self, pdf):
        self.pdf = pdf
        self._into, self._forms = None, {}  # each piece copied once into the document being made

    def draw(self, into, page, placed) -> None:
        """Draw on ``page`` of ``into`` each (piece, place) of ``placed``."""
        import pikepdf

        if into is not self._into:
            self._into, self._forms = into, {}
        height = float(page.mediabox[3])
        names, content = {}, []
        for piece, (x0, y0, x1, y1) in placed:
            if piece not in self._forms:
                self._forms[piece] = into.copy_foreign(self.pdf.pages[piece].as_form_xobject())
            form = self._forms[piece]
            if piece not in names:
                names[piece] = page.add_resource(form, pikepdf.Name.XObject, prefix="St")
            rect = pikepdf.Rectangle(x0 * 0.75, height - y1 * 0.75, x1 * 0.75, height - y0 * 0.75)
            content.append(page.calc_form_xobject_placement(form, names[piece], rect))
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n" + b"".join(content))


def pdf_bytes(pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue()
