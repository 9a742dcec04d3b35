"""A program's participants as XLSX and CSV, safe to open in Excel.

NIPs are text, never numbers (Excel would round them). Every text cell that begins with ``=``, ``+``,
``-`` or ``@`` is neutralised with a leading apostrophe, so a name or note can't run as a formula.
Phones are written the way clerks dial them (``0812-3456-7890``), which needs no neutralising.
"""

import csv
import io

from django.utils.translation import gettext as _

from .models import Enrollment

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def national_phone(phone: str) -> str:
    """`+6281234567890` → `0812-3456-7890`."""
    if not phone.startswith("+62"):
        return phone
    local = "0" + phone[3:]
    return "-".join(part for part in (local[:4], local[4:8], local[8:]) if part)


def _columns():
    return [
        (_("No"), lambda i, e: i),
        (_("Full name"), lambda i, e: e.participant.display_name),
        (_("Front title"), lambda i, e: e.participant.front_title),
        (_("Name"), lambda i, e: e.participant.name),
        (_("Back title"), lambda i, e: e.participant.back_title),
        ("NIP", lambda i, e: e.participant.nip),
        (_("Participant type"), lambda i, e: e.participant.get_participant_type_display()),
        (_("Sex"), lambda i, e: e.participant.sex),
        (_("Rank"), lambda i, e: e.participant.golongan or e.participant.pppk_grade),
        (_("Echelon"), lambda i, e: e.participant.eselon),
        (_("Position"), lambda i, e: e.participant.position_title),
        (_("Work unit"), lambda i, e: e.participant.unit_name),
        (_("Role"), lambda i, e: e.get_role_display()),
        (_("Cohort"), lambda i, e: e.cohort.name if e.cohort else ""),
        (_("Group"), lambda i, e: e.group.name if e.group else ""),
        (_("Room"), lambda i, e: e.room.label if e.room else ""),
        (_("Status"), lambda i, e: e.get_status_display()),
        (_("Phone"), lambda i, e: national_phone(e.participant.phone)),
        (_("E-mail"), lambda i, e: e.participant.email),
        (_("Uniform size"), lambda i, e: e.participant.uniform_size),
        (_("Dietary notes"), lambda i, e: e.participant.dietary_notes),
    ]


def _rows(enrollments: list[Enrollment]):
    columns = _columns()
    yield [title for title, _value in columns]
    for index, enrollment in enumerate(enrollments, start=1):
        yield [value(index, enrollment) for _title, value in columns]


def export_csv(enrollments: list[Enrollment]) -> bytes:
    """UTF-8 with BOM and `;`, as Excel in the Indonesian locale reads and writes it."""
    return _csv(_rows(enrollments))


def export_xlsx(enrollments: list[Enrollment], *, title: str) -> bytes:
    widths = (5, 38, 12, 28, 16, 22, 12, 6, 8, 8, 40, 34, 24, 14, 14, 10, 14, 16, 28, 8, 20)
    return _workbook(_rows(enrollments), sheet_title=_("Participants"), title=title, widths=widths, numbers=True)


def _csv(rows) -> bytes:
    """UTF-8 with BOM and `;`, every cell neutralised (no formula)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralize(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _workbook(rows, *, sheet_title: str, title: str, widths=(), numbers: bool) -> bytes:
    """A one-sheet workbook, the first row bold and frozen. Every cell is a string cell (never a formula);
    with ``numbers`` whole numbers stay numbers and strings are neutralised, else cells are written as given."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(sheet_title)[:31]
    for row_index, row in enumerate(rows, start=1):
        for column_index, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column_index)
            if numbers and isinstance(value, int):
                cell.value = value
            else:
                cell.value = neutralize(value) if numbers else ("" if value is None else str(value))
                cell.data_type = "s"  # a string, never a formula
                cell.number_format = "@"
            if row_index == 1:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    workbook.properties.title = title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Personal links for a WhatsApp broadcast list -------------------------------------------------------------


def link_rows(rows: list[tuple[str, str, str]]):
    """Header and (name, phone in +62 form, personal link) rows: the three columns a broadcast list needs, no NIP."""
    yield [_("Name"), _("Phone"), _("Personal link")]
    yield from ([neutralize(name), phone, neutralize(link)] for name, phone, link in rows)


def links_csv(rows: list[tuple[str, str, str]]) -> bytes:
    """As ``export_csv``: a `+62…` phone is text, so it is neutralised like a formula."""
    return _csv(link_rows(rows))


def links_xlsx(rows: list[tuple[str, str, str]], *, title: str) -> bytes:
    """Every cell a string: a `+62…` phone stays as written (a string cell is never a formula nor a number)."""
    return text_workbook(link_rows(rows), sheet_title=_("Personal links"), title=title, widths=(38, 18, 60))


def text_workbook(rows, *, sheet_title: str, title: str, widths=()) -> bytes:
    """Every cell a string as given: a `+62…` phone or a NIP stays as written."""
    return _workbook(rows, sheet_title=sheet_title, title=title, widths=widths, numbers=False)
