"""The permission matrix: every URL the resolver knows, requested by every method its view accepts, as
an anonymous visitor, a manager of another institution, the program's read-only roles and its manager.

Nothing here lists views: each URL's rule is read from its view's declaration (``retreat/access.py``),
so a new view is covered as soon as it is routed. Expected answers:

- a public view answers anyone without a server error;
- anonymous: the login page (or 404) for everything else;
- a manager of another institution: 404 for any URL that names an object (a program, a job, a token);
- a facilitator or leader: 403 wherever their rule does not allow them, and a normal answer where it does;
  leaders only read, so only ``view_*`` rules may let them in (facilitators also record attendance);
- the program's organizer: a normal answer (2xx or 3xx) everywhere.

It lives in the top layer because its world holds every app's objects.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from certificates.models import ReportPhoto
from certificates.report import PROGRAM_REPORT
from evaluations.models import ActionPlan, Form, MonitoringVisit, ProgressReport, Questionnaire, VisitPhoto
from evaluations.services.forms import evaluations_setup
from participants import services as participant_services
from participants.tests.factories import EnrollmentFactory
from retreat.access import AUTHENTICATED, EXEMPT_NAMESPACES, PUBLIC, declared_access, walk_patterns
from retreat.enums import JobStatus, Role
from retreat.models import DocumentJob
from retreat.tests.factories import CohortFactory, InstitutionFactory, MembershipFactory, ProgramFactory, UserFactory
from sessions import services as session_services
from sessions.tests.factories import DiscussionGroupFactory, SessionFactory, SpeakerFactory, VenueFactory

PART_WITH_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


IMPORT_CSV = b"Nama;NIP;Jabatan;Unit Kerja\nDrs. Ahmad Fauzi, M.Si.;196805171994031005;Camat Klojen;Kecamatan Klojen\n"


# URLs whose token is the program's calendar secret; every other token is a participant's personal link.
CALENDAR_TOKEN_URLS = {"sessions:program_calendar"}


def _routes():
    for route, namespace, pattern in walk_patterns(get_resolver().url_patterns):
        if namespace not in EXEMPT_NAMESPACES:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield pytest.param(route, name, pattern, id=route)


def build_world(name: str) -> dict:
    """One institution with a program holding one of everything a URL can name."""
    institution = InstitutionFactory(name=f"Pemerintah Kota {name}", short_name=f"Pemkot {name}")
    program = ProgramFactory(organizer=institution, name=f"Retret {name}")
    cohort = CohortFactory(program=program)
    group = DiscussionGroupFactory(program=program, number=1)
    enrollment = EnrollmentFactory(program=program, cohort=cohort, group=group)
    participant_services.access_link_issue(enrollment=enrollment)
    venue = VenueFactory(program=program)
    speaker = SpeakerFactory(institution=institution)
    session = SessionFactory(program=program, venue=venue, counts_for_jp=True)
    session.speakers.set([speaker])
    session_services.agenda_publish(program=program)
    session_services.calendar_token_ensure(program=program)
    program.refresh_from_db()
    evaluations_setup(program=program)
    job = DocumentJob.objects.create(program=program, kind="participant_list", status=JobStatus.DONE)
    job.file.save("daftar-peserta.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    report_version = DocumentJob.objects.create(program=program, kind=PROGRAM_REPORT, status=JobStatus.DONE)
    report_version.file.save("laporan-pelaksanaan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    users = {
        role: MembershipFactory(user=UserFactory(username=f"{role}.{name.lower()}"), institution=institution,
                                role=role).user
        for role in (Role.ORGANIZER, Role.FACILITATOR, Role.LEADER, Role.ADMIN)
    }  # fmt: skip
    SessionFactory(program=program, groups=[group]).facilitators.add(users[Role.FACILITATOR])  # assesses enrollment
    return {
        "program": program,
        "enrollment": enrollment,
        "session": session,
        "venue": venue,
        "import": participant_services.import_start(
            program=program, user=users[Role.ORGANIZER], name="peserta.csv", data=IMPORT_CSV
        ),  # fmt: skip
        "job": job,
        "form": Form.objects.get(program=program, session=session),
        "questionnaire": (questionnaire := Questionnaire.objects.get(program=program, kind="organization")),
        "question": questionnaire.questions.first(),
        "plan": ActionPlan.objects.create(
            enrollment=enrollment, title="Layanan satu pintu", indicator="SOP terbit", target_date=program.end_date
        ),
        "visit": MonitoringVisit.objects.create(
            program=program,
            date=program.end_date,
            unit="Kecamatan Klojen",
            visitors="Wali Kota",
            created_by=users[Role.LEADER],
        ),
        "report": ProgressReport.objects.create(
            plan=ActionPlan.objects.filter(enrollment=enrollment).first(),
            day=30,
            percent=50,
            evidence=ContentFile(b"%PDF-1.4\n", name="bukti.pdf"),
        ),
        "photo": VisitPhoto.objects.create(
            visit=MonitoringVisit.objects.filter(program=program).first(),
            image=ContentFile(b"\xff\xd8\xff", name="foto.jpg"),
        ),
        "report_photo": ReportPhoto.objects.create(
            program=program, image=ContentFile(b"\xff\xd8\xff", name="foto.jpg"), caption="Apel pembukaan"
        ),
        "report_version": report_version,
        "room": participant_services.room_create(program=program, data={"number": "01", "capacity": 2}),
        "users": users,
        "certificate": _certificate(enrollment, users[Role.ORGANIZER]),
    }


def _certificate(enrollment, organizer):
    """The world's participant completes by the committee's decision and gets a numbered certificate."""
    from certificates.services import certificates_number
    from evaluations.services.completion import completion_override_set

    completion_override_set(enrollment=enrollment, complete=True, reason="Keputusan panitia", user=organizer)
    certificate = certificates_number(program=enrollment.program, user=organizer)[0]
    certificate.file.save("sertifikat.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    certificate.file_revision = certificate.revision
    certificate.save(update_fields=["file", "file_revision"])
    return certificate


def url_kwargs(route: str, name: str, world: dict) -> dict:
    """A value for each part of a route, from the world. A route with a new kind of part fails here
    with its name: add one line for it."""
    values = {
        "program_pk": world["program"].pk,
        "enrollment_pk": world["enrollment"].pk,
        "cohort_pk": world["enrollment"].cohort_id,
        "session_pk": world["session"].pk,
        "venue_pk": world["venue"].pk,
        "import_pk": world["import"].pk,
        "job_pk": world["job"].pk,
        "form_pk": world["form"].pk,
        "questionnaire_pk": world["questionnaire"].pk,
        "question_pk": world["question"].pk,
        "plan_pk": world["plan"].pk,
        "visit_pk": world["visit"].pk,
        "photo_pk": world["photo"].pk,
        "day": world["report"].day,
        "subject_pk": world["enrollment"].pk,
        "certificate_pk": world["certificate"].pk,
        "report_photo_pk": world["report_photo"].pk,
        "room_pk": world["room"].pk,
        "number": 1,  # the world's discussion group
        "version_pk": world["report_version"].pk,
        "code": world["certificate"].code,
        "kind": "participant_list",
        "fmt": "csv",
        "uidb64": "MQ",
        "user_pk": world["users"][Role.FACILITATOR].pk,  # a user of the institution (its admin's pages)
        # A participant's personal link, or the program's calendar feed: both secret tokens.
        "token": world["program"].calendar_token if route.startswith("kalender/") else world["enrollment"].access_token,
    }
    names = PART_WITH_CONVERTER.findall(route)
    missing = [name for name in names if name not in values]
    assert not missing, f"{route}: the permission matrix has no value for {missing}; add one in url_kwargs()"
    return {name: values[name] for name in names}


def methods_of(pattern) -> list[str]:
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is None:
        return ["get", "post"]
    return [m for m in ("get", "post") if m in view_class.http_method_names and hasattr(view_class, m)]


def fill(route: str, kwargs: dict) -> str:
    return "/" + PART_WITH_CONVERTER.sub(lambda match: str(kwargs[match.group(1)]), route)


def access_object(pattern, user, kwargs):
    """The object the view checks its rule against, as the view itself loads it for this user."""
    request = RequestFactory().get("/")
    request.user = user
    callback = pattern.callback
    if not hasattr(callback, "view_class"):  # a function view: @declare_access(rule, get_object=...)
        return callback.get_access_object(request, **kwargs) if callback.get_access_object else None
    view = callback.view_class(**callback.view_initkwargs)
    view.setup(request, **kwargs)
    return view.get_access_object()


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def is_read_rule(access: str) -> bool:
    return access.split(".", 1)[1].startswith("view_")


# The writes leaders may do: they approve participants' action plans and record their own monitoring visits.
LEADER_WRITE_RULES = frozenset({"evaluations.review_plans", "evaluations.record_visits"})


@pytest.mark.parametrize(("route", "name", "pattern"), list(_routes()))
def test_permission_matrix(route, name, pattern, client, db, django_capture_on_commit_callbacks):
    access = declared_access(pattern.callback)
    assert access, f"{route} declares no access"
    ours, theirs = build_world("Malang"), build_world("Magelang")
    kwargs = url_kwargs(route, name, ours)
    url = fill(route, kwargs)
    scoped = bool(kwargs)
    failures = []
    if "post" in methods_of(pattern) and access not in (PUBLIC, AUTHENTICATED) and is_read_rule(access):
        failures.append(f"accepts POST (a write) under the read rule {access}")

    def request(method, user, path=url):
        client.logout()
        if user is not None:
            client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client, method)(path)

    for method in methods_of(pattern):
        response = request(method, None)
        if access == PUBLIC:
            # With valid tokens a public page answers; a form may refuse empty input, never with 403 or 5xx.
            bad = response.status_code >= 400 if method == "get" else response.status_code in (403, 404, 500)
            if bad:
                failures.append(f"{method.upper()} anonymous on a public view: {response.status_code}")
            continue
        if not is_login_redirect(response):
            failures.append(f"{method.upper()} anonymous: {response.status_code}, expected the login page")

        if scoped:
            outsider = theirs["users"][Role.ORGANIZER]
            response = request(method, outsider)
            if response.status_code != 404:
                failures.append(f"{method.upper()} another institution's manager: {response.status_code}, expected 404")
            if "program_pk" in kwargs and any(key.endswith("_pk") and key != "program_pk" for key in kwargs):
                # Our objects through their own program's address: still none of theirs.
                response = request(method, outsider, fill(route, {**kwargs, "program_pk": theirs["program"].pk}))
                if response.status_code != 404:
                    failures.append(
                        f"{method.upper()} another institution's manager, our objects under their program: "
                        f"{response.status_code}, expected 404"
                    )

        for role in (Role.FACILITATOR, Role.LEADER):
            reader = ours["users"][role]
            allowed = access == AUTHENTICATED or reader.has_perm(access, access_object(pattern, reader, kwargs))
            if (
                role == Role.LEADER
                and access != AUTHENTICATED
                and allowed != (is_read_rule(access) or access in LEADER_WRITE_RULES)
            ):
                failures.append(f"rule {access} lets a {role} in = {allowed}; only view_* rules may")
            response = request(method, reader)
            if allowed and response.status_code >= 400:
                failures.append(f"{method.upper()} {role} (allowed by {access}): {response.status_code}")
            if not allowed and response.status_code != 403:
                failures.append(f"{method.upper()} {role} (refused by {access}): {response.status_code}, expected 403")

    # The manager last: a POST may change or remove what the URL names. The institution's own pages are its
    # admin's, and only the site's superuser creates institutions.
    manager = {"retreat.manage_institution": ours["users"][Role.ADMIN],
               "retreat.add_institution": UserFactory(username="superuser", is_superuser=True)}.get(
        access, ours["users"][Role.ORGANIZER])  # fmt: skip
    for method in methods_of(pattern):
        if access == PUBLIC:
            continue
        response = request(method, manager)
        if response.status_code >= 400 or is_login_redirect(response):
            failures.append(f"{method.upper()} the program's organizer: {response.status_code}, expected no error")

    assert not failures, f"{url} ({access}):\n  " + "\n  ".join(failures)
