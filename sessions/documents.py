from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retreat.documents import Document, DocumentError, program_document, register

from .selectors import agenda_days, jp_total, sessions_for_program

AGENDA = "agenda"


@register(AGENDA, label=gettext_lazy("Agenda (jadwal)"))
def agenda(job) -> Document:
    program = job.program
    sessions = list(sessions_for_program(program))
    if not sessions:
        raise DocumentError(_("The agenda has no sessions yet."))
    return program_document(
        program,
        prefix="jadwal",
        rows=len(sessions),
        template="retreat_sessions/pdf/agenda.html",
        days=[day for day in agenda_days(program, sessions) if day.sessions],
        jp_total=jp_total(sessions),
    )
