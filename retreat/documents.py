"""Registry of the documents the job pipeline can render. Each app names its own kinds and registers a
builder for each: ``@register("participant_list", label=_("Participant list"))`` on a function
``(job) -> Document``. ``DocumentJob.kind`` is checked against this registry, so a new document needs no
change (and no migration) in the core."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _


class DocumentError(Exception):
    """A document can't be made; the message is shown to the user as the reason."""


@dataclass(frozen=True)
class Document:
    filename: str
    template: str = ""
    context: dict = field(default_factory=dict)
    rows: int = 0  # people (or lines) in the document, for the export record
    # Instead of one template: makes the file itself (a ZIP of PDFs, say), ``render(progress) -> bytes``.
    render: Callable | None = None
    # How many items ``render`` counts with ``progress(n)`` (certificates, say), shown as "n of items".
    items: int = 0


@dataclass(frozen=True)
class DocumentType:
    kind: str
    label: str
    build: Callable
    params: tuple[str, ...] = ()  # what a request may say about the document (``DocumentJob.params``)
    kept: bool = False  # every version is kept (a report, say): never purged with the old jobs


_types: dict[str, DocumentType] = {}


def register(kind: str, *, label: str, params: tuple[str, ...] = (), kept: bool = False):
    def decorate(builder):
        if kind in _types and _types[kind].build is not builder:
            raise ImproperlyConfigured(f"Two documents are registered as {kind!r}: {_types[kind].build} and {builder}.")
        _types[kind] = DocumentType(kind=kind, label=label, build=builder, params=params, kept=kept)
        return builder

    return decorate


def validate_kind(kind: str) -> None:
    """The validator of ``DocumentJob.kind``: only a registered kind (the admin site and services both check)."""
    if kind not in _types:
        raise ValidationError(_("There is no document of the kind “%(kind)s”.") % {"kind": kind}, code="unknown_kind")


def is_registered(kind: str) -> bool:
    return kind in _types


def params_for(kind: str) -> tuple[str, ...]:
    return _types[kind].params if kind in _types else ()


def kept_kinds() -> list[str]:
    """The kinds whose every version is kept."""
    return [kind for kind, document_type in _types.items() if document_type.kept]


def label_for(kind: str) -> str:
    document_type = _types.get(kind)
    return document_type.label if document_type else kind


def builder_for(kind: str) -> Callable:
    try:
        return _types[kind].build
    except KeyError:
        raise DocumentError(_("There is no document of the kind “%(kind)s”.") % {"kind": kind}) from None


def letterhead_context(institution) -> dict:
    """The kop surat of an institution; a logo that is set but missing on disk stops the document."""
    if institution.logo and not default_storage.exists(institution.logo.name):
        raise DocumentError(
            _("The logo of %(institution)s is missing from storage (%(file)s). Upload the logo again.")
            % {"institution": institution, "file": institution.logo.name}
        )
    return {
        "institution": institution,
        "lines": institution.letterhead,
        "logo_url": institution.logo.url if institution.logo else static("retreat/img/emblem.png"),
    }


def program_document(program, *, prefix: str, template: str, rows: int = 0, **context) -> Document:
    """An official document of a program: the organizer's letterhead, the program, when it was printed."""
    return Document(
        rows=rows,
        filename=f"{prefix}-{slugify(program.name)[:60]}.pdf",
        template=template,
        context={
            "program": program,
            "letterhead": letterhead_context(program.organizer),
            "printed_at": timezone.now(),
            **context,
        },
    )
