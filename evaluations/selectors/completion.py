"""Completion (kelulusan): who completed the program under its rule, with the exact reasons of those who
did not, read for the whole program in a constant number of queries."""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attendance.selectors import recap
from participants.selectors import enrollments_for_program
from sessions.conflicts import session_audiences

from ..enums import PARTICIPANT_KINDS, AttendanceBasis, QuestionnaireKind
from ..models import CompletionOverride, EvaluationSettings, Form, Response
from .assessment import assessment_scores


def settings_for(program) -> EvaluationSettings:
    """The program's completion and follow-up settings; the defaults (unsaved) until an organizer saves them."""
    found = EvaluationSettings.objects.filter(program=program).first()
    return found or EvaluationSettings(program=program)


def percent_shown(part: int, whole: int) -> str:
    """A percentage cut (never rounded up) to one decimal, without the decimal when it is whole: 799 of
    1000 is "79,9", never "80"; 3 of 4 is "75"."""
    tenths = math.floor(1000 * part / whole)
    return number_format(tenths // 10) if tenths % 10 == 0 else number_format(tenths / 10, decimal_pos=1)


def attendance_reason(*, attended: int, expected: int, minimum: int, basis: str) -> str:
    """Why the attendance does not complete the program, or "" when it does. Exact: 799 of 1000 is below
    80 %, 800 of 1000 is not. Nothing taken yet blocks no one."""
    if not expected or attended * 100 >= minimum * expected:
        return ""
    if basis == AttendanceBasis.JP:
        return _("attendance %(attended)s of %(expected)s JP (%(percent)s %%) < %(minimum)s %%") % {
            "attended": attended, "expected": expected, "percent": percent_shown(attended, expected),
            "minimum": minimum}  # fmt: skip
    return _("attendance %(percent)s %% < %(minimum)s %%") % {
        "percent": percent_shown(attended, expected), "minimum": minimum}  # fmt: skip


def score_shown(score: float) -> str:
    tenths = math.floor(score * 10 + 1e-9)
    return number_format(tenths // 10) if tenths % 10 == 0 else number_format(tenths / 10, decimal_pos=1)


@dataclass
class Completion:
    enrollment: object
    attended: int = 0  # sessions or JP, as the program counts
    expected: int = 0
    score: float | None = None  # the facilitators' assessment, when there is one
    reasons: list = field(default_factory=list)
    override: CompletionOverride | None = None

    @property
    def by_rule(self) -> bool:
        return not self.reasons

    @property
    def complete(self) -> bool:
        return self.override.complete if self.override is not None else self.by_rule

    @property
    def percent(self) -> str:
        return percent_shown(self.attended, self.expected) if self.expected else ""


@dataclass
class ProgramCompletion:
    settings: EvaluationSettings
    rows: list

    @property
    def complete_count(self) -> int:
        return sum(1 for row in self.rows if row.complete)


def _attendance(program, basis, now) -> dict:
    """Enrollment pk -> (attended, expected), in mandatory sessions or in JP, as the attendance recap counts
    them (the sessions whose attendance was taken and that have started)."""
    rows = recap(program, now=now).rows
    if basis == AttendanceBasis.JP:
        return {row.enrollment.pk: (row.jp, row.jp_expected) for row in rows}
    return {row.enrollment.pk: (row.present, row.expected) for row in rows}


def _missing_forms(program, enrollments) -> dict:
    """Enrollment pk -> reasons naming the required forms they have not submitted."""
    forms = list(
        Form.objects.filter(program=program, questionnaire__required=True, questionnaire__kind__in=PARTICIPANT_KINDS)
        .select_related("questionnaire", "session")
        .order_by("questionnaire__pk", "opens_at", "pk")
    )
    if not forms:
        return {}
    audiences = session_audiences(program, [f.session for f in forms if f.session_id])
    everyone = {e.pk for e in enrollments}
    answered = set(
        Response.objects.filter(form__in=forms, enrollment__isnull=False).values_list("form_id", "enrollment_id")
    )
    missing = defaultdict(lambda: defaultdict(list))  # enrollment -> questionnaire -> forms
    for form in forms:
        audience = audiences[form.session_id] if form.session_id else everyone
        for pk in audience:
            if (form.pk, pk) not in answered:
                missing[pk][form.questionnaire].append(form)
    reasons = {}
    for pk, by_questionnaire in missing.items():
        reasons[pk] = []
        for questionnaire, unanswered in by_questionnaire.items():
            if questionnaire.kind == QuestionnaireKind.SPEAKER:
                count = len(unanswered)
                text = ngettext("%(title)s: %(count)d session not filled in",
                                "%(title)s: %(count)d sessions not filled in", count)  # fmt: skip
                reasons[pk].append(text % {"title": questionnaire.title, "count": count})
            else:
                reasons[pk].extend(_("%(form)s not filled in") % {"form": form} for form in unanswered)
    return reasons


def completion_for_program(program, *, now: dt.datetime | None = None) -> ProgramCompletion:
    """Every active participant, complete or not under the program's rule, with the reasons and an
    organizer's override where there is one."""
    now = now or timezone.now()
    settings = settings_for(program)
    enrollments = list(enrollments_for_program(program))
    attendance = _attendance(program, settings.attendance_basis, now)
    missing = _missing_forms(program, enrollments) if settings.forms_required else {}
    threshold = settings.min_assessment_score
    scores = assessment_scores(program) if threshold is not None else {}
    decided = CompletionOverride.objects.filter(enrollment__program=program).select_related("decided_by")
    overrides = {override.enrollment_id: override for override in decided}
    rows = []
    for enrollment in enrollments:
        attended, expected = attendance.get(enrollment.pk, (0, 0))
        row = Completion(
            enrollment, attended, expected, scores.get(enrollment.pk), override=overrides.get(enrollment.pk)
        )
        reason = attendance_reason(attended=attended, expected=expected, minimum=program.min_attendance_pct,
                                   basis=settings.attendance_basis)  # fmt: skip
        if reason:
            row.reasons.append(reason)
        row.reasons.extend(missing.get(enrollment.pk, []))
        if threshold is not None:
            if row.score is None:
                row.reasons.append(_("no facilitators' assessment yet"))
            elif row.score < threshold:
                row.reasons.append(_("facilitators' score %(score)s < %(minimum)s") % {
                    "score": score_shown(row.score), "minimum": threshold})  # fmt: skip
        rows.append(row)
    return ProgramCompletion(settings=settings, rows=rows)


def completion_of(enrollment, *, now=None) -> Completion:
    return next(
        row for row in completion_for_program(enrollment.program, now=now).rows if row.enrollment.pk == enrollment.pk
    )


def complete_enrollments(program, *, now=None) -> list:
    """The participants who completed the program (an override counts), in protocol order: who gets a
    certificate."""
    return [row.enrollment for row in completion_for_program(program, now=now).rows if row.complete]


def override_history(enrollment) -> list:
    """Every decision on the participant's completion, newest first: set, changed or removed, by whom,
    with the reason."""
    return list(
        CompletionOverride.history.filter(enrollment_id=enrollment.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
