"""Questionnaires a program asks (its own copy of a built-in set, editable), the forms that open them at set
times (the speaker evaluation once per speaker session, the BerAKHLAK self-assessment and the test before
and after) and the responses, one per participant and form (or per facilitator and assessed participant)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retreat.enums import JobStatus

from ..enums import CLOSED, OPEN, UPCOMING, Phase, QuestionKind, QuestionnaireKind


class Questionnaire(models.Model):
    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="questionnaires", verbose_name=_("program")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionnaireKind.choices)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    required = models.BooleanField(
        _("required for completion"), default=True, help_text=_("Participants must submit it to complete.")
    )

    class Meta:
        ordering = ["program", "pk"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["program", "kind"], name="evaluations_one_questionnaire_per_kind")
        ]

    def __str__(self):
        return self.title

    @property
    def anonymous(self) -> bool:
        """Speaker evaluations: who answered what is seen by nobody; organizers see only who has not."""
        return self.kind == QuestionnaireKind.SPEAKER


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections", verbose_name=_("questionnaire")
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("questionnaire section")
        verbose_name_plural = _("questionnaire sections")
        ordering = ["questionnaire", "position", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", verbose_name=_("questionnaire")
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("section"))
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    required = models.BooleanField(_("required"), default=True)
    scale_max = models.PositiveSmallIntegerField(_("scale"), default=4, choices=[(4, "1–4"), (5, "1–5")])
    scale_labels = models.JSONField(_("scale labels"), default=list, blank=True)  # one label per point
    choices = models.JSONField(_("choices"), default=list, blank=True)
    correct_choice = models.PositiveSmallIntegerField(_("correct answer"), null=True, blank=True)
    key = models.CharField(_("key"), max_length=40, blank=True)  # the aspect or the BerAKHLAK value it measures
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["questionnaire", "section__position", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text


class Form(models.Model):
    """One opening of a questionnaire: when it opens and closes, for which phase or speaker session."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="forms", verbose_name=_("questionnaire")
    )
    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="evaluation_forms", verbose_name=_("program")
    )
    phase = models.CharField(_("phase"), max_length=4, choices=Phase.choices, blank=True, default=Phase.ONCE)
    session = models.ForeignKey(
        "retreat_sessions.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation_forms",
        verbose_name=_("session"),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # Set by an organizer: kept as they are when the agenda moves (otherwise a speaker form follows its session).
    times_edited = models.BooleanField(default=False, verbose_name=_("times edited"))

    class Meta:
        ordering = ["opens_at", "pk"]
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "phase"], condition=Q(session__isnull=True), name="evaluations_form_once"
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "session"],
                condition=Q(session__isnull=False),
                name="evaluations_form_per_session",
            ),
        ]

    def __str__(self):
        title = self.questionnaire.title
        if self.session_id:
            return f"{title}: {self.session.title}"
        return f"{title} ({self.get_phase_display().lower()})" if self.phase else title

    def state(self, now=None) -> str:
        """UPCOMING before it opens, OPEN until it closes, then CLOSED."""
        now = now or timezone.now()
        return UPCOMING if now < self.opens_at else CLOSED if now >= self.closes_at else OPEN


class Response(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="responses", verbose_name=_("form"))
    # The participant who answers (through their personal link) ...
    enrollment = models.ForeignKey(
        "participants.Enrollment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("enrollment"),
    )
    # ... or the facilitator who assesses a participant.
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("assessor")
    )
    subject = models.ForeignKey(
        "participants.Enrollment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("subject"),
    )
    submission = models.UUIDField(_("submission id"), default=uuid.uuid4)  # the phone's id of its last sending
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "enrollment"], condition=Q(enrollment__isnull=False), name="evaluations_one_response"
            ),
            models.UniqueConstraint(
                fields=["form", "subject"], condition=Q(subject__isnull=False), name="evaluations_one_assessment"
            ),
            models.CheckConstraint(
                condition=Q(enrollment__isnull=False, assessor__isnull=True, subject__isnull=True)
                | Q(enrollment__isnull=True, assessor__isnull=False, subject__isnull=False),
                name="evaluations_response_by_participant_or_assessor",
            ),
        ]

    def __str__(self):
        return f"{self.form} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question"))
    number = models.IntegerField(
        null=True, blank=True, verbose_name=_("number")
    )  # scale point, score, or the chosen choice's index
    choices = models.JSONField(
        default=list, blank=True, verbose_name=_("choices")
    )  # multiple choice: the chosen indexes
    text = models.TextField(blank=True, verbose_name=_("text"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="evaluations_one_answer")]

    def __str__(self):
        return f"{self.question_id}: {self.text or self.choices or self.number}"


class ReminderSending(models.Model):
    """Reminder e-mails sent in the background to everyone who has not filled in the open forms: who asked,
    where it stands and how many went out."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id"))
    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="reminder_sendings", verbose_name=_("program")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    sent = models.PositiveIntegerField(default=0, verbose_name=_("sent"))
    skipped = models.PositiveIntegerField(default=0, verbose_name=_("skipped"))  # no e-mail address
    error = models.TextField(blank=True, verbose_name=_("error"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder sending")
        verbose_name_plural = _("reminder sendings")

    def __str__(self):
        return f"{self.program} · {self.created_at:%Y-%m-%d %H:%M}"
