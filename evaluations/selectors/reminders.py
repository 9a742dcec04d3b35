"""Who has not yet filled in which open forms, and the reminders to send them: a prefilled WhatsApp message
per person with their personal link, one text for the group chat. In a constant number of queries."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from participants.links import whatsapp_link
from participants.models import Enrollment
from participants.selectors import enrollments_for_program
from retreat import links
from retreat.formatting import program_datetime

from ..enums import PARTICIPANT_KINDS
from ..models import Form, ReminderSending, Response
from .forms import _audiences


@dataclass
class Reminder:
    enrollment: Enrollment
    forms: list[Form]
    link: str  # the personal link ("" when none was issued)
    message: str
    whatsapp: str  # a wa.me address with the message, "" without a usable phone number


def open_forms(program, now=None) -> list[Form]:
    """The participants' forms of the program open now, in the order they close."""
    now = now or timezone.now()
    return list(
        Form.objects.filter(
            program=program, questionnaire__kind__in=PARTICIPANT_KINDS, opens_at__lte=now, closes_at__gt=now
        )  # fmt: skip
        .select_related("questionnaire", "session")
        .order_by("closes_at", "pk")
    )


def reminder_text(program, enrollment, forms, link: str) -> str:
    values = {
        "name": enrollment.participant.display_name,
        "program": program.name,
        "forms": "; ".join(str(form) for form in forms),
        "link": link,
    }
    if link:
        return (
            _("Dear %(name)s, these evaluation forms of %(program)s are waiting for your answers: %(forms)s. "
              "Please fill them in through your personal page: %(link)s") % values
        )  # fmt: skip
    return (
        _("Dear %(name)s, these evaluation forms of %(program)s are waiting for your answers: %(forms)s. "
          "Please fill them in through your personal page.") % values
    )  # fmt: skip


def group_text(program, forms, reminders: list[Reminder]) -> str:
    """One message for the participants' group chat: the open forms with their closing times and who has
    not filled in all of them yet."""
    if not reminders:
        return ""
    lines = [_("Reminder to the participants of %(program)s: these evaluation forms are open.") % {
        "program": program.name}]  # fmt: skip
    pending = {form.pk for reminder in reminders for form in reminder.forms}
    for form in forms:
        if form.pk in pending:
            lines.append(_("- %(form)s (until %(closes)s)") % {
                "form": form, "closes": program_datetime(form.closes_at, program)})  # fmt: skip
    lines.append("")
    lines.append(_("Not filled in yet:"))
    lines += [f"{n}. {r.enrollment.participant.display_name}" for n, r in enumerate(reminders, start=1)]
    lines.append("")
    lines.append(_("Please fill them in through your personal page (the link you received). Thank you."))
    return "\n".join(lines)


def reminders_for_program(program, now=None) -> list[Reminder]:
    """One row per participant who has not filled in one or more open forms they are asked, in protocol
    order, with the forms and the messages to send."""
    forms = open_forms(program, now)
    if not forms:
        return []
    audiences = _audiences(program, forms)
    answered = set(
        Response.objects.filter(form__in=forms, enrollment__isnull=False).values_list("form_id", "enrollment_id")
    )
    reminders = []
    for enrollment in enrollments_for_program(program):
        pending = [f for f in forms if enrollment.pk in audiences[f.pk] and (f.pk, enrollment.pk) not in answered]
        if not pending:
            continue
        link = links.personal_url(enrollment.access_token) if enrollment.access_token else ""
        message = reminder_text(program, enrollment, pending, link)
        reminders.append(
            Reminder(enrollment, pending, link, message, whatsapp_link(enrollment.participant.phone, message))
        )
    return reminders


def last_sending(program):
    """The program's latest reminder e-mail sending, with who asked for it."""
    return ReminderSending.objects.filter(program=program).select_related("requested_by").first()
