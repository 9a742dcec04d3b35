"""The daftar hadir of a session, blank for wet signatures or filled with the recorded statuses, in the
layout clerks and inspectors expect (DOMAIN: letterhead, title block, NO | NAMA | NIP | GOL | JABATAN /
UNIT KERJA | TANDA TANGAN with numbered signature cells alternating left and right, the header on every
page, counts and the officer's signature at the end), on A4 or F4 as the program chooses."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retreat.documents import DocumentError, program_document, register
from sessions.models import Session

from .selectors import roll_call
from .services import settings_for

ATTENDANCE_SHEET = "attendance_sheet"


@register(ATTENDANCE_SHEET, label=gettext_lazy("Attendance sheet (daftar hadir)"), params=("session", "filled"))
def attendance_sheet(job):
    program = job.program
    session_id = str(job.params.get("session", ""))
    session = (
        Session.objects.filter(program=program, pk=session_id if session_id.isdigit() else 0)
        .select_related("venue", "moderator")
        .prefetch_related("speakers")
        .first()
    )
    if session is None:
        raise DocumentError(_("Choose a session of this program for the attendance sheet."))
    call = roll_call(session)
    if not call.rows:
        raise DocumentError(
            _("Nobody is expected at “%(session)s”: add participants first.") % {"session": session.title}
        )
    filled = str(job.params.get("filled", "")) == "1"
    settings = settings_for(program)
    local = session.starts_at.astimezone(program.tzinfo)
    return program_document(
        program,
        prefix=f"daftar-hadir-{local:%Y%m%d-%H%M}",
        template="attendance/pdf/attendance_sheet.html",
        rows=len(call.rows),
        session=session,
        day=local.date(),
        people=call.rows,
        counts=call.counts,
        filled=filled,
        settings=settings,
        show_personal_data=job.requested_by is not None
        and job.requested_by.has_perm("retreat.view_personal_data", program),
    )
