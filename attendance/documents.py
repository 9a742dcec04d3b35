"""Attendance documents, in the layout clerks and inspectors expect (DOMAIN: letterhead, title block,
NO | NAMA | NIP | GOL | JABATAN / UNIT KERJA | TANDA TANGAN with numbered signature cells alternating
left and right, the header on every page, counts and the officer's signature at the end), on A4 or F4 as
the program chooses:

- the daftar hadir of one session, blank for wet signatures or filled with the recorded statuses;
- the daily set (every session of a day, one section each);
- the whole program's set, as one PDF or as a ZIP of one PDF per session;
- the attendance recap (landscape).
"""

import datetime as dt
import io
import zipfile

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retreat.documents import Document, DocumentError, program_document, register
from retreat.formatting import tanggal
from retreat.params import whole_number
from sessions.selectors import sessions_for_program

from .selectors import recap
from .services import settings_for
from .sheets import SHEET_TEMPLATE, alone, joined, print_sheets, sheet_context, sheets_for

ATTENDANCE_SHEET = "attendance_sheet"
ATTENDANCE_DAY = "attendance_day"
ATTENDANCE_SET = "attendance_set"
ATTENDANCE_SET_ZIP = "attendance_set_zip"
ATTENDANCE_RECAP = "attendance_recap"
NOBODY = gettext_lazy("Nobody is expected at these sessions: add participants first.")


def _context(job) -> dict:
    """What every sheet of the job shares: the letterhead, the program's settings, filled or blank, NIPs."""
    return program_document(
        job.program,
        prefix="",
        template=SHEET_TEMPLATE,
        settings=settings_for(job.program),
        filled=str(job.params.get("filled", "")) == "1",
        show_personal_data=_may_see_nips(job),
    ).context


def _may_see_nips(job) -> bool:
    return job.requested_by is not None and job.requested_by.has_perm("retreat.view_personal_data", job.program)


@register(ATTENDANCE_SHEET, label=gettext_lazy("Attendance sheet (daftar hadir)"), params=("session", "filled"))
def attendance_sheet(job) -> Document:
    session = sessions_for_program(job.program).filter(pk=whole_number(job.params.get("session")) or 0).first()
    if session is None:
        raise DocumentError(_("Choose a session of this program for the attendance sheet."))
    sheets = sheets_for(job.program, [session])
    if not sheets:
        raise DocumentError(
            _("Nobody is expected at “%(session)s”: add participants first.") % {"session": session.title}
        )
    local = session.starts_at.astimezone(job.program.tzinfo)
    return Document(
        filename=f"daftar-hadir-{local:%Y%m%d-%H%M}-{slugify(job.program.name)[:60]}.pdf",
        template=SHEET_TEMPLATE,
        context=sheet_context(_context(job), sheets, title=session.title),
        rows=len(sheets[0]["people"]),
    )


def _set(job, sessions, *, filename: str, write, with_recap: bool = False) -> Document:
    """A document of many sessions' sheets (and the recap): ``write(printed sheets, file names, recap) ->
    bytes``, the recap being PDF bytes or None."""
    sheets = sheets_for(job.program, sessions)
    if not sheets:
        raise DocumentError(NOBODY)
    context = _context(job)
    tz = job.program.tzinfo
    names = [f"{sheet['session'].starts_at.astimezone(tz):%Y%m%d-%H%M}-{slugify(sheet['session'].title)[:50]}.pdf"
             for sheet in sheets]  # fmt: skip
    also = []
    if with_recap:
        recap_document = _recap_document(job, cohort="", group="")
        also = [(recap_document.template, recap_document.context)]

    def render(progress) -> bytes:
        printed, others = print_sheets(sheets, context, also=also)
        progress(1)
        data = write(printed, names, others[0] if others else None)
        progress(2)
        return data

    return Document(filename=filename, rows=sum(len(sheet["people"]) for sheet in sheets), render=render)


def _one_pdf(printed, _names, recap) -> bytes:
    return joined(printed, [recap] if recap else [])


def _zip(printed, names, recap) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet, name in zip(printed, names, strict=True):
            archive.writestr(name, alone(sheet))
        if recap:
            archive.writestr("rekap-presensi.pdf", recap)
    return out.getvalue()


@register(ATTENDANCE_DAY, label=gettext_lazy("Attendance sheets of a day"), params=("day", "filled"))
def attendance_day(job) -> Document:
    program = job.program
    try:
        day = dt.date.fromisoformat(str(job.params.get("day", "")))
    except ValueError:
        raise DocumentError(_("Choose a day of the program.")) from None
    sessions = [s for s in sessions_for_program(program) if s.starts_at.astimezone(program.tzinfo).date() == day]
    if not sessions:
        raise DocumentError(_("There are no sessions on %(day)s.") % {"day": tanggal(day)})
    return _set(job, sessions, filename=f"daftar-hadir-{day:%Y%m%d}-{slugify(program.name)[:60]}.pdf", write=_one_pdf)


@register(ATTENDANCE_SET, label=gettext_lazy("All attendance sheets and the recap (PDF)"), params=("filled",))
def attendance_set(job) -> Document:
    """Every session's sheet, then the recap, in one PDF (see sheets.py for how the shared table is laid out
    once)."""
    name = f"daftar-hadir-{slugify(job.program.name)[:60]}.pdf"
    return _set(job, sessions_for_program(job.program), filename=name, write=_one_pdf, with_recap=True)


@register(ATTENDANCE_SET_ZIP, label=gettext_lazy("All attendance sheets and the recap (ZIP)"), params=("filled",))
def attendance_set_zip(job) -> Document:
    """One PDF per session and the recap in a ZIP, for filing each session's sheet on its own."""
    name = f"daftar-hadir-{slugify(job.program.name)[:60]}.zip"
    return _set(job, sessions_for_program(job.program), filename=name, write=_zip, with_recap=True)


@register(ATTENDANCE_RECAP, label=gettext_lazy("Attendance recap (PDF)"), params=("cohort", "group"))
def attendance_recap(job) -> Document:
    return _recap_document(job, cohort=str(job.params.get("cohort", "")), group=str(job.params.get("group", "")))


def _recap_document(job, *, cohort: str, group: str) -> Document:
    program = job.program
    data = recap(program, cohort=cohort, group=group)
    if not data.rows:
        raise DocumentError(_("The program has no participants yet: add participants before printing the list."))
    days = [day for day, _percent in data.by_day]
    for row in data.rows:
        row.per_day = [row.days.get(day, (0, 0)) for day in days]
    return program_document(
        program,
        prefix="rekap-presensi",
        template="attendance/pdf/recap.html",
        rows=len(data.rows),
        recap=data,
        days=days,
        show_personal_data=_may_see_nips(job),
    )
