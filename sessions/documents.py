from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from participants.documents import letterhead_context
from retreat.documents import Document, DocumentError, register
from retreat.enums import DocumentKind

from .selectors import agenda_days, jp_total, sessions_for_program


@register(DocumentKind.AGENDA)
def agenda(job) -> Document:
    program = job.program
    sessions = list(sessions_for_program(program))
    if not sessions:
        raise DocumentError(_("The agenda has no sessions yet."))
    return Document(
        filename=f"jadwal-{slugify(program.name)[:60]}.pdf",
        template="retreat_sessions/pdf/agenda.html",
        context={
            "program": program,
            "letterhead": letterhead_context(program.organizer),
            "days": [day for day in agenda_days(program, sessions) if day.sessions],
            "jp_total": jp_total(sessions),
            "printed_at": timezone.now(),
        },
    )
