"""Reminders for the open forms: who has not filled in which, a WhatsApp message per person with their
personal link, a text for the group chat, and e-mails. Phone numbers are personal data: managers only."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..selectors import reminders as selectors
from ..services import reminders as services
from .forms import EvaluationsMixin


class RemindersView(EvaluationsMixin, TemplateView):
    access = "evaluations.manage_evaluations"
    template_name = "evaluations/reminders.html"

    def get_context_data(self, **kwargs):
        forms = selectors.open_forms(self.program)
        reminders = selectors.reminders_for_program(self.program)
        return super().get_context_data(
            open_forms=forms,
            reminders=reminders,
            group_text=selectors.group_text(self.program, forms, reminders),
            with_email=sum(1 for r in reminders if r.enrollment.participant.email),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        reminders = selectors.reminders_for_program(self.program)
        try:
            sent, skipped = services.reminders_email(program=self.program, reminders=reminders)
        except OSError:
            messages.error(
                request, _("The e-mails could not be sent: the mail server did not answer. Try again later.")
            )
        else:
            messages.success(request, _("E-mails sent: %(sent)d; without an e-mail address: %(skipped)d.")
                             % {"sent": sent, "skipped": skipped})  # fmt: skip
        return redirect("evaluations:reminders", program_pk=self.program.pk)
