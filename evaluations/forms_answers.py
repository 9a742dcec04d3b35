"""Answers as a form sends them and as a form shows them again: one reading for the participant's forms
(portal) and the facilitators' assessment."""

from retreat.params import whole_number

from .enums import QuestionKind

NUMBER_KINDS = (QuestionKind.SCALE, QuestionKind.SINGLE, QuestionKind.SCORE)


def answers_from_post(data) -> dict:
    """Question id (text) -> the value sent for ``q<id>``: a list when several were sent (multiple choice),
    else the one value. Other fields are left out."""
    answers = {}
    for key in data:
        if key.startswith("q") and whole_number(key[1:]) is not None:
            values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
            answers[key[1:]] = values if len(values) > 1 else (values[0] if values else "")
    return answers


def answers_to_show(answers: dict) -> dict:
    """Answers read by ``answers_from_post``, keyed by question id (a number) as the form shows them."""
    return {int(key): value for key, value in answers.items()}


def answer_shown(question, value):
    """An answer as the form shows it: numbers for choices, scales and scores (a re-shown post sends text)."""
    if value in (None, ""):
        return [] if question.kind == QuestionKind.MULTIPLE else value
    try:
        if question.kind == QuestionKind.MULTIPLE:
            return [int(v) for v in (value if isinstance(value, list) else [value])]
        if question.kind in NUMBER_KINDS:
            return int(value)
    except (TypeError, ValueError):
        return value
    return value
