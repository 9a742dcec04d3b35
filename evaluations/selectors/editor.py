"""Reads of the questionnaire editor, in a constant number of queries."""

from django.db.models import Exists, OuterRef, Prefetch

from ..models import Answer, Form, Question, Section


def sections_for_editor(questionnaire) -> list[Section]:
    """The questionnaire's sections, each with its questions as ``question_list``; every question knows
    whether it has answers (``answered``): such a question keeps what it asks."""
    questions = Question.objects.order_by("position", "pk").annotate(
        answered=Exists(Answer.objects.filter(question=OuterRef("pk")))
    )
    return list(
        Section.objects.filter(questionnaire=questionnaire)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("questions", questions, to_attr="question_list"))
    )


def forms_of(questionnaire) -> list[Form]:
    """The forms that open the questionnaire, in the order they open."""
    return list(questionnaire.forms.select_related("session").order_by("opens_at", "pk"))


def question_answered(question) -> bool:
    return Answer.objects.filter(question=question).exists()
