from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from retreat.access import ProgramMixin
from retreat.downloads import attachment
from retreat.models import Cohort
from retreat.params import whole_number
from retreat.selectors import document_jobs_for_program
from retreat.services import export_record

from . import selectors, services
from .documents import GROUP_LIST, personal_url, qr_svg
from .exports import export_csv, export_xlsx
from .forms import (
    EnrollmentFilterForm,
    EnrollmentForm,
    GroupFormationForm,
    ImportMappingForm,
    ImportUploadForm,
    ParticipantForm,
)
from .grouping import group_count_for_size
from .importing import ImportFileError
from .importing.results import imports_for_program, refused_file
from .links import whatsapp_link
from .models import DiscussionGroup, Enrollment, ParticipantImport


class EnrollmentMixin(ProgramMixin):
    """An enrollment of the program in the URL; one of another program is a 404."""

    tab = "participants"

    def get_enrollment(self) -> Enrollment:
        return get_object_or_404(
            Enrollment.objects.select_related("participant", "group", "cohort", "program"),
            program=self.program,
            pk=self.kwargs["enrollment_pk"],
        )


class EnrollmentListView(ProgramMixin, ListView):
    access = "participants.view_enrollments"
    template_name = "participants/enrollment_list.html"
    tab = "participants"
    paginate_by = 50
    context_object_name = "enrollments"

    def get_queryset(self):
        self.cohorts = list(Cohort.objects.filter(program=self.program).order_by("name"))
        self.filter_form = EnrollmentFilterForm(
            self.request.GET or None,
            groups=list(DiscussionGroup.objects.filter(program=self.program)),
            cohorts=self.cohorts,
        )
        search_nip = self.request.user.has_perm("retreat.view_personal_data", self.program)
        return selectors.enrollments_filtered(self.program, search_nip=search_nip, **self.filter_form.filters())

    def get_context_data(self, **kwargs):
        user = self.request.user
        query = self.request.GET.copy()
        query.pop("page", None)
        context = super().get_context_data(
            filter_form=self.filter_form,
            units=selectors.units_for_program(self.program),
            has_cohorts=bool(self.cohorts),
            query=query.urlencode(),
            can_manage=user.has_perm("participants.manage_enrollments", self.program),
            show_personal_data=user.has_perm("retreat.view_personal_data", self.program),
            **kwargs,
        )
        if context["is_paginated"]:
            context["page_range"] = context["paginator"].get_elided_page_range(context["page_obj"].number)
        return context


class EnrollmentUpdateView(EnrollmentMixin, TemplateView):
    access = "participants.manage_enrollments"
    template_name = "participants/enrollment_form.html"

    def get(self, request, *args, **kwargs):
        enrollment = self.get_enrollment()
        return self.render_forms(enrollment, ParticipantForm(instance=enrollment.participant),
                                 EnrollmentForm(instance=enrollment))  # fmt: skip

    def post(self, request, *args, **kwargs):
        enrollment = self.get_enrollment()
        participant_form = ParticipantForm(request.POST, instance=enrollment.participant)
        enrollment_form = EnrollmentForm(request.POST, instance=enrollment)
        if participant_form.is_valid() and enrollment_form.is_valid():
            try:
                services.enrollment_update(
                    enrollment=enrollment,
                    participant_data=participant_form.edit_data,
                    data=enrollment_form.edit_data,
                    participant_version=participant_form.read_version,
                    version=enrollment_form.read_version,
                )
            except services.StaleEdit as exc:  # someone else saved meanwhile: nothing is overwritten
                stored = {type(row): row for row in exc.rows}
                for form in (participant_form, enrollment_form):
                    if row := stored.get(form._meta.model):
                        messages.warning(request, form.show_stored(row))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form = participant_form if field in participant_form.fields else enrollment_form
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved: %(name)s.") % {"name": enrollment.participant.display_name})
                return redirect("participants:enrollment_list", program_pk=self.program.pk)
        return self.render_forms(enrollment, participant_form, enrollment_form)

    def render_forms(self, enrollment, participant_form, enrollment_form):
        link = personal_url(enrollment) if enrollment.access_token else ""
        context = self.get_context_data(
            enrollment=enrollment,
            participant_form=participant_form,
            enrollment_form=enrollment_form,
            personal_link=link,
            qr=qr_svg(link, scale=4) if link else "",
            whatsapp_url=whatsapp_url(enrollment, link) if link else "",
        )
        return self.render_to_response(context)


def whatsapp_url(enrollment, link: str) -> str:
    """A wa.me link that opens WhatsApp with the personal link in a prefilled message ("" without a usable
    phone number)."""
    participant = enrollment.participant
    text = _("Dear %(name)s, here is your personal page for %(program)s (schedule, group and room): %(link)s") % {
        "name": participant.display_name,
        "program": enrollment.program.name,
        "link": link,
    }
    return whatsapp_link(participant.phone, text)


class EnrollmentLinkIssueView(EnrollmentMixin, View):
    """Issue a personal link, or a new one: the old one stops working at once."""

    access = "participants.manage_links"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        enrollment = self.get_enrollment()
        had_one = bool(enrollment.access_token)
        services.access_link_issue(enrollment=enrollment)
        if had_one:
            messages.success(request, _("A new personal link was made; the previous one no longer works."))
        else:
            messages.success(request, _("A personal link was made."))
        return redirect("participants:enrollment_update", program_pk=self.program.pk, enrollment_pk=enrollment.pk)


class EnrollmentLinkRevokeView(EnrollmentMixin, View):
    access = "participants.manage_links"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        enrollment = self.get_enrollment()
        services.access_link_revoke(enrollment=enrollment)
        messages.success(request, _("The personal link was revoked."))
        return redirect("participants:enrollment_update", program_pk=self.program.pk, enrollment_pk=enrollment.pk)


class ExportView(ProgramMixin, View):
    access = "participants.export_enrollments"

    def get(self, request, *args, **kwargs):
        fmt = self.kwargs["fmt"]
        enrollments = list(selectors.enrollments_for_program(self.program))
        name = f"peserta-{slugify(self.program.name)[:60]}"
        if fmt not in ("xlsx", "csv"):
            raise Http404
        export_record(program=self.program, user=request.user, what=_("Participants"), file_format=fmt.upper(),
                      rows=len(enrollments))  # fmt: skip
        if fmt == "xlsx":
            return attachment(export_xlsx(enrollments, title=self.program.name), f"{name}.xlsx")
        return attachment(export_csv(enrollments), f"{name}.csv", content_type="text/csv; charset=utf-8")


# --- Import ---------------------------------------------------------------------------------------


class ImportUploadView(ProgramMixin, TemplateView):
    access = "participants.import_enrollments"
    template_name = "participants/import_upload.html"
    tab = "participants"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ImportUploadForm())
        kwargs.setdefault("history", imports_for_program(self.program))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_start(program=self.program, user=request.user, name=upload.name,
                                          data=upload.read())  # fmt: skip
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        return redirect("participants:import_preview", program_pk=self.program.pk, import_pk=batch.pk)


class ImportBatchMixin(ProgramMixin):
    """An import of the program in the URL (one of another program is a 404); the preview shows only one
    still waiting for confirmation, while confirm and cancel say what became of a finished one."""

    access = "participants.import_enrollments"
    tab = "participants"
    waiting_only = False

    def get_batch(self) -> ParticipantImport:
        batches = ParticipantImport.objects.filter(program=self.program)
        if self.waiting_only:
            batches = batches.filter(status=ParticipantImport.Status.PREVIEW)
        return get_object_or_404(batches, pk=self.kwargs["import_pk"])


class ImportPreviewView(ImportBatchMixin, TemplateView):
    """The preview: every row as new / update / unchanged / refused, and the column mapping. Nothing is
    written until the organizer confirms (ImportConfirmView)."""

    template_name = "participants/import_preview.html"
    waiting_only = True

    def plan_or_restart(self, batch):
        """The plan, or None after a message when it can't be made any more (the upload starts again)."""
        try:
            return selectors.import_plan(batch, user=self.request.user)
        except ImportFileError as exc:
            messages.error(self.request, str(exc))
            return None

    def get(self, request, *args, **kwargs):
        batch = self.get_batch()
        if (plan := self.plan_or_restart(batch)) is None:
            return redirect("participants:import_upload", program_pk=self.program.pk)
        form = ImportMappingForm(columns=plan.columns, mapping=plan.mapping)
        return self.render_to_response(self.get_context_data(batch=batch, plan=plan, mapping_form=form))

    def post(self, request, *args, **kwargs):
        """Apply another column mapping and show the preview again."""
        batch = self.get_batch()
        if (plan := self.plan_or_restart(batch)) is None:
            return redirect("participants:import_upload", program_pk=self.program.pk)
        form = ImportMappingForm(request.POST, columns=plan.columns, mapping=plan.mapping)
        if form.is_valid():
            services.import_set_mapping(batch=batch, mapping=form.mapping())
            return redirect("participants:import_preview", program_pk=self.program.pk, import_pk=batch.pk)
        return self.render_to_response(self.get_context_data(batch=batch, plan=plan, mapping_form=form))


class ImportConfirmView(ImportBatchMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            counts = services.import_confirm(batch=self.get_batch(), user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Imported: %(new)d new, %(update)d updated, %(unchanged)d unchanged, %(refused)d refused.") % counts,
            )
            if counts["refused"]:  # the import page lists the batch, with its refused rows as a file
                messages.info(request, _("Download the refused rows with their reasons below, to send them back."))
                url = reverse("participants:import_upload", kwargs={"program_pk": self.program.pk})
                return redirect(f"{url}#import-{self.kwargs['import_pk']}")
        return redirect("participants:enrollment_list", program_pk=self.program.pk)


class ImportRefusedView(ImportBatchMixin, View):
    """The refused rows of a confirmed import, as the file had them plus a reason column (a recorded export)."""

    def get(self, request, *args, **kwargs):
        batch = self.get_batch()
        summary = batch.summary or {}
        if batch.status != ParticipantImport.Status.COMMITTED or not summary.get("refused_rows"):
            messages.info(request, _("This import has no refused rows to download."))
            return redirect("participants:import_upload", program_pk=self.program.pk)
        data, name, content_type = refused_file(summary, original_name=batch.original_name, title=self.program.name)
        export_record(program=self.program, user=request.user, what=_("Refused import rows"),
                      file_format=name.rpartition(".")[2].upper(), rows=len(summary["refused_rows"]))  # fmt: skip
        return attachment(data, name, content_type=content_type)


class ImportCancelView(ImportBatchMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.import_cancel(batch=self.get_batch())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.info(request, _("Import cancelled; nothing was changed."))
        return redirect("participants:enrollment_list", program_pk=self.program.pk)


# --- Groups ---------------------------------------------------------------------------------------


class GroupsView(ProgramMixin, TemplateView):
    access = "participants.view_enrollments"
    template_name = "participants/groups.html"
    tab = "groups"

    def get_context_data(self, **kwargs):
        program = self.program
        groups = list(selectors.groups_for_program(program))
        members = {group.pk: [] for group in groups}
        unassigned = []
        enrollments = list(selectors.enrollments_for_program(program))
        for enrollment in enrollments:
            (members.get(enrollment.group_id) if enrollment.group_id else unassigned).append(enrollment)
        kwargs.setdefault("form", GroupFormationForm(initial={"group_count": len(groups) or 10}))
        can_manage = self.request.user.has_perm("participants.manage_groups", program)
        return super().get_context_data(
            groups=[(group, members[group.pk]) for group in groups],
            unassigned=unassigned,
            score=selectors.group_mixing_score(enrollments, len(groups)) if groups else None,
            can_manage=can_manage,
            facilitators=list(selectors.facilitators_for_program(program)) if can_manage else [],
            jobs=document_jobs_for_program(program, kinds=[GROUP_LIST]),
            **kwargs,
        )


class GroupFormationView(GroupsView):
    access = "participants.manage_groups"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = GroupFormationForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        active = selectors.enrollments_for_program(self.program).count()
        count = form.cleaned_data["group_count"] or group_count_for_size(active, form.cleaned_data["group_size"])
        try:
            grouping = services.groups_form(program=self.program, group_count=count, seed=self.program.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("%(count)d groups formed; mixing score %(score).0f of 100.") % {"count": count, "score": grouping.score},
        )
        return redirect("participants:groups", program_pk=self.program.pk)


class GroupFacilitatorsView(GroupsView):
    """A manager picks who facilitates one group. With htmx the page comes back and only the group's card is
    swapped in; a plain POST goes back to the page (or shows it with the refusal)."""

    access = "participants.manage_groups"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        group = get_object_or_404(DiscussionGroup, program=self.program, number=kwargs["number"])
        ids = request.POST.getlist("facilitators")
        if any(whole_number(pk) is None for pk in ids):
            raise Http404
        users = list(get_user_model().objects.filter(pk__in=ids))
        try:
            if len(users) != len(set(ids)):
                raise ValidationError(_("Someone chosen no longer exists: reload the page."))
            services.group_facilitators_set(group=group, users=users)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            return self.render_to_response(self.get_context_data(facilitator_error=(group.pk, error)))
        if request.htmx:
            return self.render_to_response(self.get_context_data(facilitators_saved=group.pk))
        messages.success(request, _("Facilitators of %(group)s saved.") % {"group": group.name})
        return redirect("participants:groups", program_pk=self.program.pk)


class GroupMoveView(EnrollmentMixin, View):
    access = "participants.manage_groups"
    tab = "groups"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        enrollment = self.get_enrollment()
        number = request.POST.get("group", "")
        if number and whole_number(number) is None:
            raise Http404
        group = get_object_or_404(DiscussionGroup, program=self.program, number=number) if number else None
        services.enrollment_move(enrollment=enrollment, group=group, lock=request.POST.get("lock", "1") == "1")
        return redirect("participants:groups", program_pk=self.program.pk)
