"""Reminders by e-mail to the participants who have not yet filled in open forms."""

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.utils.translation import gettext as _


def reminders_email(*, program, reminders) -> tuple[int, int]:
    """Send each reminder (evaluations.selectors.reminders.Reminder) to its participant's e-mail address,
    through Django's mail backend in one connection. Returns (sent, skipped for having no address)."""
    subject = _("Evaluation forms waiting for you: %(program)s") % {"program": program.name}
    messages = [
        (subject, reminder.message, settings.DEFAULT_FROM_EMAIL, [reminder.enrollment.participant.email])
        for reminder in reminders
        if reminder.enrollment.participant.email
    ]
    sent = send_mass_mail(messages, fail_silently=False, connection=get_connection()) if messages else 0
    return sent, len(reminders) - len(messages)
