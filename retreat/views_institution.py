"""The institution admin's pages (``/instansi/``): the institution's users (create, role, deactivate, new
temporary password) and its profile (letterhead lines, logo, address); and the superuser's page that creates an
institution with its first admin.

A temporary password is shown once, on the page that answers the POST which made it; it is not kept anywhere
and the page is not cached. An admin of several institutions manages the first of them by name.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from . import services
from .access import AccessMixin
from .enums import Role
from .forms import add_service_errors
from .forms_institution import InstitutionCreateForm, InstitutionProfileForm, RoleForm, UserCreateForm
from .models import Institution, Membership
from .rules import roles_by_institution

# --- Reads ----------------------------------------------------------------------------------------


def institution_administered_by(user) -> Institution | None:
    """The institution ``user`` administers (the first by name when several), or None."""
    admin_of = [pk for pk, role in roles_by_institution(user).items() if role == Role.ADMIN]
    return Institution.objects.filter(pk__in=admin_of).order_by("name").first()


def memberships_for_institution(institution: Institution) -> QuerySet[Membership]:
    """The institution's users, active first, then by name."""
    return (
        Membership.objects.filter(institution=institution)
        .select_related("user")
        .order_by("-user__is_active", "user__full_name", "user__username")
    )


def membership_for_user(user, user_pk: int) -> Membership | None:
    """The membership of user ``user_pk`` in an institution ``user`` belongs to (one they administer first);
    None for a user of any other institution."""
    roles = roles_by_institution(user)
    ordered = sorted(roles, key=lambda pk: roles[pk] != Role.ADMIN)
    found = {m.institution_id: m for m in Membership.objects.select_related("user", "institution")
             .filter(user_id=user_pk, institution_id__in=ordered)}  # fmt: skip
    return next((found[pk] for pk in ordered if pk in found), None)


def institutions_with_admins() -> QuerySet[Institution]:
    return Institution.objects.annotate(
        admin_count=Count("memberships", filter=Q(memberships__role=Role.ADMIN, memberships__user__is_active=True)),
        user_count=Count("memberships"),
    ).order_by("name")


# --- Pages ----------------------------------------------------------------------------------------


def _password_page(request, *, user, password, institution, created: bool):
    context = {"member": user, "password": password, "institution": institution, "created": created}
    response = TemplateResponse(request, "retreat/users_password.html", context)
    response["Cache-Control"] = "no-store"
    return response


class InstitutionMixin(AccessMixin):
    """A page of the institution the user administers; a member without the admin role gets 403."""

    access = "retreat.manage_institution"

    def get_access_object(self):
        self.institution = institution_administered_by(self.request.user)
        if self.institution is None and self.request.user.is_superuser:
            raise Http404  # a superuser passes every rule, but administers no institution here
        return self.institution

    def get_context_data(self, **kwargs):
        kwargs.setdefault("institution", self.institution)
        return super().get_context_data(**kwargs)


class MemberMixin(InstitutionMixin):
    """A page about one user of the institution; a user of another institution is a 404."""

    def get_access_object(self):
        self.membership = membership_for_user(self.request.user, self.kwargs["user_pk"])
        if self.membership is None:
            raise Http404
        self.institution = self.membership.institution
        return self.membership

    def get_context_data(self, **kwargs):
        kwargs.setdefault("membership", self.membership)
        kwargs.setdefault("member", self.membership.user)
        return super().get_context_data(**kwargs)


class InstitutionHomeView(InstitutionMixin, TemplateView):
    template_name = "retreat/institution.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(memberships=memberships_for_institution(self.institution), **kwargs)


class InstitutionProfileView(InstitutionMixin, FormView):
    template_name = "retreat/institution_form.html"
    form_class = InstitutionProfileForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.institution}

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.institution_update(institution=self.institution, data=data,
                                        logo=form.cleaned_data.get("logo_upload"),
                                        remove_logo=form.cleaned_data.get("remove_logo", False))  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Institution profile saved."))
        return redirect("retreat:institution")


class UserCreateView(InstitutionMixin, FormView):
    template_name = "retreat/users_form.html"
    form_class = UserCreateForm

    def form_valid(self, form):
        try:
            user, password = services.institution_user_create(institution=self.institution, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return _password_page(self.request, user=user, password=password, institution=self.institution, created=True)


class UserDetailView(MemberMixin, FormView):
    """One user: their role (changed here), and the buttons to deactivate them or give a new password."""

    template_name = "retreat/users_detail.html"
    form_class = RoleForm

    def get_initial(self):
        return {"role": self.membership.role}

    def form_valid(self, form):
        try:
            services.institution_role_set(membership=self.membership, role=form.cleaned_data["role"],
                                          by=self.request.user)  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Role saved."))
        return redirect("retreat:institution")


class UserStatusView(MemberMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        active = not self.membership.user.is_active
        try:
            services.institution_user_set_active(membership=self.membership, active=active, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("retreat:institution_user", user_pk=self.membership.user_id)
        done = _("%(name)s can log in again.") if active else _("%(name)s can no longer log in.")
        messages.success(request, done % {"name": self.membership.user})
        return redirect("retreat:institution")


class UserPasswordResetView(MemberMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        password = services.institution_password_reset(membership=self.membership)
        return _password_page(request, user=self.membership.user, password=password,
                              institution=self.institution, created=False)  # fmt: skip


class InstitutionCreateView(AccessMixin, FormView):
    """The superuser's page: the institutions, and a new one with its first admin."""

    access = "retreat.add_institution"
    template_name = "retreat/institution_create.html"
    form_class = InstitutionCreateForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(institutions=institutions_with_admins(), **kwargs)

    def form_valid(self, form):
        admin = {key: form.cleaned_data.pop(key) for key in ("admin_username", "admin_full_name", "admin_email")}
        try:
            institution, user, password = services.institution_create(data=form.cleaned_data, **admin)
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"username": "admin_username", "full_name": "admin_full_name",
                                           "email": "admin_email"})  # fmt: skip
            return self.form_invalid(form)
        return _password_page(self.request, user=user, password=password, institution=institution, created=True)
