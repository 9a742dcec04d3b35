"""One participant at a time: find a person in the registry (as the user may see it: ``registry_for``) and enroll
them, or create a new person checked as an import row is; and the same to choose who replaces an enrollment."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from retreat.access import ProgramMixin
from retreat.forms import add_service_errors
from retreat.params import whole_number

from . import selectors, services
from .enums import ACTIVE_STATUSES
from .forms import NewPersonForm, RegistrySearchForm
from .models import Enrollment


class AddMixin(ProgramMixin):
    access = "participants.add_enrollment"
    tab = "participants"

    def replaced_enrollment(self, pk) -> Enrollment | None:
        """The enrollment of this program being replaced (``pk``; None without one); another program's is a 404."""
        if pk is None:
            return None
        return get_object_or_404(Enrollment.objects.select_related("participant"), program=self.program, pk=pk)

    def page_url(self, replaced: Enrollment | None, q: str = "") -> str:
        if replaced is not None:
            url = reverse("participants:enrollment_replace", kwargs={"program_pk": self.program.pk,
                                                                      "enrollment_pk": replaced.pk})  # fmt: skip
        else:
            url = reverse("participants:enrollment_add", kwargs={"program_pk": self.program.pk})
        return f"{url}?{urlencode({'q': q})}" if q else url

    def done(self, enrollment: Enrollment, replaced: Enrollment | None):
        name = enrollment.participant.display_name
        if replaced is not None:
            text = _("%(new)s now replaces %(old)s") % {"old": replaced.participant.display_name, "new": name}
        else:
            text = _("Enrolled in this program: %(name)s") % {"name": name}
        messages.success(self.request, text)
        return redirect("participants:enrollment_list", program_pk=self.program.pk)


class EnrollmentAddView(AddMixin, TemplateView):
    """The search (htmx live results, or a plain GET) and the new-person form; at ``…/ganti/`` the same for the
    person who replaces an active enrollment. An htmx request for the results gets only them."""

    template_name = "participants/enrollment_add.html"
    results_template_name = "participants/partials/registry_results.html"

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.history_restore_request:
            return [self.results_template_name]
        return [self.template_name]

    def setup_replaced(self):
        self.replaced = self.replaced_enrollment(self.kwargs.get("enrollment_pk"))
        if self.replaced is not None and self.replaced.status not in ACTIVE_STATUSES:
            messages.error(
                self.request,
                _("%(name)s is no longer an active participant of this program (%(status)s); nothing was changed.")
                % {"name": self.replaced.participant.display_name, "status": self.replaced.get_status_display()},
            )
            return redirect("participants:enrollment_list", program_pk=self.program.pk)
        return None

    def get(self, request, *args, **kwargs):
        return self.setup_replaced() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if gone := self.setup_replaced():
            return gone
        form = NewPersonForm(request.POST)
        found = ""
        if form.is_valid():
            try:
                enrollment = services.enrollment_add_new(
                    program=self.program,
                    registry=selectors.registry_for(request.user, self.program),
                    values=form.values(),
                    replaces=self.replaced,
                )
            except services.AlreadyInRegistry as exc:
                form.add_error(None, exc.messages)
                found = exc.participant.nip or exc.participant.name
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return self.done(enrollment, self.replaced)
        return self.render_to_response(self.get_context_data(form=form, q=found))

    def get_context_data(self, form=None, q=None, **kwargs):
        user = self.request.user
        search = RegistrySearchForm({"q": q} if q is not None else self.request.GET)
        query = search.query()
        return super().get_context_data(
            form=form or NewPersonForm(),
            search_form=search,
            q=query,
            results=selectors.registry_search_for(user, self.program, query) if query else [],
            limit=selectors.REGISTRY_SEARCH_LIMIT,
            replaced=self.replaced,
            page_url=self.page_url(self.replaced),
            show_personal_data=user.has_perm("retreat.view_personal_data", self.program),
            **kwargs,
        )


class EnrollmentAddExistingView(AddMixin, View):
    """Enroll the person chosen among the search results (``participant``), or make them the replacement of
    ``replaces``. Someone the user's registry does not hold is "not found", whoever it is."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        replaced = self.replaced_enrollment(whole_number(request.POST.get("replaces", "")))
        back = self.page_url(replaced, request.POST.get("q", "")[:100])
        pk = whole_number(request.POST.get("participant", ""))
        person = selectors.registry_for(request.user, self.program).filter(pk=pk).first() if pk else None
        if person is None:
            messages.error(request, _("This person was not found in the registry; search again."))
            return redirect(back)
        try:
            enrollment = services.enrollment_add(program=self.program, participant=person, replaces=replaced)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        return self.done(enrollment, replaced)
