"""Reminders by e-mail to the participants who have not yet filled in open forms, sent in the background:
a sending is a row (queued → running → done or failed) that one task claims once."""

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retreat.enums import JobStatus

from ..models import ReminderSending


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


def reminder_sending_request(*, program, user) -> ReminderSending:
    """Queue the e-mails; a worker sends them after the commit (in-process when there is no broker). A
    sending still queued or running is returned instead of a second one."""
    from ..tasks import task_send_reminders

    with transaction.atomic():
        pending = (
            ReminderSending.objects.select_for_update()
            .filter(program=program, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            .first()
        )
        if pending is not None:
            return pending
        sending = ReminderSending.objects.create(program=program, requested_by=user)
        transaction.on_commit(lambda: task_send_reminders.delay(str(sending.pk)))
    return sending


def reminder_sending_run(*, sending_id) -> ReminderSending | None:
    """Claim a queued sending and send to whoever has not filled in the open forms at this moment. A
    sending already claimed (a task delivered twice) sends nothing again."""
    from ..selectors.reminders import reminders_for_program

    with transaction.atomic():
        sending = ReminderSending.objects.select_for_update().select_related("program").filter(pk=sending_id).first()
        if sending is None or sending.status != JobStatus.QUEUED:
            return sending
        sending.status = JobStatus.RUNNING
        sending.save(update_fields=["status"])
    try:
        sent, skipped = reminders_email(program=sending.program, reminders=reminders_for_program(sending.program))
    except OSError as error:  # the mail server did not answer
        sending.status, sending.error = JobStatus.FAILED, str(error)[:500]
    else:
        sending.status, sending.sent, sending.skipped = JobStatus.DONE, sent, skipped
    sending.finished_at = timezone.now()
    sending.save(update_fields=["status", "sent", "skipped", "error", "finished_at"])
    return sending
