import datetime as dt
import json
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from participants.models import Enrollment
from retreat.access import ProgramMixin
from retreat.documents import label_for
from retreat.downloads import attachment
from retreat.params import whole_number, whole_numbers
from retreat.services import export_record
from sessions.conflicts import session_audiences
from sessions.models import Session
from sessions.selectors import agenda_days

from . import selectors, services
from .documents import ATTENDANCE_RECAP, ATTENDANCE_SET, ATTENDANCE_SET_ZIP
from .enums import STATUS_LETTERS, AttendanceStatus, CheckinMethod
from .exports import recap_xlsx
from .forms import ReopenForm, SettingsForm
from .models import Register

MAX_BATCH = 500


class AttendanceMixin(ProgramMixin):
    tab = "attendance"


class SessionMixin(AttendanceMixin):
    """A session of the program in the URL; one of another program is a 404."""

    def get_session(self) -> Session:
        if not hasattr(self, "_session"):
            self._session = get_object_or_404(
                Session.objects.select_related("program", "venue"), program=self.program, pk=self.kwargs["session_pk"]
            )
        return self._session


class AttendanceHomeView(AttendanceMixin, TemplateView):
    """The program's sessions by day with their registers; the one running now (program clock) first."""

    access = "attendance.view_attendance"
    template_name = "attendance/home.html"

    def get_context_data(self, **kwargs):
        program, user = self.program, self.request.user
        sessions = selectors.sessions_with_registers(program)
        return super().get_context_data(
            days=[day for day in agenda_days(program, sessions) if day.sessions],
            now_session=selectors.session_now(sessions),
            can_record=user.has_perm("attendance.record_attendance", program),
            can_configure=user.has_perm("attendance.change_attendance_settings", program),
            print_all=[(kind, label_for(kind)) for kind in (ATTENDANCE_SET, ATTENDANCE_SET_ZIP, ATTENDANCE_RECAP)],
            **kwargs,
        )


def _event_time(value) -> dt.datetime:
    """The phone's time of a check-in; one from the future (a wrong phone clock) counts as now."""
    moment = parse_datetime(value) if isinstance(value, str) else None
    now = timezone.now()
    if moment is None or timezone.is_naive(moment) or moment > now:
        return now
    return moment


class RollCallView(SessionMixin, TemplateView):
    """The facilitator's phone page: the session's audience with one tap per status, search, live counts,
    and a queue that keeps taps made without signal until they are sent."""

    access = "attendance.record_attendance"
    template_name = "attendance/roll_call.html"

    def get_context_data(self, **kwargs):
        session = self.get_session()
        user = self.request.user
        return super().get_context_data(
            session=session,
            call=selectors.roll_call(session),
            statuses=[(value, label, STATUS_LETTERS[value]) for value, label in AttendanceStatus.choices],
            can_close=user.has_perm("attendance.close_register", self.program),
            can_correct=user.has_perm("attendance.correct_attendance", self.program),
            reopen_form=ReopenForm(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """One tap without JavaScript: a plain form post, then back to the list."""
        session = self.get_session()
        pk = whole_number(request.POST.get("enrollment"))
        enrollment = (
            Enrollment.objects.select_related("participant").filter(program=self.program, pk=pk).first()
            if pk is not None
            else None
        )
        if enrollment is None:
            messages.error(request, _("Choose a participant of this program."))
            return redirect("attendance:roll_call", program_pk=self.program.pk, session_pk=session.pk)
        try:
            result = _apply(request, session, enrollment, request.POST.get("status", ""), request.POST.get("note", ""),
                            timezone.now())  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            (messages.success if result.outcome == "saved" else messages.info)(request, result.message)
        return redirect("attendance:roll_call", program_pk=self.program.pk, session_pk=session.pk)


class ScanView(SessionMixin, TemplateView):
    """QR check-in with the phone's camera (or a photo): the ID card and personal page QR codes hold the
    personal link, which names the participant."""

    access = "attendance.record_attendance"
    template_name = "attendance/scan.html"

    def get_context_data(self, **kwargs):
        session = self.get_session()
        return super().get_context_data(session=session, call=selectors.roll_call(session), **kwargs)


def _apply(request, session, enrollment, status, note, occurred_at, *, method=CheckinMethod.ROLL_CALL,
           event_id=None, audience=None):  # fmt: skip
    """A tap by a facilitator is a roll call; an organizer's tap that changes a record corrects it."""
    may_correct = request.user.has_perm("attendance.correct_attendance", session.program)
    return services.checkin_apply(session=session, enrollment=enrollment, status=status, note=note,
                                  occurred_at=occurred_at, method=method, user=request.user, event_id=event_id,
                                  audience=audience, may_correct=may_correct)  # fmt: skip


class CheckinBatchView(SessionMixin, View):
    """Check-ins sent by the roll-call page, live or from its offline queue: each has the phone's own id and
    time and is applied at most once, so a batch sent twice changes nothing."""

    access = "attendance.record_attendance"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        events = []  # a post without a JSON body asks only for the counts
        if request.content_type == "application/json":
            try:
                events = json.loads(request.body or b"{}").get("events", [])
            except (ValueError, AttributeError):
                events = None
        if not isinstance(events, list) or len(events) > MAX_BATCH:
            return JsonResponse({"error": _("The check-ins could not be read.")}, status=400)
        audience = session_audiences(self.program, [session])[session.pk]
        events = [event for event in events if isinstance(event, dict)]
        enrollments = _enrollments_named(self.program, events)
        results = []
        for event in events:
            result = {"id": str(event.get("id", "")), "enrollment": str(event.get("enrollment", ""))}
            enrollment = enrollments.get(("enrollment", result["enrollment"])) or enrollments.get(
                ("token", str(event.get("token", "")))
            )
            method = CheckinMethod.QR if event.get("method") == CheckinMethod.QR else CheckinMethod.ROLL_CALL
            try:
                event_id = uuid.UUID(result["id"])
                if enrollment is None:
                    raise ValidationError(_("This participant is not in the program."))
                result["enrollment"] = str(enrollment.pk)
                outcome = _apply(request, session, enrollment, str(event.get("status", "")),
                                 str(event.get("note", ""))[:300], _event_time(event.get("occurred_at")),
                                 method=method, event_id=event_id, audience=audience)  # fmt: skip
            except (ValueError, ValidationError) as exc:
                detail = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("Unreadable check-in.")
                # A closed register may be reopened: the phone keeps that check-in and sends it again later.
                retry = getattr(exc, "code", None) == "closed"
                result.update(outcome="waiting" if retry else "refused", message=detail)
            else:
                result.update(outcome=outcome.outcome, message=outcome.message)
                if outcome.record is not None:
                    record = outcome.record
                    result.update(status=record.status, label=record.get_status_display(), note=record.note)
            results.append(result)
        return JsonResponse({"results": results, "counts": selectors.session_counts(session, audience)})


def _enrollments_named(program, events) -> dict:
    """The program's enrollments the events name, by id (roll call) or by personal-link token (QR), in
    two queries at most. A token of another program, or a revoked one, names nobody."""
    ids = {str(pk) for pk in whole_numbers(e.get("enrollment") for e in events)}
    tokens = {str(e.get("token")) for e in events if e.get("token")}
    found = {}
    active = Enrollment.objects.select_related("participant").filter(program=program)
    if ids:
        found.update({("enrollment", str(e.pk)): e for e in active.filter(pk__in=ids)})
    if tokens:
        found.update({("token", e.access_token): e for e in active.filter(access_token__in=tokens)})
    return found


class RegisterCloseView(SessionMixin, View):
    access = "attendance.close_register"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        try:
            count = services.register_close(session=session, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Register closed; %(count)d marked absent without notice (alpa).")
                             % {"count": count})  # fmt: skip
        return redirect("attendance:roll_call", program_pk=self.program.pk, session_pk=session.pk)


class RegisterReopenView(SessionMixin, View):
    access = "attendance.close_register"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        form = ReopenForm(request.POST)
        try:
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.register_reopen(session=session, user=request.user, reason=reason)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The register is open again."))
        return redirect("attendance:roll_call", program_pk=self.program.pk, session_pk=session.pk)


class SessionHistoryView(SessionMixin, TemplateView):
    """Every change of every record of a session, and of its register: who, when, from what, and why."""

    access = "attendance.correct_attendance"
    template_name = "attendance/history.html"

    def get_context_data(self, **kwargs):
        session = self.get_session()
        return super().get_context_data(session=session, **selectors.history_of_session(session), **kwargs)


class RecapView(AttendanceMixin, TemplateView):
    access = "attendance.view_attendance"
    template_name = "attendance/recap.html"

    def get_context_data(self, **kwargs):
        program = self.program
        cohort, group = self.request.GET.get("angkatan", ""), self.request.GET.get("kelompok", "")
        return super().get_context_data(
            recap=selectors.recap(program, cohort=cohort, group=group),
            cohorts=list(program.cohorts.all()),
            groups=list(program.groups.all()),
            cohort=cohort,
            group=group,
            can_export=self.request.user.has_perm("attendance.export_attendance", program),
            show_personal_data=self.request.user.has_perm("retreat.view_personal_data", program),
            **kwargs,
        )


class RecapExportView(AttendanceMixin, View):
    access = "attendance.export_attendance"

    def get(self, request, *args, **kwargs):
        program = self.program
        recap = selectors.recap(program, cohort=request.GET.get("angkatan", ""), group=request.GET.get("kelompok", ""))
        export_record(program=program, user=request.user, what=_("Attendance recap"), file_format="XLSX",
                      rows=len(recap.rows))  # fmt: skip
        may_see = request.user.has_perm("retreat.view_personal_data", program)
        return attachment(recap_xlsx(program, recap, show_personal_data=may_see),
                          f"rekap-presensi-{slugify(program.name)[:60]}.xlsx")  # fmt: skip


class SettingsView(AttendanceMixin, TemplateView):
    access = "attendance.change_attendance_settings"
    template_name = "attendance/settings.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SettingsForm(instance=services.settings_for(self.program)))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = SettingsForm(request.POST, instance=services.settings_for(self.program))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        services.settings_update(program=self.program, data=form.cleaned_data)
        messages.success(request, _("Attendance settings saved."))
        return redirect("attendance:home", program_pk=self.program.pk)


class SelfCheckinSwitchView(SessionMixin, View):
    """Turn self check-in on or off for a session (the room's screen then shows the codes)."""

    access = "attendance.close_register"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        enabled = request.POST.get("enabled") == "1"
        try:
            services.self_checkin_switch(session=session, user=request.user, enabled=enabled)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("attendance:roll_call", program_pk=self.program.pk, session_pk=session.pk)
        if enabled:
            return redirect("attendance:screen", program_pk=self.program.pk, session_pk=session.pk)
        messages.info(request, _("Self check-in is off for this session."))
        return redirect("attendance:roll_call", program_pk=self.program.pk, session_pk=session.pk)


class SelfCheckinScreenView(SessionMixin, TemplateView):
    """The room's screen (a projector, full screen): the current code and its QR code, renewed every 30
    seconds. htmx asks for the code part alone every few seconds; opened on its own it is the whole page."""

    access = "attendance.close_register"
    template_name = "attendance/screen.html"

    def get_template_names(self):
        return ["attendance/partials/screen_code.html"] if self.request.htmx else [self.template_name]

    def get_context_data(self, **kwargs):
        import segno

        from .codes import code_for, interval_of, qr_text, seconds_left

        session = self.get_session()
        register = Register.objects.filter(session=session).first()
        now = timezone.now()
        code = (
            code_for(register, interval_of(now))
            if register and register.self_checkin and not register.is_closed
            else ""
        )
        qr = (
            segno.make(qr_text(register, code), error="m").svg_inline(scale=10, border=2, omitsize=True) if code else ""
        )
        return super().get_context_data(session=session, register=register, code=code, qr=qr,
                                        seconds_left=seconds_left(now), **kwargs)  # fmt: skip
