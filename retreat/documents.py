"""Registry of the documents the job pipeline can render. Apps register a builder per DocumentKind:
``@register(DocumentKind.PARTICIPANT_LIST)`` on a function ``(job) -> Document``."""

from collections.abc import Callable
from dataclasses import dataclass

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
    template: str
    context: dict


_builders: dict[str, Callable] = {}


def register(kind: str):
    def decorate(builder):
        _builders[kind] = builder
        return builder

    return decorate


def builder_for(kind: str) -> Callable:
    try:
        return _builders[kind]
    except KeyError:
        raise DocumentError(f"No document builder is registered for {kind!r}.") from None


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


def program_document(program, *, prefix: str, template: str, **context) -> Document:
    """An official document of a program: the organizer's letterhead, the program, when it was printed."""
    return Document(
        filename=f"{prefix}-{slugify(program.name)[:60]}.pdf",
        template=template,
        context={
            "program": program,
            "letterhead": letterhead_context(program.organizer),
            "printed_at": timezone.now(),
            **context,
        },
    )
