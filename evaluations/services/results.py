"""Exporting the evaluation results: one workbook with a sheet per table of the results page, the export
recorded in the program's export audit (who, what, how many rows).

The speaker sheets are anonymous like the page: averages, counts and comments, no respondent column; a
session with fewer than MIN_RESPONSES responses has none of its averages, distribution or comments there.
Identical comments are one row with how many wrote them. Test scores and the facilitators' assessment
are per person, by name (no NIP)."""

import io
import re

from django.utils.text import slugify
from django.utils.translation import gettext as _

from participants.exports import neutralize
from retreat.formatting import program_date
from retreat.services import export_record

from ..selectors.results import MIN_RESPONSES, ProgramResults, program_results

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def results_export(*, program, user) -> tuple[bytes, str]:
    """The results workbook and its file name; the export is recorded."""
    results = program_results(program, comments=True)
    data, rows = results_workbook(program, results)
    export_record(program=program, user=user, what=_("Evaluation results"), file_format="XLSX", rows=rows)
    return data, f"hasil-evaluasi-{slugify(program.name)[:60]}.xlsx"


def _text(value) -> str:
    return neutralize(value)


def results_workbook(program, results: ProgramResults) -> tuple[bytes, int]:
    """The workbook's bytes and how many data rows it holds."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    written = 0

    def sheet(title: str, header: list, rows: list[list]):
        nonlocal written
        ws = book.create_sheet(SHEET_NAME_FORBIDDEN.sub(" ", str(title))[:31])
        ws.append([_text(h) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        written += len(rows)
        return ws

    # Speakers: one row per session, the average of each aspect in a column.
    aspects = results.speaker_aspects
    rows = []
    for n, result in enumerate(results.speakers, start=1):
        by_name = {a.key or a.text: a.average for a in result.aspects}
        session = result.session
        rows.append([n, _text(result.title), program_date(session.starts_at, program) if session else "",
                     _text(", ".join(s.display_name for s in result.speakers)), result.responses, result.overall,
                     *[by_name.get(a.key or a.text) for a in aspects]])  # fmt: skip
    header = [_("No"), _("Session"), _("Date"), _("Speakers"), _("Responses"), _("Overall average")]
    sheet(_("Speakers"), header + [a.text for a in aspects], rows)

    hidden = _("Fewer than %(minimum)d responses: hidden so that nobody can be recognised.") % {
        "minimum": MIN_RESPONSES
    }

    def distribution_rows(form_results, with_form: bool):
        top = max((a.scale_max for r in form_results for a in r.aspects), default=4)
        found = []
        for result in form_results:
            if result.hidden:
                found.append(([_text(result.title)] if with_form else []) + [hidden])
            for aspect in result.aspects:
                counts = aspect.distribution + [None] * (top - aspect.scale_max)
                found.append(([_text(result.title)] if with_form else [])
                             + [_text(aspect.text), aspect.count, aspect.average, *counts])  # fmt: skip
        return top, found

    def comment_rows(form_results, with_form: bool):
        return [([_text(result.title)] if with_form else []) + [_text(group.question), _text(text), count]
                for result in form_results for group in result.comments or []
                for text, count in group.counted]  # fmt: skip

    top, rows = distribution_rows(results.speakers, True)
    points = [str(p) for p in range(1, top + 1)]
    sheet(_("Speaker distribution"), [_("Session"), _("Aspect"), _("Answers"), _("Average"), *points], rows)
    sheet(_("Speaker comments"), [_("Session"), _("Question"), _("Comment"), _("Count")],
          comment_rows(results.speakers, True))  # fmt: skip

    top, rows = distribution_rows(results.organization, False)
    sheet(_("Organization"), [_("Question"), _("Answers"), _("Average"), *[str(p) for p in range(1, top + 1)]], rows)
    sheet(_("Organization comments"), [_("Question"), _("Comment"), _("Count")],
          comment_rows(results.organization, False))  # fmt: skip

    berakhlak = results.berakhlak
    rows = [[_("All participants"), v.name, v.before, v.after, v.gain] for v in berakhlak.values]
    rows += [[_text(c.cohort.name), v.name, v.before, v.after, v.gain] for c in berakhlak.cohorts for v in c.values]
    sheet(_("BerAKHLAK"), [_("Cohort"), _("Value"), _("Before"), _("After"), _("Change")], rows)

    tests = results.tests
    rows = [[n, _text(row.enrollment.participant.display_name), row.before, row.after, row.gain]
            for n, row in enumerate(tests.rows, start=1)]  # fmt: skip
    ws = sheet(_("Test scores"), [_("No"), _("Name"), _("Before"), _("After"), _("Gain")], rows)
    if tests.rows:
        ws.append(["", _("Average"), tests.average_before, tests.average_after, tests.average_gain])

    assessment = results.assessment
    rows = [[n, _text(row.enrollment.participant.display_name), row.score, str(row.band)]
            for n, row in enumerate(assessment.rows, start=1)]  # fmt: skip
    sheet(_("Assessment"), [_("No"), _("Name"), _("Average score"), _("Band")], rows)
    sheet(_("Bands"), [_("Band"), _("Participants")], [[str(label), count] for label, count in assessment.bands])
    # The page's "average per aspect, all sessions" (an aspect with too few answers stays hidden).
    rows = [[_text(a.text), None, hidden] if a.hidden else [_text(a.text), a.count, a.average] for a in aspects]
    sheet(_("Speaker aspects"), [_("Aspect"), _("Answers"), _("Average")], rows)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), written
