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
    program = models.ForeignKey("retreat.Program", on_delete=models.CASCADE, related_name="questionnaires")
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionnaireKind.choices)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    required = models.BooleanField(
        _("required for completion"), default=True, help_text=_("Participants must submit it to complete.")
    )

    class Meta:
        ordering = ["program", "pk"]
        verbose_name = _("questionnaire")
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
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["questionnaire", "position", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    required = models.BooleanField(_("required"), default=True)
    scale_max = models.PositiveSmallIntegerField(_("scale"), default=4, choices=[(4, "1–4"), (5, "1–5")])
    scale_labels = models.JSONField(_("scale labels"), default=list, blank=True)  # one label per point
    choices = models.JSONField(_("choices"), default=list, blank=True)
    correct_choice = models.PositiveSmallIntegerField(_("correct answer"), null=True, blank=True)
    key = models.CharField(_("key"), max_length=40, blank=True)  # the aspect or the BerAKHLAK value it measures
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["questionnaire", "section__position", "position", "pk"]
        verbose_name = _("question")

    def __str__(self):
        return self.text


class Form(models.Model):
    """One opening of a questionnaire: when it opens and closes, for which phase or speaker session."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="forms")
    program = models.ForeignKey("retreat.Program", on_delete=models.CASCADE, related_name="evaluation_forms")
    phase = models.CharField(_("phase"), max_length=4, choices=Phase.choices, blank=True, default=Phase.ONCE)
    session = models.ForeignKey(
        "retreat_sessions.Session", on_delete=models.CASCADE, null=True, blank=True, related_name="evaluation_forms"
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # Set by an organizer: kept as they are when the agenda moves (otherwise a speaker form follows its session).
    times_edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["opens_at", "pk"]
        verbose_name = _("form")
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
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="responses")
    # The participant who answers (through their personal link) ...
    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    # ... or the facilitator who assesses a participant.
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    subject = models.ForeignKey(
        "participants.Enrollment", on_delete=models.CASCADE, null=True, blank=True, related_name="assessments"
    )
    submission = models.UUIDField(_("submission id"), default=uuid.uuid4)  # the phone's id of its last sending
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("response")
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
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.IntegerField(null=True, blank=True)  # scale point, score, or the chosen choice's index
    choices = models.JSONField(default=list, blank=True)  # multiple choice: the chosen indexes
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="evaluations_one_answer")]

    def __str__(self):
        return f"{self.question_id}: {self.text or self.choices or self.number}"


class ReminderSending(models.Model):
    """Reminder e-mails sent in the background to everyone who has not filled in the open forms: who asked,
    where it stands and how many went out."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey("retreat.Program", on_delete=models.CASCADE, related_name="reminder_sendings")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    sent = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # no e-mail address
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder sending")

    def __str__(self):
        return f"{self.program} · {self.created_at:%Y-%m-%d %H:%M}"
