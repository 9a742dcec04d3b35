"""Cohorts (angkatan): added, renamed and removed on the program by its managers, seen by every member; a
cohort in use is never removed, and the refusal says by how many participants and sessions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from retreat import services
from retreat.models import Cohort
from retreat.tests.factories import CohortFactory


def url(name, program, cohort=None):
    kwargs = {"program_pk": program.pk}
    if cohort is not None:
        kwargs["cohort_pk"] = cohort.pk
    return reverse(f"retreat:{name}", kwargs=kwargs)


def _session_for(cohort):
    program = cohort.program
    start = dt.datetime(2025, 5, 15, 8, 0, tzinfo=dt.UTC)
    session = program.sessions.create(kind="materi", title="Materi Angkatan", starts_at=start,
                                      ends_at=start + dt.timedelta(hours=1))  # fmt: skip
    session.cohorts.add(cohort)
    return session


# --- Services -------------------------------------------------------------------------------------


def test_cohort_create_tidies_the_name(program):
    cohort = services.cohort_create(program=program, name="  Angkatan   I ")
    assert cohort.name == "Angkatan I"
    assert list(program.cohorts.values_list("name", flat=True)) == ["Angkatan I"]


@pytest.mark.parametrize("name", ["Angkatan I", "angkatan i", " ANGKATAN  I "])
def test_cohort_create_refuses_a_name_the_program_has(program, name):
    CohortFactory(program=program, name="Angkatan I")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.cohort_create(program=program, name=name)
    assert refused.value.message_dict["name"] == ["This program already has a cohort named “Angkatan I”."]
    assert program.cohorts.count() == 1


def test_cohort_create_refuses_an_empty_name(program):
    with pytest.raises(ValidationError) as refused:
        services.cohort_create(program=program, name="   ")
    assert "name" in refused.value.message_dict
    assert not program.cohorts.exists()


def test_the_same_name_in_another_program_is_fine(program, other_program):
    CohortFactory(program=other_program, name="Angkatan I")
    assert services.cohort_create(program=program, name="Angkatan I").program == program


def test_cohort_rename_keeps_its_participants(program, enrolled):
    cohort = CohortFactory(program=program, name="Angkatan 1")
    program.enrollments.update(cohort=cohort)
    services.cohort_rename(cohort=cohort, name="Angkatan I")
    cohort.refresh_from_db()
    assert cohort.name == "Angkatan I"
    assert cohort.enrollments.count() == 3


def test_cohort_rename_to_its_own_name_in_other_case_is_fine(program):
    cohort = CohortFactory(program=program, name="angkatan i")
    assert services.cohort_rename(cohort=cohort, name="Angkatan I").name == "Angkatan I"


def test_cohort_rename_refuses_another_cohorts_name(program):
    CohortFactory(program=program, name="Angkatan I")
    cohort = CohortFactory(program=program, name="Angkatan II")
    with pytest.raises(ValidationError):
        services.cohort_rename(cohort=cohort, name="angkatan I")
    cohort.refresh_from_db()
    assert cohort.name == "Angkatan II"


def test_cohort_delete_removes_an_unused_cohort(program):
    cohort = CohortFactory(program=program)
    services.cohort_delete(cohort=cohort)
    assert not Cohort.objects.filter(pk=cohort.pk).exists()


def test_cohort_delete_refuses_one_in_use_and_says_how_much(program, enrolled):
    cohort = CohortFactory(program=program, name="Angkatan I")
    program.enrollments.update(cohort=cohort)
    _session_for(cohort)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.cohort_delete(cohort=cohort)
    assert refused.value.messages == [
        "Cohort “Angkatan I” is still in use (3 participants, 1 session): move them to another cohort first."
    ]
    assert Cohort.objects.filter(pk=cohort.pk).exists()
    assert program.enrollments.filter(cohort=cohort).count() == 3


def test_cohort_delete_refuses_one_only_a_session_uses(program):
    cohort = CohortFactory(program=program, name="Angkatan II")
    _session_for(cohort)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.cohort_delete(cohort=cohort)
    assert "(1 session)" in refused.value.messages[0]


# --- Pages ----------------------------------------------------------------------------------------


def test_organizer_adds_a_cohort_with_a_plain_post(organizer_client, program):
    response = organizer_client.post(url("cohort_create", program), {"name": "Angkatan I"})
    assert response.status_code == 302
    assert response.url == url("cohorts", program)
    assert list(program.cohorts.values_list("name", flat=True)) == ["Angkatan I"]
    page = organizer_client.get(response.url).content.decode()
    assert 'data-cohort="' in page
    assert "Angkatan I" in page


def test_add_with_htmx_returns_the_section(organizer_client, program):
    response = organizer_client.post(
        url("cohort_create", program), {"name": "Angkatan I"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="cohorts"')
    assert "alert-success" in page
    assert "Angkatan I" in page


def test_a_refused_add_shows_the_reason(organizer_client, program):
    organizer_client.cookies["django_language"] = "en"  # the site speaks Indonesian otherwise
    CohortFactory(program=program, name="Angkatan I")
    with translation.override("en"):
        plain = organizer_client.post(
            url("cohort_create", program), {"name": "angkatan i"}, headers={"Accept-Language": "en"}
        )
        htmx = organizer_client.post(
            url("cohort_create", program),
            {"name": "angkatan i"},
            headers={"HX-Request": "true", "Accept-Language": "en"},
        )
    assert plain.status_code == htmx.status_code == 200
    for response in (plain, htmx):
        assert "This program already has a cohort named “Angkatan I”." in response.content.decode()
    assert program.cohorts.count() == 1


def test_rename_page_opens_on_its_own_and_renames(organizer_client, program):
    cohort = CohortFactory(program=program, name="Angkatan 1")
    page = organizer_client.get(url("cohort_rename", program, cohort)).content.decode()
    assert 'value="Angkatan 1"' in page
    response = organizer_client.post(url("cohort_rename", program, cohort), {"name": "Angkatan I"})
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Angkatan I"


def test_refused_rename_with_htmx_opens_the_row_with_the_reason(organizer_client, program):
    CohortFactory(program=program, name="Angkatan I")
    cohort = CohortFactory(program=program, name="Angkatan II")
    response = organizer_client.post(
        url("cohort_rename", program, cohort), {"name": "Angkatan I"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert '<details class="mt-1" open>' in page
    assert "is-invalid" in page
    cohort.refresh_from_db()
    assert cohort.name == "Angkatan II"


def test_remove_in_use_is_refused_with_counts(organizer_client, program, enrolled):
    organizer_client.cookies["django_language"] = "en"  # the site speaks Indonesian otherwise
    cohort = CohortFactory(program=program, name="Angkatan I")
    program.enrollments.update(cohort=cohort)
    with translation.override("en"):
        htmx = organizer_client.post(
            url("cohort_delete", program, cohort), headers={"HX-Request": "true", "Accept-Language": "en"}
        )
        plain = organizer_client.post(
            url("cohort_delete", program, cohort), headers={"Accept-Language": "en"}, follow=True
        )
    refusal = "Cohort “Angkatan I” is still in use (3 participants): move them to another cohort first."
    assert refusal in htmx.content.decode()
    assert refusal in plain.content.decode()
    assert Cohort.objects.filter(pk=cohort.pk).exists()


def test_remove_unused_with_htmx_and_plain(organizer_client, program):
    first, second = CohortFactory(program=program), CohortFactory(program=program)
    assert (
        "alert-success"
        in organizer_client.post(url("cohort_delete", program, first), headers={"HX-Request": "true"}).content.decode()
    )
    assert organizer_client.get(url("cohort_delete", program, second)).status_code == 200
    assert organizer_client.post(url("cohort_delete", program, second)).status_code == 302
    assert not program.cohorts.exists()


def test_cohorts_page_counts_participants_and_sessions(organizer_client, program, enrolled):
    organizer_client.cookies["django_language"] = "en"  # the site speaks Indonesian otherwise
    cohort = CohortFactory(program=program, name="Angkatan I")
    program.enrollments.update(cohort=cohort)
    _session_for(cohort)
    with translation.override("en"):
        page = organizer_client.get(url("cohorts", program), headers={"Accept-Language": "en"}).content.decode()
    assert "3 participants" in page
    assert "1 session" in page


@pytest.mark.parametrize("role", ["facilitator", "leader"])
def test_read_only_roles_see_cohorts_but_cannot_change_them(client, program, role, request):
    cohort = CohortFactory(program=program, name="Angkatan I")
    client.force_login(request.getfixturevalue(role))
    page = client.get(url("cohorts", program)).content.decode()
    assert "Angkatan I" in page
    assert "cohort-add" not in page
    assert url("cohort_delete", program, cohort) not in page
    assert client.post(url("cohort_create", program), {"name": "Angkatan II"}).status_code == 403
    assert client.post(url("cohort_rename", program, cohort), {"name": "X"}).status_code == 403
    assert client.post(url("cohort_delete", program, cohort)).status_code == 403
    assert list(program.cohorts.values_list("name", flat=True)) == ["Angkatan I"]


def test_another_programs_cohort_is_404(organizer_client, program, other_program):
    theirs = CohortFactory(program=other_program)
    assert organizer_client.get(url("cohorts", other_program)).status_code == 404
    # Their cohort under our program's URL is not found either.
    assert organizer_client.post(url("cohort_delete", program, theirs)).status_code == 404
    assert organizer_client.post(url("cohort_rename", program, theirs), {"name": "X"}).status_code == 404
    assert Cohort.objects.filter(pk=theirs.pk).exists()


def test_overview_links_to_the_cohorts(organizer_client, program):
    CohortFactory(program=program, name="Angkatan I")
    page = organizer_client.get(reverse("retreat:program_detail", kwargs={"program_pk": program.pk})).content.decode()
    assert url("cohorts", program) in page


def test_cohorts_page_query_count(organizer_client, program, enrolled, django_assert_max_num_queries):
    for _ in range(5):
        cohort = CohortFactory(program=program)
        _session_for(cohort)
    with django_assert_max_num_queries(12):
        organizer_client.get(url("cohorts", program))


def test_add_and_remove_pages_open_on_their_own(organizer_client, program, enrolled):
    cohort = CohortFactory(program=program, name="Angkatan I")
    program.enrollments.update(cohort=cohort)
    add = organizer_client.get(url("cohort_create", program)).content.decode()
    assert 'name="name"' in add
    remove = organizer_client.get(url("cohort_delete", program, cohort)).content.decode()
    assert "Angkatan I" in remove
    assert 'type="submit"' not in remove.split("</nav>", 1)[-1].split("<footer", 1)[0]  # in use: nothing to submit
