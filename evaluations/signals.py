"""Speaker forms follow the agenda: a session that gains a speaker gets its form, one that loses them
loses its unanswered form (a deleted session takes its form with it)."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from sessions.models import Session

from .models import Questionnaire


@receiver(m2m_changed, sender=Session.speakers.through)
def speakers_changed(sender, instance, action, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or not isinstance(instance, Session):
        return
    if Questionnaire.objects.filter(program_id=instance.program_id).exists():
        from .services import forms_sync

        forms_sync(program=instance.program)
