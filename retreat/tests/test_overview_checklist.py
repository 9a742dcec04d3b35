"""The organizer's setup checklist on the program overview (``selectors.program_checklist``): each step
reads the program's own data, links to its page, and the whole list costs one query.

The core may not import the apps above it (import-linter), so the rows of participants and sessions are made
with ``apps.get_model`` and the root conftest's ``enrolled`` fixture."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from retreat import selectors
from retreat.enums import JobStatus
from retreat.forms import ProgramForm
from retreat.models import DocumentJob, Institution
from retreat.tests.factories import CohortFactory, InstitutionFactory, MembershipFactory, ProgramFactory

ORDER = ["participants", "cohorts", "groups", "rooms", "agenda", "published", "links", "id_cards"]


def _steps(program):
    return {step.key: step for step in selectors.program_checklist(program)}


def _complete(program, enrolled):
    Group, Room = apps.get_model("participants", "DiscussionGroup"), apps.get_model("participants", "Room")
    Session = apps.get_model("retreat_sessions", "Session")
    group = Group.objects.create(program=program, number=1, name="Kelompok 1")
    room = Room.objects.create(program=program, number="101", capacity=4)
    cohort = CohortFactory(program=program, name="Angkatan I")
    for n, enrollment in enumerate(enrolled):
        enrollment.group, enrollment.room, enrollment.cohort = group, room, cohort
        enrollment.access_token = f"token-{program.pk}-{n}"
        enrollment.save()
    start = timezone.make_aware(dt.datetime.combine(program.start_date, dt.time(8)))
    Session.objects.create(program=program, kind="materi", title="Materi", starts_at=start,
                           ends_at=start + dt.timedelta(hours=1))  # fmt: skip
    program.agenda_published_at = timezone.now()
    program.save(update_fields=["agenda_published_at"])
    DocumentJob.objects.create(program=program, kind="id_cards", status=JobStatus.DONE)


def test_a_new_program_has_every_step_still_open(program):
    steps = selectors.program_checklist(program)
    assert [step.key for step in steps] == ORDER
    assert not any(step.done for step in steps)
    assert steps[0].url == reverse("participants:enrollment_list", kwargs={"program_pk": program.pk})


def test_participants_without_groups_rooms_or_links_are_counted(program, enrolled):
    with translation.override("en"):
        steps = _steps(program)
    assert steps["participants"].done
    assert steps["participants"].detail == "3"
    assert [key for key, step in steps.items() if not step.done] == ["cohorts", "groups", "rooms", "agenda",
                                                                      "published", "links", "id_cards"]  # fmt: skip
    assert steps["groups"].detail == "3 of 3 without a group"
    assert steps["rooms"].detail == "3 of 3 without a room"
    assert steps["links"].detail == "3 of 3 without a link"


def test_every_step_done_once_the_program_is_set_up(program, enrolled):
    _complete(program, enrolled)
    steps = selectors.program_checklist(program)
    assert [step.key for step in steps if not step.done] == []
    # A withdrawn participant without a group does not reopen the step.
    apps.get_model("participants", "Enrollment").objects.filter(pk=enrolled[0].pk).update(status="withdrawn",
                                                                                         group=None)  # fmt: skip
    assert _steps(program)["groups"].done


def test_only_a_finished_id_card_job_counts(program):
    DocumentJob.objects.create(program=program, kind="id_cards", status=JobStatus.FAILED)
    DocumentJob.objects.create(program=program, kind="participant_list", status=JobStatus.DONE)
    assert not _steps(program)["id_cards"].done


def test_the_checklist_takes_one_query_however_large(program, enrolled, other_program):
    _complete(program, enrolled)
    with CaptureQueriesContext(connection) as small:
        selectors.program_checklist(other_program)
    with CaptureQueriesContext(connection) as large:
        selectors.program_checklist(program)
    assert len(small) == len(large) == 1


def test_the_overview_shows_the_checklist_to_the_organizer(organizer_client, program, enrolled):
    page = organizer_client.get(reverse("retreat:program_detail", kwargs={"program_pk": program.pk})).content.decode()
    assert 'class="card mb-3 setup-checklist"' in page
    for key in ORDER:
        assert f'data-step="{key}"' in page
    assert 'data-step="participants" data-done="true"' in page
    assert f'href="{reverse("participants:groups", kwargs={"program_pk": program.pk})}"' in page
    assert 'data-link="cohorts"' in page  # the cohorts row of the facts stays


def test_read_only_roles_see_no_checklist(client, leader, program):
    client.force_login(leader)
    page = client.get(reverse("retreat:program_detail", kwargs={"program_pk": program.pk})).content.decode()
    assert "setup-checklist" not in page


def test_older_documents_of_a_kind_are_folded(organizer_client, program, enrolled):
    for kind in ("id_cards", "participant_list", "id_cards"):
        DocumentJob.objects.create(program=program, kind=kind, status=JobStatus.DONE)
    jobs = selectors.document_jobs_for_program(program)
    assert [job.older for job in jobs] == [False, False, True]
    page = organizer_client.get(reverse("retreat:program_detail", kwargs={"program_pk": program.pk})).content.decode()
    assert page.count('<details class="document-job-older">') == 1
    assert page.count('class="border rounded p-2 bg-white document-job"') == 3


def test_documents_with_other_parameters_are_not_older(program):
    DocumentJob.objects.create(program=program, kind="attendance_sheet", params={"session": "1"})
    DocumentJob.objects.create(program=program, kind="attendance_sheet", params={"session": "2"})
    assert [job.older for job in selectors.document_jobs_for_program(program)] == [False, False]


def test_the_program_form_preselects_the_only_managed_institution(organizer, institution):
    form = ProgramForm(organizers=selectors.institutions_managed_by(organizer))
    assert form["organizer"].value() == institution.pk
    assert 'class="btn btn-retret"' in _render_submit(form)


def test_no_preselection_for_someone_managing_two(organizer, institution):
    second = InstitutionFactory(name="Pemerintah Kota Batu")
    MembershipFactory(user=organizer, institution=second, role="organizer")
    form = ProgramForm(organizers=selectors.institutions_managed_by(organizer))
    assert form["organizer"].value() is None
    assert Institution.objects.count() == 2


def test_the_new_program_page_preselects_it(organizer_client, institution):
    page = organizer_client.get(reverse("retreat:program_create")).content.decode()
    assert f'<option value="{institution.pk}" selected>' in page


def _render_submit(form) -> str:
    from crispy_forms.utils import render_crispy_form

    return render_crispy_form(form)


@pytest.fixture
def other_program(institution):
    return ProgramFactory(organizer=institution, name="Program kosong")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [(390, 844), (1366, 900)])
def test_the_checklist_fits_the_screen(page, live_server, organizer, program, enrolled, screenshot_dir, size):
    from retreat.tests.browser import login

    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    DocumentJob.objects.create(program=program, kind="id_cards", status=JobStatus.DONE)
    DocumentJob.objects.create(program=program, kind="id_cards", status=JobStatus.QUEUED)
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}{reverse('retreat:program_detail', kwargs={'program_pk': program.pk})}")
    assert page.locator(".setup-checklist li").count() == len(ORDER)
    assert page.locator(".document-job-older").count() == 1
    assert page.locator(".job-queued").count() == 1
    page.screenshot(path=screenshot_dir / f"overview-checklist-{size[0]}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_embedded_request_ends_with_the_download(page, live_server, organizer, program, enrolled):
    """Without a worker the document is made in the request: the button waits (disabled), then the finished
    job with its download comes in, never "0 %"."""
    from playwright.sync_api import expect

    from retreat.tests.browser import login

    login(page, live_server, organizer)
    page.goto(f"{live_server.url}{reverse('retreat:program_detail', kwargs={'program_pk': program.pk})}")
    button = page.get_by_role("button", name="Daftar peserta (PDF)")
    # Records the button's state whenever it changes: busy, disabled and spinning while the request runs.
    button.evaluate("""(button) => {
        window.__busy = [];
        new MutationObserver(() => window.__busy.push(
            [button.disabled, button.getAttribute("aria-busy"), !!button.querySelector(".spinner-border")]
        )).observe(button, {attributes: true, childList: true});
    }""")
    button.click()
    job = page.locator('#jobs .document-job[data-status="done"]')
    expect(job).to_have_count(1)
    expect(job.get_by_role("link", name="Unduh PDF")).to_be_visible()
    expect(button).to_be_enabled()
    expect(button.locator(".job-request-spinner")).to_have_count(0)
    expect(page.locator("#jobs .progress-bar")).to_have_count(0)
    assert [True, "true", True] in page.evaluate("window.__busy")
