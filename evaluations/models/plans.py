"""Action plans (rencana aksi / RTL) participants commit to, their progress reports after the retreat, and
leaders' monitoring visits to units."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import PlanStatus


class ActionPlan(models.Model):
    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("enrollment")
    )
    title = models.CharField(_("what will change"), max_length=300)
    indicator = models.CharField(_("indicator of success"), max_length=300)
    target_date = models.DateField(_("target date"))
    involved = models.CharField(_("who is involved"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["enrollment", "created_at", "pk"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self):
        return self.title


def evidence_upload_to(report: "ProgressReport", filename: str) -> str:
    return f"evidence/{report.plan.enrollment.program_id}/{uuid.uuid4().hex}/{filename}"


class ProgressReport(models.Model):
    """A participant's report on one plan at one follow-up (30, 60, 90 days …), changed until the next."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reports", verbose_name=_("plan"))
    day = models.PositiveSmallIntegerField(_("follow-up (days after the retreat)"))
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    text = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_upload_to, blank=True, max_length=300)
    evidence_name = models.CharField(max_length=255, blank=True, verbose_name=_("evidence name"))
    submitted_at = models.DateTimeField(auto_now=True, verbose_name=_("submitted at"))

    class Meta:
        ordering = ["plan", "day"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [models.UniqueConstraint(fields=["plan", "day"], name="evaluations_one_report_per_follow_up")]

    def __str__(self):
        return f"{self.plan}: {self.day} · {self.percent} %"


class MonitoringVisit(models.Model):
    """A leaders' visit to a unit after the retreat (Kirkpatrick level 3)."""

    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="monitoring_visits", verbose_name=_("program")
    )
    date = models.DateField(_("date"))
    unit = models.CharField(_("unit visited"), max_length=200)
    visitors = models.CharField(_("visited by"), max_length=300)
    participants = models.ManyToManyField(
        "participants.Enrollment", blank=True, related_name="monitoring_visits", verbose_name=_("participants")
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")

    def __str__(self):
        return f"{self.unit} · {self.date}"


class VisitFinding(models.Model):
    visit = models.ForeignKey(
        MonitoringVisit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("visit")
    )
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="findings", verbose_name=_("plan"))
    text = models.TextField(_("finding"))

    class Meta:
        verbose_name = _("visit finding")
        verbose_name_plural = _("visit findings")
        ordering = ["visit", "pk"]
        constraints = [models.UniqueConstraint(fields=["visit", "plan"], name="evaluations_one_finding_per_plan")]

    def __str__(self):
        return self.text[:60]


def visit_photo_upload_to(photo: "VisitPhoto", filename: str) -> str:
    return f"visits/{photo.visit.program_id}/{uuid.uuid4().hex}/{filename}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit"))
    image = models.ImageField(_("photo"), upload_to=visit_photo_upload_to, max_length=300)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["visit", "pk"]

    def __str__(self):
        return self.caption or self.image.name
