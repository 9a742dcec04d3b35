"""Forms follow the program and its agenda: a learning session that gains a speaker gets its form, one that
loses them (or stops counting for JP) loses its unanswered form; a session that moves takes its form
along, and the program's forms move with its dates (unless an organizer set a form's times)."""

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from retreat.models import Program
from sessions.models import Session
from sessions.signals import session_removing

from .models import Questionnaire, Response


def _sync(program) -> None:
    if Questionnaire.objects.filter(program=program).exists():
        from .services.forms import forms_sync

        forms_sync(program=program)


@receiver(m2m_changed, sender=Session.speakers.through)
def speakers_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Session):
        _sync(instance.program)


@receiver(post_save, sender=Session)
def session_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:  # a new session has no speakers yet; it may stop counting for JP
        _sync(instance.program)


@receiver(post_save, sender=Program)
def program_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    moved = update_fields is None or {"start_date", "end_date", "timezone"} & set(update_fields)
    if not raw and not created and moved:  # its dates may have moved
        _sync(instance)


@receiver(session_removing)
def session_removing_keeps_answers(sender, session, **kwargs):
    """A session whose speaker evaluation has answers stays: deleting it would delete them."""
    answered = Response.objects.filter(form__session=session).count()
    if answered:
        raise ValidationError(
            _("%(title)s has %(count)d speaker evaluation responses: it cannot be deleted, or they would be "
              "lost.") % {"title": session.title, "count": answered}
        )  # fmt: skip
