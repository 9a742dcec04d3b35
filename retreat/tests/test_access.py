import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.views import View

from retreat.access import AUTHENTICATED, PUBLIC, ProgramMixin, declare_access, undeclared_views


def test_every_url_declares_its_access():
    assert undeclared_views() == []


def test_undeclared_view_is_reported():
    class OpenView(View):
        def get(self, request):
            return HttpResponse("open")

    def open_function(request):
        return HttpResponse("open")

    class DeclaredView(ProgramMixin, View):
        access = "retreat.view_program"

    class DeclaredButNotEnforcedView(View):
        access = "retreat.view_program"  # a rule nobody checks: not inheriting AccessMixin

    patterns = [
        path("open/", OpenView.as_view()),
        path("open-fn/", open_function),
        path("typo/", declare_access("retreat.no_such_permission")(open_function)),
        path("public/", declare_access(PUBLIC)(lambda request: HttpResponse())),
        path("auth/", declare_access(AUTHENTICATED)(lambda request: HttpResponse())),
        path("declared/<int:program_pk>/", DeclaredView.as_view()),
        path("unenforced/<int:program_pk>/", DeclaredButNotEnforcedView.as_view()),
    ]
    reported = undeclared_views(patterns)
    assert [r.split(" ")[0] for r in reported] == ["open/", "open-fn/", "typo/", "unenforced/<int:program_pk>/"]


def test_function_view_rule_is_enforced(rf, organizer, leader, program):
    """``declare_access`` with a permission checks it against the object its loader returns."""
    from django.http import Http404

    from retreat.selectors import programs_for_user

    def load(request, program_pk):
        found = programs_for_user(request.user).filter(pk=program_pk).first()
        if found is None:
            raise Http404
        return found

    view = declare_access("retreat.change_program", get_object=load)(lambda request, program_pk: HttpResponse("ok"))
    request = rf.get("/")
    request.user = organizer
    assert view(request, program_pk=program.pk).content == b"ok"
    request.user = leader
    with pytest.raises(PermissionDenied):
        view(request, program_pk=program.pk)
    request.user = AnonymousUser()
    assert view(request, program_pk=program.pk).status_code == 302
    request.user = organizer
    with pytest.raises(Http404):
        view(request, program_pk=program.pk + 1000)


def test_anonymous_is_sent_to_login(client, program):
    response = client.get(reverse("retreat:program_detail", kwargs={"program_pk": program.pk}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_other_institution_program_is_404(organizer_client, other_program):
    for name in ("retreat:program_detail", "retreat:program_update"):
        response = organizer_client.get(reverse(name, kwargs={"program_pk": other_program.pk}))
        assert response.status_code == 404, name
    response = organizer_client.post(
        reverse("retreat:document_request", kwargs={"program_pk": other_program.pk, "kind": "participant_list"})
    )
    assert response.status_code == 404
    assert not other_program.document_jobs.exists()


def test_partner_institution_members_see_the_program(client, program, other_institution):
    from retreat.enums import Role
    from retreat.tests.factories import MembershipFactory

    program.partner = other_institution
    program.save()
    host = MembershipFactory(institution=other_institution, role=Role.ORGANIZER).user
    client.force_login(host)
    assert client.get(reverse("retreat:program_detail", kwargs={"program_pk": program.pk})).status_code == 200
    assert program.name in client.get(reverse("retreat:dashboard")).content.decode()


def test_unknown_document_kind_is_404(organizer_client, program):
    response = organizer_client.post(
        reverse("retreat:document_request", kwargs={"program_pk": program.pk, "kind": "nope"})
    )
    assert response.status_code == 404
