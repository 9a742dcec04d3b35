"""Writes of the questionnaire editor: a program's questionnaire, its sections and questions, and when each
form opens and closes. A question someone has answered keeps what it asks (its answers would otherwise
mean something else); its ``required`` flag and its place may still change, and so may a test question's
correct answer (a wrong answer key is fixed: scores are computed when they are read)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..builtin import AGREE_4, OFTEN_5
from ..enums import QuestionKind, QuestionnaireKind
from ..models import Answer, Question, Section

# What a question asks: fixed once it has answers.
ASKED_FIELDS = ("text", "kind", "scale_max", "scale_labels", "choices", "correct_choice")
# What may change on an answered question too.
FREE_FIELDS = ("required", "key", "section")
# What may also change on an answered question of a test: its answer key, when it was wrong.
TEST_FREE_FIELDS = ("correct_choice",)
DEFAULT_SCALE_LABELS = {4: AGREE_4, 5: OFTEN_5}
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


def question_change_check(*, question, changed: set[str] | None) -> None:
    """The one rule on answered questions: ``changed`` names the fields a change would alter (None: the
    question is to be deleted). Raises ValidationError when the question has answers and the change
    touches what it asks, or deletes it. A test question's correct answer may change: the participants'
    answers keep their meaning, only the key they are scored against is fixed."""
    if question.pk is None:
        return
    asked = set(ASKED_FIELDS)
    if question.questionnaire.kind == QuestionnaireKind.TEST:
        asked -= set(TEST_FREE_FIELDS)
    touches_asked = changed is None or bool(set(changed) & asked)
    if touches_asked and Answer.objects.filter(question=question).exists():
        raise ValidationError(_("This question already has answers: add a new question instead."), code="answered")


@transaction.atomic
def questionnaire_update(*, questionnaire, title: str, intro: str, required: bool):
    questionnaire.title, questionnaire.intro, questionnaire.required = title.strip(), intro.strip(), required
    questionnaire.full_clean(exclude=["program", "kind"])
    questionnaire.save(update_fields=["title", "intro", "required"])
    return questionnaire


@transaction.atomic
def section_add(*, questionnaire, title: str) -> Section:
    last = questionnaire.sections.aggregate(last=Max("position"))["last"]
    section = Section(questionnaire=questionnaire, title=title.strip(), position=0 if last is None else last + 1)
    section.full_clean()
    section.save()
    return section


def _question_fields(questionnaire, fields: dict) -> dict:
    """The stored values of a question from what the organizer entered; a ValidationError names each
    field that is wrong."""
    kind = fields["kind"]
    data = {
        "section": fields["section"],
        "kind": kind,
        "text": (fields.get("text") or "").strip(),
        "required": bool(fields.get("required")),
        "key": (fields.get("key") or "").strip(),
        "scale_max": (fields.get("scale_max") or 4) if kind == QuestionKind.SCALE else 4,
        "scale_labels": [],
        "choices": [],
        "correct_choice": None,
    }
    errors = {}
    if data["section"].questionnaire_id != questionnaire.pk:
        errors["section"] = _("Choose a section of this questionnaire.")
    if kind == QuestionKind.SCALE:
        labels = [label.strip() for label in fields.get("scale_labels") or [] if label.strip()]
        if not labels:
            labels = list(DEFAULT_SCALE_LABELS.get(data["scale_max"], []))
        if len(labels) != data["scale_max"]:
            errors["scale_labels"] = _("Give one label per point of the scale: %(count)d lines.") % {
                "count": data["scale_max"]
            }
        data["scale_labels"] = labels
    if kind in CHOICE_KINDS:
        choices = [choice.strip() for choice in fields.get("choices") or [] if choice.strip()]
        if len(choices) < 2:
            errors["choices"] = _("Give at least two choices, one per line.")
        data["choices"] = choices
        correct = fields.get("correct_choice")  # counted from 1, as the organizer sees the list
        if correct is not None:
            if questionnaire.kind != QuestionnaireKind.TEST or kind != QuestionKind.SINGLE:
                errors["correct_choice"] = _("Only single-choice questions of a test have a correct answer.")
            elif not 1 <= correct <= len(choices):
                errors["correct_choice"] = _("The number of one of the choices, from 1 to %(count)d.") % {
                    "count": len(choices)
                }
            else:
                data["correct_choice"] = correct - 1
        elif questionnaire.kind == QuestionnaireKind.TEST and kind == QuestionKind.SINGLE:
            errors["correct_choice"] = _("A test question needs its correct answer, to score the test.")
    elif fields.get("correct_choice") is not None:
        errors["correct_choice"] = _("Only single-choice questions of a test have a correct answer.")
    if kind == QuestionKind.SCORE and questionnaire.kind != QuestionnaireKind.ASSESSMENT:
        errors["kind"] = _("Scores from 0 to 100 are for the facilitators' assessment only.")
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def question_add(*, questionnaire, **fields) -> Question:
    """A new question at the end of its section."""
    data = _question_fields(questionnaire, fields)
    last = Question.objects.filter(section=data["section"]).aggregate(last=Max("position"))["last"]
    question = Question(questionnaire=questionnaire, position=0 if last is None else last + 1, **data)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_update(*, question, **fields) -> Question:
    """Change a question; refused (ValidationError, nothing saved) when it has answers and the change
    touches what it asks."""
    question = Question.objects.select_for_update().select_related("questionnaire").get(pk=question.pk)
    data = _question_fields(question.questionnaire, fields)
    changed = {name for name, value in data.items() if getattr(question, name) != value}
    question_change_check(question=question, changed=changed)
    if "section" in changed:
        last = Question.objects.filter(section=data["section"]).aggregate(last=Max("position"))["last"]
        question.position = 0 if last is None else last + 1
    for name, value in data.items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_delete(*, question) -> None:
    question_change_check(question=question, changed=None)
    question.delete()


@transaction.atomic
def question_move(*, question, up: bool) -> None:
    """One place up or down within its section (positions renumbered 0, 1, 2 … on the way)."""
    siblings = list(
        Question.objects.select_for_update().filter(section_id=question.section_id).order_by("position", "pk")
    )
    index = next(n for n, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    Question.objects.bulk_update(siblings, ["position"])


@transaction.atomic
def form_times_update(*, form, opens_at, closes_at):
    """When a form opens and closes (aware datetimes); it closes after it opens. Times set here are kept:
    a speaker form no longer follows its session when the session moves."""
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The form must close after it opens.")})
    form.opens_at, form.closes_at, form.times_edited = opens_at, closes_at, True
    form.save(update_fields=["opens_at", "closes_at", "times_edited"])
    return form
