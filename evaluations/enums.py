from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionnaireKind(models.TextChoices):
    SPEAKER = "speaker", _("Speaker evaluation")
    ORGANIZATION = "organization", _("Organization evaluation")
    BERAKHLAK = "berakhlak", _("BerAKHLAK self-assessment")
    TEST = "test", _("Pre-test and post-test")
    ASSESSMENT = "assessment", _("Facilitators' assessment of participants")


# Kinds answered by participants through their personal link; the assessment is filled by facilitators.
PARTICIPANT_KINDS = frozenset(
    {QuestionnaireKind.SPEAKER, QuestionnaireKind.ORGANIZATION, QuestionnaireKind.BERAKHLAK, QuestionnaireKind.TEST}
)
# Asked twice, before and after, with the same questions.
BEFORE_AFTER_KINDS = frozenset({QuestionnaireKind.BERAKHLAK, QuestionnaireKind.TEST})


# Where a form stands at a moment: before it opens, while it is open, after it closes.
UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SHORT = "short", _("Short text")
    LONG = "long", _("Long text")
    SCORE = "score", _("Score 0–100")


class Phase(models.TextChoices):
    ONCE = "", _("Once")
    BEFORE = "pre", _("Before")
    AFTER = "post", _("After")


# DOMAIN: participant evaluation bands (score strictly above the bound).
BANDS = [
    (90, _("Sangat Memuaskan")),
    (80, _("Memuaskan")),
    (70, _("Cukup Memuaskan")),
    (60, _("Kurang Memuaskan")),
]
LOWEST_BAND = _("Tidak Memuaskan")


def band(score) -> str:
    """The band of a 0–100 score: Sangat Memuaskan above 90 … Tidak Memuaskan at 60 or below."""
    for bound, label in BANDS:
        if score > bound:
            return label
    return LOWEST_BAND


class AttendanceBasis(models.TextChoices):
    SESSIONS = "sessions", _("Mandatory sessions")
    JP = "jp", _("Learning hours (JP)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    CHANGES = "changes", _("Change requested")
    APPROVED = "approved", _("Approved")


class PlanProgress(models.TextChoices):
    """Where an approved plan stands after the retreat (the monitoring overview)."""

    ON_TRACK = "on_track", _("On track")
    LATE = "late", _("Late")
    DONE = "done", _("Done")


DEFAULT_FOLLOW_UP_DAYS = [30, 60, 90]
