from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_htmx.http import reswap, retarget

from retreat.access import ProgramMixin, PublicMixin
from retreat.forms import add_service_errors
from retreat.links import site_url
from retreat.models import Program
from retreat.selectors import document_jobs_for_program

from . import selectors, services
from .calendar import calendar_for_sessions, ics_response
from .documents import AGENDA
from .forms import CopyAgendaForm, SessionForm, SpeakerForm, TemplateForm, VenueForm
from .models import Session, Speaker, Venue


class AgendaMixin(ProgramMixin):
    access = "retreat_sessions.view_agenda"
    tab = "agenda"

    def agenda_context(self) -> dict:
        program = self.program
        return {
            "program": program,
            **selectors.agenda_overview(program),
            "can_manage": self.request.user.has_perm("retreat_sessions.manage_agenda", program),
        }

    def render_agenda(self):
        return TemplateResponse(self.request, "retreat_sessions/partials/agenda.html", self.agenda_context())


class AgendaView(AgendaMixin, TemplateView):
    template_name = "retreat_sessions/agenda.html"

    def get_context_data(self, **kwargs):
        program = self.program
        context = super().get_context_data(**self.agenda_context(), **kwargs)
        context.update(
            venues=Venue.objects.filter(program=program),
            venue_form=VenueForm(),
            speaker_form=SpeakerForm(),
            speakers=Speaker.objects.filter(institution__in=program.institution_ids),
            template_form=TemplateForm(),
            copy_form=CopyAgendaForm(sources=selectors.programs_to_copy_from(self.request.user, program)),
            jobs=document_jobs_for_program(program, kinds=[AGENDA]),
            calendar_url=(
                site_url() + reverse("sessions:program_calendar", kwargs={"token": program.calendar_token})
                if program.calendar_token
                else ""
            ),
        )
        return context


class SessionFormView(AgendaMixin, TemplateView):
    """Add or edit a session: a panel beside the timeline with htmx (wide screens), a page of its own
    without (a new tab, phones and tablets: session_editor.js sends narrow screens here), which saves with
    a plain POST and returns to the session on the agenda."""

    access = "retreat_sessions.manage_agenda"
    template_name = "retreat_sessions/session_form.html"

    def get_session(self) -> Session | None:
        pk = self.kwargs.get("session_pk")
        return get_object_or_404(Session, program=self.program, pk=pk) if pk else None

    def get(self, request, *args, **kwargs):
        session = self.get_session()
        initial = {"day": request.GET.get("day")} if request.GET.get("day") else None
        form = SessionForm(instance=session, program=self.program, initial=initial)
        return self.render_form(form, session)

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        form = SessionForm(request.POST, instance=session, program=self.program)
        if form.is_valid():
            try:
                saved = services.session_save(program=self.program, session=session, **form.read_at(),
                                              **form.session_fields())  # fmt: skip
            except services.StaleSession as exc:  # the input stays; saving it again is accepted once checked
                form.read_again(exc.session)
                add_service_errors(form, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if request.htmx:
                    return self.render_agenda()
                messages.success(request, _("Session saved."))
                return redirect(self.agenda_url(saved))
        response = self.render_form(form, session)
        return reswap(retarget(response, "#editor"), "innerHTML") if request.htmx else response

    def agenda_url(self, session: Session | None) -> str:
        """The agenda, scrolled to the session (the one saved, or the one whose editing was left)."""
        url = reverse("sessions:agenda", kwargs={"program_pk": self.program.pk})
        return f"{url}#session-{session.pk}" if session else url

    def render_form(self, form, session):
        panel = bool(self.request.htmx)
        template = "retreat_sessions/partials/session_form.html" if panel else self.template_name
        context = {"form": form, "session": session, "program": self.program, "tab": self.tab, "panel": panel,
                   "back_url": self.agenda_url(session)}  # fmt: skip
        return TemplateResponse(self.request, template, context)


class SessionActionMixin(AgendaMixin):
    """A POST on one session of the program; htmx gets the timeline back, a form post the agenda page."""

    access = "retreat_sessions.manage_agenda"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = get_object_or_404(Session.objects.select_related("program", "venue"), program=self.program,
                                    pk=self.kwargs["session_pk"])  # fmt: skip
        try:
            self.act(session)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if request.htmx:
            return self.render_agenda()
        return redirect("sessions:agenda", program_pk=self.program.pk)

    def act(self, session: Session) -> None:
        raise NotImplementedError


class SessionDuplicateView(SessionActionMixin, View):
    def act(self, session):
        services.session_duplicate(session=session)


class SessionMoveView(SessionActionMixin, View):
    """Move by minutes and/or days (the +15′ and +1 d buttons)."""

    def act(self, session):
        try:
            minutes, days = int(self.request.POST.get("minutes", 0)), int(self.request.POST.get("days", 0))
            version = int(self.request.POST["version"]) if self.request.POST.get("version") else None
        except ValueError:
            raise Http404 from None
        services.session_move(session=session, minutes=minutes, days=days, read_version=version)


class SessionDeleteView(SessionActionMixin, View):
    def act(self, session):
        services.session_delete(session=session)


class AgendaActionMixin(AgendaMixin):
    """A POST that changes the whole agenda, then back to the agenda page with a message."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            self.act(request, self.program)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("sessions:agenda", program_pk=self.program.pk)

    def act(self, request, program) -> None:
        raise NotImplementedError


class AgendaTemplateView(AgendaActionMixin, View):
    """Start from a built-in agenda template."""

    access = "retreat_sessions.manage_agenda"

    def act(self, request, program):
        form = TemplateForm(request.POST)
        if form.is_valid():
            count = services.agenda_apply_template(program=program, template=form.cleaned_data["template"])
            messages.success(request, _("%(count)d sessions added from the template.") % {"count": count})
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))


class AgendaCopyView(AgendaActionMixin, View):
    """Copy another program's agenda, dates shifted."""

    access = "retreat_sessions.manage_agenda"

    def act(self, request, program):
        form = CopyAgendaForm(request.POST, sources=selectors.programs_to_copy_from(request.user, program))
        if form.is_valid():
            count = services.agenda_copy(program=program, source=form.cleaned_data["source"])
            messages.success(request, _("%(count)d sessions copied, dates shifted.") % {"count": count})
        else:
            messages.error(request, _("Choose a program to copy from."))


class AgendaPublishView(AgendaActionMixin, View):
    access = "retreat_sessions.publish_agenda"

    def act(self, request, program):
        services.agenda_publish(program=program)
        messages.success(request, _("The agenda is published: participants see it on their pages."))


class AgendaUnpublishView(AgendaActionMixin, View):
    access = "retreat_sessions.publish_agenda"

    def act(self, request, program):
        services.agenda_unpublish(program=program)
        messages.info(request, _("The agenda is hidden from participants again."))


class CalendarFeedView(AgendaActionMixin, View):
    """Open the program's calendar feed (a secret address)."""

    access = "retreat_sessions.share_calendar"

    def act(self, request, program):
        services.calendar_token_ensure(program=program)


class CalendarRenewView(AgendaActionMixin, View):
    """A new secret address for the calendar feed; the old one stops answering."""

    access = "retreat_sessions.share_calendar"

    def act(self, request, program):
        services.calendar_token_renew(program=program)
        messages.success(
            request, _("The calendar feed has a new address; the old one no longer works. Share the new one again.")
        )


class CalendarRevokeView(AgendaActionMixin, View):
    """No calendar feed address at all, until a new one is made."""

    access = "retreat_sessions.share_calendar"

    def act(self, request, program):
        services.calendar_token_revoke(program=program)
        messages.info(request, _("The calendar feed address is revoked: nobody can open it any more."))


class SpeakerSaveView(AgendaMixin, View):
    access = "retreat_sessions.manage_agenda"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = SpeakerForm(request.POST)
        if form.is_valid():
            speaker = services.speaker_save(program=self.program, **form.cleaned_data)
            messages.success(request, _("Speaker added: %(name)s.") % {"name": speaker.display_name})
        else:
            messages.error(
                request, " ".join(f"{form[f].label}: {e}" for f, errors in form.errors.items() for e in errors)
            )
        return redirect("sessions:agenda", program_pk=self.program.pk)


class VenueSaveView(AgendaMixin, View):
    access = "retreat_sessions.manage_agenda"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        venue = None
        if self.kwargs.get("venue_pk"):
            venue = get_object_or_404(Venue, program=self.program, pk=self.kwargs["venue_pk"])
        form = VenueForm(request.POST, instance=venue)
        if form.is_valid():
            try:
                services.venue_save(program=self.program, venue=venue, **form.cleaned_data)
                messages.success(request, _("Venue saved."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("sessions:agenda", program_pk=self.program.pk)


# --- Feeds ----------------------------------------------------------------------------------------


class ProgramCalendarView(PublicMixin, View):
    """The program's agenda as a subscribable calendar, behind a secret address; published agendas only."""

    def get(self, request, token):
        program = Program.objects.filter(calendar_token=token, agenda_published_at__isnull=False).first()
        if program is None:
            raise Http404
        sessions = list(selectors.sessions_for_program(program))
        return ics_response(
            calendar_for_sessions(program=program, sessions=sessions, name=program.name, site_url=site_url()),
            "jadwal",
        )
