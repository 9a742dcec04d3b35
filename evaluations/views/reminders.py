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
            last_sending=selectors.last_sending(self.program),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        services.reminder_sending_request(program=self.program, user=request.user)
        messages.info(request, _("The reminder e-mails are being sent; how many went out shows on this page."))
        return redirect("evaluations:reminders", program_pk=self.program.pk)
