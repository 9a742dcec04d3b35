"""Writes of the facilitators' assessment: one response per form and assessed participant; a facilitator
saving it again, or another one, updates it and becomes its assessor."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import QuestionnaireKind
from ..models import Answer, Response
from .forms import answers_clean, form_open_check


def assessment_submit(*, form, subject, assessor, answers: dict, now=None) -> Response:
    """Save the assessor's answers (question id -> value) about ``subject`` while the form is open,
    replacing any earlier assessment of that participant on the form."""
    now = now or timezone.now()
    if form.questionnaire.kind != QuestionnaireKind.ASSESSMENT or subject.program_id != form.program_id:
        raise ValidationError(_("This is not an assessment of this program's participants."), code="not_assessment")
    form_open_check(form, now)
    cleaned = answers_clean(form.questionnaire, answers)
    for _attempt in range(2):  # two facilitators saving the first assessment at once: the second updates it
        try:
            with transaction.atomic():
                response = Response.objects.select_for_update().filter(form=form, subject=subject).first()
                if response is None:
                    response = Response.objects.create(form=form, subject=subject, assessor=assessor)
                else:
                    response.assessor = assessor
                    response.save(update_fields=["assessor", "updated_at"])
                    response.answers.all().delete()
                Answer.objects.bulk_create(Answer(response=response, question=q, **f) for q, f in cleaned.items())
                return response
        except IntegrityError:
            continue
    raise ValidationError(_("The answers could not be saved: send them again."))
