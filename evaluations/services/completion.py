"""Writes of completion: the program's rule and an organizer's decision for one participant, either way,
always with a written reason kept in the history."""

import io

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from participants.exports import neutralize
from retreat.identity import mask_number
from retreat.services import export_record, written_reason

from ..models import CompletionOverride, EvaluationSettings
from ..selectors.completion import completion_for_program


@transaction.atomic
def evaluation_settings_update(*, program, data: dict, user) -> EvaluationSettings:
    """Save the completion rule (``min_attendance_pct`` is the program's own field) and the follow-up days."""
    settings = EvaluationSettings.objects.select_for_update().filter(program=program).first()
    settings = settings or EvaluationSettings(program=program)
    for name in ("attendance_basis", "forms_required", "min_assessment_score", "follow_up_days"):
        if name in data:
            setattr(settings, name, data[name])
    settings.full_clean()
    settings._history_user = user
    settings.save()
    if "min_attendance_pct" in data and data["min_attendance_pct"] != program.min_attendance_pct:
        program.min_attendance_pct = data["min_attendance_pct"]
        program.full_clean()
        program.save(update_fields=["min_attendance_pct", "updated_at"])
    return settings


@transaction.atomic
def completion_override_set(*, enrollment, complete: bool, reason: str, user) -> CompletionOverride:
    """Decide the participant complete or not, whatever the rule says; the reason is required."""
    reason = written_reason(reason)
    override = CompletionOverride.objects.select_for_update().filter(enrollment=enrollment).first()
    override = override or CompletionOverride(enrollment=enrollment)
    override.complete, override.reason, override.decided_by = complete, reason, user
    override._history_user = user
    override._change_reason = reason
    override.save()
    return override


@transaction.atomic
def completion_override_remove(*, enrollment, reason: str, user) -> None:
    """Go back to the rule for this participant; the removal and its reason stay in the history."""
    reason = written_reason(reason)
    override = CompletionOverride.objects.select_for_update().filter(enrollment=enrollment).first()
    if override is None:
        return
    override._history_user = user
    override._change_reason = reason
    override.delete()


def completion_export(*, program, user, show_personal_data: bool) -> tuple[bytes, str]:
    """Every participant complete or not, with the figures, the reasons and the committee's decisions, as a
    spreadsheet (NIPs masked for those who may not see them); the export is recorded."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    completion = completion_for_program(program)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Completion")[:31]
    header = [_("No"), _("Name"), "NIP", _("Position"), _("Cohort"), _("Attendance"), "%", _("Facilitators' score"),
              _("Complete"), _("Reasons"), _("Committee's decision")]  # fmt: skip
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(completion.rows, start=1):
        person = row.enrollment.participant
        decision = row.override.reason if row.override else ""
        verdict = _("Complete") if row.complete else _("Not complete")
        sheet.append([
            number, neutralize(person.display_name), person.nip if show_personal_data else mask_number(person.nip),
            neutralize(person.position_title), neutralize(row.enrollment.cohort.name if row.enrollment.cohort else ""),
            f"{row.attended}/{row.expected}" if row.expected else "", row.percent,
            round(row.score, 1) if row.score is not None else None, verdict,
            neutralize("; ".join(row.reasons)), neutralize(decision),
        ])  # fmt: skip
        sheet.cell(row=sheet.max_row, column=3).number_format = "@"  # the NIP stays text
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    export_record(program=program, user=user, what=_("Completion"), file_format="XLSX", rows=len(completion.rows))
    return out.getvalue(), f"kelulusan-{slugify(program.name)[:60]}.xlsx"
