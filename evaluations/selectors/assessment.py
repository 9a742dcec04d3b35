"""Reads of the facilitators' assessment: whom a user assesses and how they were assessed, in a constant
number of queries."""

from dataclasses import dataclass

from django.db.models import Avg, Q, QuerySet

from participants.models import Enrollment
from participants.selectors import enrollments_for_program
from retreat.rules import is_program_manager
from sessions.conflicts import session_audiences
from sessions.models import Session

from ..enums import QuestionKind, QuestionnaireKind, band
from ..models import Answer, Form, Response


def participants_for_assessor(program, user) -> QuerySet[Enrollment]:
    """Whom the user assesses: a manager everyone in the program; a facilitator the audience of the
    sessions they facilitate (a group discussion's groups, a cohort's session its cohort, a session for the
    whole program everyone)."""
    enrollments = enrollments_for_program(program)
    if is_program_manager(user, program):
        return enrollments
    sessions = Session.objects.filter(program=program, facilitators=user)
    audiences = session_audiences(program, sessions)
    return enrollments.filter(pk__in=set().union(*audiences.values()))


def assessment_scores(program) -> dict:
    """Assessed enrollment pk -> the exact average of their facilitators' 0–100 scores: the one figure
    completion compares with its threshold and results put in a band."""
    rows = (
        Answer.objects.filter(response__form__program=program, response__subject__isnull=False,
                              question__kind=QuestionKind.SCORE, number__isnull=False)
        .values("response__subject_id")
        .annotate(score=Avg("number"))
        .order_by()
    )  # fmt: skip
    return {row["response__subject_id"]: float(row["score"]) for row in rows}


def assessment_form(program) -> Form | None:
    """The form of the program's assessment questionnaire (the first, should there be several)."""
    return (
        Form.objects.filter(program=program, questionnaire__kind=QuestionnaireKind.ASSESSMENT)
        .select_related("questionnaire")
        .order_by("opens_at", "pk")
        .first()
    )


def _with_score(responses):
    return responses.select_related("assessor").annotate(
        score=Avg("answers__number", filter=Q(answers__question__kind=QuestionKind.SCORE))
    )


@dataclass
class Assessed:
    enrollment: Enrollment
    response: Response | None

    @property
    def score(self):
        return None if self.response is None or self.response.score is None else round(self.response.score, 1)

    @property
    def band(self) -> str:
        return "" if self.score is None else band(self.response.score)  # the exact average, not the rounded one


def assessments_for_assessor(program, user, form) -> list[Assessed]:
    """The user's participants in protocol order, each with their assessment on the form if any."""
    enrollments = list(participants_for_assessor(program, user))
    responses = {}
    if form is not None:
        found = _with_score(Response.objects.filter(form=form, subject__in=[e.pk for e in enrollments]))
        responses = {r.subject_id: r for r in found}
    return [Assessed(e, responses.get(e.pk)) for e in enrollments]


def assessment_of(form, subject) -> Response | None:
    """The participant's assessment on the form, with its average score as ``score``."""
    return _with_score(Response.objects.filter(form=form, subject=subject)).first()
