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
from retreat.pdf import render_pdf
from sessions.selectors import sessions_for_program

from .selectors import recap, roll_call
from .services import settings_for

ATTENDANCE_SHEET = "attendance_sheet"
ATTENDANCE_DAY = "attendance_day"
ATTENDANCE_SET = "attendance_set"
ATTENDANCE_SET_ZIP = "attendance_set_zip"
ATTENDANCE_RECAP = "attendance_recap"
SHEET_TEMPLATE = "attendance/pdf/attendance_sheet.html"


def _sheet(session) -> dict:
    call = roll_call(session)
    return {
        "session": session,
        "day": session.starts_at.astimezone(session.program.tzinfo).date(),
        "people": call.rows,
        "counts": call.counts,
    }


def _sheets_document(job, sessions, *, prefix: str, title: str, empty: str = "") -> Document:
    program = job.program
    sheets = [sheet for sheet in (_sheet(session) for session in sessions) if sheet["people"]]
    if not sheets:
        raise DocumentError(empty or _("Nobody is expected at these sessions: add participants first."))
    return program_document(
        program,
        prefix=prefix,
        template=SHEET_TEMPLATE,
        rows=sum(len(sheet["people"]) for sheet in sheets),
        title=title,
        sheets=sheets,
        filled=str(job.params.get("filled", "")) == "1",
        settings=settings_for(program),
        show_personal_data=_may_see_nips(job),
    )


def _may_see_nips(job) -> bool:
    return job.requested_by is not None and job.requested_by.has_perm("retreat.view_personal_data", job.program)


def _program_sessions(program):
    return list(sessions_for_program(program))


@register(ATTENDANCE_SHEET, label=gettext_lazy("Attendance sheet (daftar hadir)"), params=("session", "filled"))
def attendance_sheet(job) -> Document:
    session_id = str(job.params.get("session", ""))
    session = sessions_for_program(job.program).filter(pk=session_id if session_id.isdigit() else 0).first()
    if session is None:
        raise DocumentError(_("Choose a session of this program for the attendance sheet."))
    local = session.starts_at.astimezone(job.program.tzinfo)
    empty = _("Nobody is expected at “%(session)s”: add participants first.") % {"session": session.title}
    return _sheets_document(job, [session], prefix=f"daftar-hadir-{local:%Y%m%d-%H%M}", title=session.title,
                            empty=empty)  # fmt: skip


@register(ATTENDANCE_DAY, label=gettext_lazy("Attendance sheets of a day"), params=("day", "filled"))
def attendance_day(job) -> Document:
    program = job.program
    try:
        day = dt.date.fromisoformat(str(job.params.get("day", "")))
    except ValueError:
        raise DocumentError(_("Choose a day of the program.")) from None
    sessions = [s for s in _program_sessions(program) if s.starts_at.astimezone(program.tzinfo).date() == day]
    if not sessions:
        raise DocumentError(_("There are no sessions on %(day)s.") % {"day": tanggal(day)})
    return _sheets_document(job, sessions, prefix=f"daftar-hadir-{day:%Y%m%d}", title=tanggal(day))


@register(ATTENDANCE_SET, label=gettext_lazy("All attendance sheets (PDF)"), params=("filled",))
def attendance_set(job) -> Document:
    """Every session's sheet in one PDF. Each sheet is laid out on its own and the files joined: laying out
    the whole set at once held every page in memory (1.3 GB for 500 people and 12 sessions, against
    about 210 MB a sheet)."""
    program = job.program
    parts = _session_documents(job)

    def render(progress) -> bytes:
        from pypdf import PdfWriter

        writer = PdfWriter()
        for _name, pdf in _rendered(parts):
            writer.append(io.BytesIO(pdf))
        progress(1)
        out = io.BytesIO()
        writer.write(out)
        progress(2)
        return out.getvalue()

    return Document(
        filename=f"daftar-hadir-{slugify(program.name)[:60]}.pdf",
        rows=sum(document.rows for _s, document, _n in parts),
        render=render,
    )


def _rendered(parts):
    """Each session's sheet laid out on its own, one at a time: (file name, PDF bytes)."""
    for _session, document, name in parts:
        yield name, render_pdf(document.template, document.context)


def _session_documents(job) -> list:
    """(session, its sheet document, a file name) for every session someone is expected at."""
    program = job.program
    parts = []
    for session in _program_sessions(program):
        try:
            document = _sheets_document(job, [session], prefix="", title=session.title)
        except DocumentError:
            continue  # nobody is expected at this one
        local = session.starts_at.astimezone(program.tzinfo)
        parts.append((session, document, f"{local:%Y%m%d-%H%M}-{slugify(session.title)[:50]}.pdf"))
    if not parts:
        raise DocumentError(_("Nobody is expected at these sessions: add participants first."))
    return parts


@register(ATTENDANCE_SET_ZIP, label=gettext_lazy("All attendance sheets (ZIP)"), params=("filled",))
def attendance_set_zip(job) -> Document:
    """One PDF per session in a ZIP, for filing each session's sheet on its own."""
    program = job.program
    documents = _session_documents(job)

    def render(progress) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, pdf in _rendered(documents):
                archive.writestr(name, pdf)
        progress(2)
        return out.getvalue()

    return Document(
        filename=f"daftar-hadir-{slugify(program.name)[:60]}.zip",
        rows=sum(document.rows for _s, document, _n in documents),
        render=render,
    )


@register(ATTENDANCE_RECAP, label=gettext_lazy("Attendance recap (PDF)"), params=("cohort", "group"))
def attendance_recap(job) -> Document:
    program = job.program
    data = recap(program, cohort=str(job.params.get("cohort", "")), group=str(job.params.get("group", "")))
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
