"""Keeps participants' cached pages current: any change to what a schedule shows (a session, its
speakers, cohorts or groups, a venue, a speaker's name) gives the programs concerned a new agenda
version, whether it came through a service, an import or the admin site. Also answers participants'
``groups_removing``: groups that sessions are planned for are not removed. Sends ``session_removing`` for
the apps above it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import Signal, receiver
from django.utils.translation import gettext as _

from participants.models import DiscussionGroup
from participants.signals import groups_removing
from retreat.models import Cohort

from .models import Session, Speaker, Venue
from .selectors import agenda_changed

# Sent before a session is deleted (kwargs: session). A receiver that still needs the session (answers given
# to it) raises ValidationError with the reason; nothing is deleted then.
session_removing = Signal()


def _after_commit(program_ids) -> None:
    # Now, and again after commit: a page rendered before the commit would otherwise be cached, still
    # old, under the new version.
    program_ids = list(program_ids)
    agenda_changed(program_ids)
    transaction.on_commit(lambda: agenda_changed(program_ids))


@receiver([post_save, post_delete], sender=Session)
@receiver([post_save, post_delete], sender=Venue)
@receiver([post_save, post_delete], sender=Cohort)
@receiver([post_save, post_delete], sender=DiscussionGroup)
def _program_part_changed(sender, instance, **kwargs):
    _after_commit([instance.program_id])


@receiver(post_save, sender=Speaker)
@receiver(pre_delete, sender=Speaker)  # before its links to sessions are gone
def _speaker_changed(sender, instance, **kwargs):
    _after_commit(Session.objects.filter(speakers=instance).values_list("program_id", flat=True).distinct())


@receiver(m2m_changed, sender=Session.speakers.through)
@receiver(m2m_changed, sender=Session.cohorts.through)
@receiver(m2m_changed, sender=Session.groups.through)
def _audience_or_speakers_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Session):
        _after_commit([instance.program_id])


@receiver(groups_removing)
def _refuse_removing_targeted_groups(sender, program, group_count, **kwargs):
    """Forming fewer groups is refused while sessions are planned for the groups that would go."""
    targeted = Session.objects.filter(program=program, groups__number__gt=group_count).values_list("title", flat=True)
    if targeted:
        raise ValidationError(
            _("Sessions are planned for the groups that would go (%(sessions)s): change their audience first.")
            % {"sessions": ", ".join(sorted(set(targeted))[:5])}
        )
