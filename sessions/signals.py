"""Keeps participants' cached pages current: any change to what a schedule shows (a session, its
speakers, cohorts or groups, a venue, a speaker's name) gives the programs concerned a new agenda
version, whether it came through a service, an import or the admin site."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Session, Speaker, Venue
from .selectors import agenda_changed


@receiver([post_save, post_delete], sender=Session)
@receiver([post_save, post_delete], sender=Venue)
def _session_or_venue_changed(sender, instance, **kwargs):
    agenda_changed([instance.program_id])


@receiver([post_save, post_delete], sender=Speaker)
def _speaker_changed(sender, instance, **kwargs):
    agenda_changed(Session.objects.filter(speakers=instance).values_list("program_id", flat=True))


@receiver(m2m_changed, sender=Session.speakers.through)
@receiver(m2m_changed, sender=Session.cohorts.through)
@receiver(m2m_changed, sender=Session.groups.through)
def _audience_or_speakers_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Session):
        agenda_changed([instance.program_id])
