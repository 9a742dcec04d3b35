"""A program's completion rule (kelulusan) and organizers' decisions that override it for one participant."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import DEFAULT_FOLLOW_UP_DAYS, AttendanceBasis


def default_follow_up_days():
    return list(DEFAULT_FOLLOW_UP_DAYS)


class EvaluationSettings(models.Model):
    """How a program decides completion, and when participants report on their action plans. The minimum
    attendance itself is the program's own ``min_attendance_pct``."""

    program = models.OneToOneField(
        "retreat.Program", on_delete=models.CASCADE, related_name="evaluation_settings", verbose_name=_("program")
    )
    attendance_basis = models.CharField(
        _("attendance counted in"), max_length=10, choices=AttendanceBasis.choices, default=AttendanceBasis.SESSIONS
    )
    forms_required = models.BooleanField(
        _("required forms must be submitted"), default=True,
        help_text=_("The questionnaires marked required, every form of them the participant is asked."),
    )  # fmt: skip
    min_assessment_score = models.PositiveSmallIntegerField(
        _("minimum facilitators' score"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Empty: the facilitators' assessment does not decide completion."),
    )  # fmt: skip
    follow_up_days = models.JSONField(
        _("follow-up reports (days after the retreat)"), default=default_follow_up_days, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation settings")
        verbose_name_plural = _("evaluation settings")

    def __str__(self):
        return f"{self.program}"


class CompletionOverride(models.Model):
    """An organizer's decision for one participant, either way, with the reason; every change and removal
    stays in the history."""

    enrollment = models.OneToOneField(
        "participants.Enrollment",
        on_delete=models.CASCADE,
        related_name="completion_override",
        verbose_name=_("enrollment"),
    )
    complete = models.BooleanField(_("complete"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), auto_now=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("completion override")
        verbose_name_plural = _("completion overrides")

    def __str__(self):
        return f"{self.enrollment}: {self.complete}"
