"""Writes of completion: the program's rule and an organizer's decision for one participant, either way,
always with a written reason kept in the history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import CompletionOverride, EvaluationSettings

REASON_MIN = 5


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


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": _("Write why (at least %(count)d characters).") % {"count": REASON_MIN}})
    return reason


@transaction.atomic
def completion_override_set(*, enrollment, complete: bool, reason: str, user) -> CompletionOverride:
    """Decide the participant complete or not, whatever the rule says; the reason is required."""
    reason = _reason(reason)
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
    reason = _reason(reason)
    override = CompletionOverride.objects.select_for_update().filter(enrollment=enrollment).first()
    if override is None:
        return
    override._history_user = user
    override._change_reason = reason
    override.delete()
