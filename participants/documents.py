from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from retreat.documents import Document, DocumentError, register
from retreat.enums import DocumentKind

from .selectors import enrollments_for_program


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


@register(DocumentKind.PARTICIPANT_LIST)
def participant_list(job) -> Document:
    program = job.program
    enrollments = list(enrollments_for_program(program))
    if not enrollments:
        raise DocumentError(_("The program has no participants yet: add participants before printing the list."))
    return Document(
        filename=f"daftar-peserta-{slugify(program.name)[:60]}.pdf",
        template="participants/pdf/participant_list.html",
        context={
            "program": program,
            "letterhead": letterhead_context(program.organizer),
            "enrollments": enrollments,
            "printed_at": timezone.now(),
        },
    )
