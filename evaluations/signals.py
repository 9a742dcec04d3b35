"""Speaker forms follow the agenda: a learning session that gains a speaker gets its form, one that loses
them (or stops counting for JP) loses its unanswered form (a deleted session takes its form with it)."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from sessions.models import Session

from .models import Questionnaire


def _sync(session) -> None:
    if Questionnaire.objects.filter(program_id=session.program_id).exists():
        from .services.forms import forms_sync

        forms_sync(program=session.program)


@receiver(m2m_changed, sender=Session.speakers.through)
def speakers_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Session):
        _sync(instance)


@receiver(post_save, sender=Session)
def session_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:  # a new session has no speakers yet; it may stop counting for JP
        _sync(instance)
