"""Reads of evaluations, in a constant number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone

from participants.selectors import enrollments_for_program
from sessions.conflicts import session_audiences
from sessions.selectors import meant_for

from ..enums import OPEN, PARTICIPANT_KINDS
from ..models import Form, Question, Questionnaire, Response, Section


def evaluation_version_key(enrollment_id: int) -> str:
    """The key of the version that changes whenever the participant sends answers (services.evaluation_changed); part of
    the cache key of their personal page."""
    return f"evaluation-version:e{enrollment_id}"


@dataclass
class FormState:
    form: Form
    response: Response | None
    state: str  # open, upcoming or closed

    @property
    def pending(self) -> bool:
        return self.state == OPEN and self.response is None


def forms_for_enrollment(enrollment, now=None) -> list[FormState]:
    """The forms the participant is asked (participants' kinds; a speaker form only for the audience of its
    session), in the order they open, with their response if any."""
    return forms_for_enrollments([enrollment], now)[enrollment.pk]


def forms_for_enrollments(enrollments, now=None) -> dict[int, list[FormState]]:
    """``forms_for_enrollment`` of each of ``enrollments`` (all of one program), by enrollment pk, in four
    queries whatever their number."""
    now = now or timezone.now()
    if not enrollments:
        return {}
    program = enrollments[0].program
    forms = list(
        Form.objects.filter(program=program, questionnaire__kind__in=PARTICIPANT_KINDS)
        .select_related("questionnaire", "session")
        .prefetch_related("session__cohorts", "session__groups")
        .order_by("opens_at", "pk")
    )
    responses = {
        (r.enrollment_id, r.form_id): r
        for r in Response.objects.filter(enrollment__in=[e.pk for e in enrollments], form__in=forms)
    }
    found = {}
    for enrollment in enrollments:
        found[enrollment.pk] = [
            FormState(form, responses.get((enrollment.pk, form.pk)), form.state(now))
            for form in forms
            if not form.session_id or meant_for(form.session, enrollment)
        ]
    return found


def form_for_enrollment(enrollment, form_pk) -> FormState | None:
    """One of the participant's forms, or None if it is not one of theirs."""
    return next((state for state in forms_for_enrollment(enrollment) if str(state.form.pk) == str(form_pk)), None)


def sections_of(questionnaire) -> list[Section]:
    """The questionnaire's sections, each with its questions as ``question_list``, in two queries."""
    return list(
        Section.objects.filter(questionnaire=questionnaire)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("questions", Question.objects.order_by("position", "pk"), to_attr="question_list"))
    )


def answers_of(response) -> dict:
    """Question id -> what the participant answered (a number, a list of choices or text)."""
    if response is None:
        return {}
    found = {}
    for answer in response.answers.all():
        found[answer.question_id] = answer.text or (answer.choices if answer.choices else answer.number)
    return found


def program_forms(program) -> list[Form]:
    """The program's forms with their response counts and, for participants' forms, how many are asked
    (``expected``), in the order they open."""
    forms = list(
        Form.objects.filter(program=program)
        .select_related("questionnaire", "session")
        .annotate(response_count=Count("responses"))
        .order_by("questionnaire__pk", "opens_at", "pk")
    )
    audiences = _audiences(program, forms)
    for form in forms:
        form.expected = len(audiences[form.pk]) if form.pk in audiences else None
    return forms


def _audiences(program, forms) -> dict:
    """Form pk -> the enrollments asked it (participants' forms only), in one query for all."""
    asked = [form for form in forms if form.questionnaire.kind in PARTICIPANT_KINDS]
    by_session = session_audiences(program, [f.session for f in asked if f.session_id]) if asked else {}
    everyone = None
    found = {}
    for form in asked:
        if form.session_id:
            found[form.pk] = by_session[form.session_id]
        else:
            if everyone is None:
                everyone = frozenset(enrollments_for_program(program).values_list("pk", flat=True))
            found[form.pk] = everyone
    return found


def not_responded(form) -> list:
    """The enrollments asked the form who have not responded, in protocol order."""
    audience = _audiences(form.program, [form]).get(form.pk, frozenset())
    answered = set(Response.objects.filter(form=form).values_list("enrollment_id", flat=True))
    return [e for e in enrollments_for_program(form.program) if e.pk in audience and e.pk not in answered]


def program_questionnaires(program) -> list[Questionnaire]:
    return list(Questionnaire.objects.filter(program=program))
