"""Every write of evaluations: a program's questionnaires from the built-in sets, the forms that open them,
and participants' responses (one per participant and form, changed until the form closes, a sending
repeated by a phone applied once)."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retreat.versions import version_bump
from sessions.conflicts import session_audiences
from sessions.models import Session

from ..builtin import builtin_sets
from ..enums import CLOSED, PARTICIPANT_KINDS, UPCOMING, Phase, QuestionKind, QuestionnaireKind
from ..models import Answer, Form, Question, Questionnaire, Response, Section
from ..selectors.forms import evaluation_version_key

FORMS_OPEN_DAYS_AFTER = 7  # forms stay open this long after the program's last day
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 4000


@transaction.atomic
def evaluations_setup(*, program, kinds=None) -> list[Questionnaire]:
    """Copy the built-in questionnaires the program does not have yet (all kinds unless ``kinds``) and open
    their forms at the usual times. Running it again adds nothing."""
    created = []
    have = set(program.questionnaires.values_list("kind", flat=True))
    for kind, spec in builtin_sets().items():
        if kind in have or (kinds is not None and kind not in kinds):
            continue
        questionnaire = Questionnaire.objects.create(program=program, kind=kind, title=spec["title"],
                                                     intro=spec["intro"])  # fmt: skip
        for position, (title, questions) in enumerate(spec["sections"]):
            section = Section.objects.create(questionnaire=questionnaire, title=title, position=position)
            Question.objects.bulk_create(
                Question(questionnaire=questionnaire, section=section, position=n, **fields)
                for n, fields in enumerate(questions)
            )
        created.append(questionnaire)
    forms_sync(program=program)
    return created


def _day_start(program, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=program.tzinfo)


def forms_close_at(program) -> dt.datetime:
    """When the forms that run to the end of the retreat close: FORMS_OPEN_DAYS_AFTER days after its last
    day, at midnight by the program's clock."""
    return _day_start(program, program.end_date) + dt.timedelta(days=1 + FORMS_OPEN_DAYS_AFTER)


def _windows(program) -> dict:
    """When each form opens and closes, by the program's own clock."""
    first, last = _day_start(program, program.start_date), _day_start(program, program.end_date)
    after = forms_close_at(program)
    return {
        (QuestionnaireKind.ORGANIZATION, Phase.ONCE): (last, after),
        (QuestionnaireKind.BERAKHLAK, Phase.BEFORE): (first, first + dt.timedelta(days=1)),
        (QuestionnaireKind.BERAKHLAK, Phase.AFTER): (last, after),
        (QuestionnaireKind.TEST, Phase.BEFORE): (first, first + dt.timedelta(days=1)),
        (QuestionnaireKind.TEST, Phase.AFTER): (last, after),
        (QuestionnaireKind.ASSESSMENT, Phase.ONCE): (first, after),
    }


@transaction.atomic
def forms_sync(*, program) -> None:
    """The forms of the program's questionnaires: one per phase, and for the speaker evaluation one per
    learning session (one that counts for JP) with a speaker, opening when the session starts; the
    opening ceremony's or the morning assembly's officials are not evaluated. A speaker form whose session lost its
    speakers goes, unless someone has answered it. Until an organizer sets a form's times, it follows the
    program and the agenda: a speaker form opens when its session starts and closes with the other forms
    or when the session ends, whichever is later; the others keep their place in the program's days when
    the dates move."""
    questionnaires = {q.kind: q for q in program.questionnaires.all()}
    windows = _windows(program)
    for (kind, phase), (opens, closes) in windows.items():
        if kind in questionnaires:
            defaults = {"program": program, "opens_at": opens, "closes_at": closes}
            form, created = Form.objects.get_or_create(questionnaire=questionnaires[kind], phase=phase, session=None,
                                                       defaults=defaults)  # fmt: skip
            if not created:
                _follow(form, opens, closes)
    speaker = questionnaires.get(QuestionnaireKind.SPEAKER)
    if speaker is None:
        return
    closes = forms_close_at(program)
    with_speakers = list(Session.objects.filter(program=program, counts_for_jp=True, speakers__isnull=False).distinct())
    existing = {form.session_id: form for form in Form.objects.filter(questionnaire=speaker, session__isnull=False)}
    for session in with_speakers:
        times = {"opens_at": session.starts_at, "closes_at": max(closes, session.ends_at)}
        form = existing.get(session.pk)
        if form is None:
            Form.objects.create(questionnaire=speaker, session=session, program=program, **times)
        else:
            _follow(form, times["opens_at"], times["closes_at"])
    Form.objects.filter(questionnaire=speaker, session__isnull=False, responses__isnull=True).exclude(
        session__in=with_speakers
    ).delete()


def _follow(form, opens, closes) -> None:
    """Move a form to the usual times, unless an organizer set its own."""
    if not form.times_edited and (form.opens_at, form.closes_at) != (opens, closes):
        form.opens_at, form.closes_at = opens, closes
        form.save(update_fields=["opens_at", "closes_at"])


def is_for(form, enrollment) -> bool:
    """Whether the participant is asked this form: participants' kinds only, and a speaker form only by
    the audience of its session."""
    if form.program_id != enrollment.program_id or form.questionnaire.kind not in PARTICIPANT_KINDS:
        return False
    if form.session_id is None:
        return True
    return enrollment.pk in session_audiences(form.program, [form.session])[form.session_id]


def _answer(question, raw) -> tuple[dict, str]:
    """The stored fields of one answer from what was sent, or a message saying what is wrong."""
    empty = raw in (None, "", [])
    if empty:
        return {}, (_("This question needs an answer.") if question.required else "")
    if question.kind in (QuestionKind.SHORT, QuestionKind.LONG):
        text = str(raw).strip()
        limit = SHORT_TEXT_MAX if question.kind == QuestionKind.SHORT else LONG_TEXT_MAX
        if len(text) > limit:
            return {}, _("At most %(limit)d characters.") % {"limit": limit}
        if not text:
            return {}, (_("This question needs an answer.") if question.required else "")
        return {"text": text}, ""
    if question.kind == QuestionKind.MULTIPLE:
        values = raw if isinstance(raw, list) else [raw]
        try:
            chosen = sorted({int(v) for v in values})
        except (TypeError, ValueError):
            return {}, _("Choose from the list.")
        if any(not 0 <= v < len(question.choices) for v in chosen):
            return {}, _("Choose from the list.")
        return {"choices": chosen}, ""
    text = str(raw).strip()
    if not (text.isascii() and text.lstrip("-").isdigit()):  # "50.5", "x" or "٥٠" are no answer
        if question.kind == QuestionKind.SCORE:
            return {}, _("A score from 0 to 100.")
        return {}, _("Choose one of the answers.")
    number = int(text)
    bounds = {
        QuestionKind.SCALE: (1, question.scale_max),
        QuestionKind.SINGLE: (0, len(question.choices) - 1),
        QuestionKind.SCORE: (0, 100),
    }[question.kind]
    if not bounds[0] <= number <= bounds[1]:
        if question.kind == QuestionKind.SCORE:
            return {}, _("A score from 0 to 100.")
        return {}, _("Choose one of the answers.")
    return {"number": number}, ""


def answers_clean(questionnaire, answers: dict) -> dict:
    """Question -> stored fields, for every answered question; a ValidationError keyed by question id
    (``q<id>``) lists every question that is wrong or missing."""
    cleaned, errors = {}, {}
    for question in questionnaire.questions.all():
        fields, problem = _answer(question, answers.get(str(question.pk)))
        if problem:
            errors[f"q{question.pk}"] = problem
        elif fields:
            cleaned[question] = fields
    if errors:
        raise ValidationError(errors)
    return cleaned


def evaluation_changed(enrollment_id: int) -> None:
    """The participant's personal page lists their forms: a new version shows the change at once."""
    version_bump(evaluation_version_key(enrollment_id))


def form_open_check(form, now) -> None:
    """Answers are taken only while the form is open: a ValidationError saying why not otherwise."""
    state = form.state(now)
    if state == UPCOMING:
        raise ValidationError(_("This form is not open yet."), code="not_open")
    if state == CLOSED:
        raise ValidationError(_("This form has closed: answers can no longer be changed."), code="closed")


def response_submit(*, form, enrollment, answers: dict, submission=None, now=None) -> Response:
    """Save the participant's answers (question id -> value) to the form, replacing earlier ones while the
    form is open. ``submission`` is the phone's id of this sending: sent again (a queue resent after a lost
    connection), it changes nothing."""
    now = now or timezone.now()
    if not is_for(form, enrollment):
        raise ValidationError(_("This form is not for you."), code="not_for_you")
    form_open_check(form, now)
    try:
        submission = uuid.UUID(str(submission)) if submission else uuid.uuid4()
    except ValueError:
        submission = uuid.uuid4()
    cleaned = answers_clean(form.questionnaire, answers)
    for _attempt in range(2):  # two phones sending the first answers at once: the second one updates
        try:
            with transaction.atomic():
                response = Response.objects.select_for_update().filter(form=form, enrollment=enrollment).first()
                if response is not None and response.submission == submission:
                    return response  # this very sending was applied already
                if response is None:
                    response = Response.objects.create(form=form, enrollment=enrollment, submission=submission)
                else:
                    response.submission = submission
                    response.save(update_fields=["submission", "updated_at"])
                    response.answers.all().delete()
                Answer.objects.bulk_create(Answer(response=response, question=q, **f) for q, f in cleaned.items())
                transaction.on_commit(lambda: evaluation_changed(enrollment.pk))
                return response
        except IntegrityError:
            continue
    raise ValidationError(_("The answers could not be saved: send them again."))
