"""The attendance recap as XLSX: NIPs as text, formula-like cells neutralised (as the participant export)."""

import io

from django.utils.translation import gettext as _

from participants.exports import neutralize
from retreat.formatting import program_clock
from retreat.identity import mask_number


def recap_xlsx(program, recap, *, show_personal_data: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Attendance")[:31]
    sessions = recap.sessions
    header = [_("No"), _("Name"), "NIP", _("Grade"), _("Position"), _("Work unit")]
    header += [
        f"{session.starts_at.astimezone(program.tzinfo):%d/%m} {program_clock(session.starts_at, program)} "
        f"{session.title}{'' if session.mandatory else ' (' + _('optional') + ')'}"
        for session in sessions
    ]
    header += [_("Present"), _("Expected"), "%", "JP"]
    sheet.append([neutralize(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(recap.rows, start=1):
        p = row.enrollment.participant
        nip = p.nip if show_personal_data else mask_number(p.nip)
        values = [number, neutralize(p.display_name), nip, p.golongan or p.pppk_grade, neutralize(p.position_title),
                  neutralize(p.unit_name)]  # fmt: skip
        values += [record.letter if record else "" for record in row.cells]
        values += [row.present, row.expected, row.percent, row.jp]
        sheet.append(values)
        sheet.cell(row=sheet.max_row, column=3).number_format = "@"  # the NIP stays text
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
