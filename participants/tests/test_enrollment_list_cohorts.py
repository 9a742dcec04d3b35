"""The participant list shows each participant's cohort and filters by it, in as many queries at 1 and many
rows; a program without cohorts shows neither the column nor the filter."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from participants.tests.factories import EnrollmentFactory
from retreat.tests.factories import CohortFactory


def list_url(program, **query):
    url = reverse("participants:enrollment_list", kwargs={"program_pk": program.pk})
    return url + ("?" + urlencode(query) if query else "")


@pytest.fixture
def cohorts(program):
    return CohortFactory(program=program, name="Angkatan I"), CohortFactory(program=program, name="Angkatan II")


def test_list_shows_the_cohort_column_and_filter(organizer_client, program, cohorts):
    EnrollmentFactory(program=program, cohort=cohorts[0])
    page = organizer_client.get(list_url(program)).content.decode()
    assert 'name="cohort"' in page
    assert '<td class="small cell-cohort" data-label=' in page
    assert ">Angkatan I</td>" in page


def test_list_filters_by_cohort(organizer_client, program, cohorts):
    first = EnrollmentFactory(program=program, cohort=cohorts[0])
    second = EnrollmentFactory(program=program, cohort=cohorts[1])
    none = EnrollmentFactory(program=program, cohort=None)

    def names(**query):
        page = organizer_client.get(list_url(program, **query)).content.decode()
        return {e.participant.name for e in (first, second, none) if e.participant.name in page}

    assert names() == {first.participant.name, second.participant.name, none.participant.name}
    assert names(cohort=cohorts[1].pk) == {second.participant.name}
    assert names(cohort="none") == {none.participant.name}
    assert names(cohort="not-a-number") == names()  # an invalid choice filters nothing


def test_another_programs_cohort_is_not_a_filter(organizer_client, program, other_program, cohorts):
    theirs = CohortFactory(program=other_program)
    EnrollmentFactory(program=program, cohort=cohorts[0])
    page = organizer_client.get(list_url(program, cohort=theirs.pk)).content.decode()
    assert page.count('class="nip small"') == 1  # a choice not offered filters nothing


def test_program_without_cohorts_has_no_cohort_column(organizer_client, program):
    EnrollmentFactory(program=program)
    page = organizer_client.get(list_url(program)).content.decode()
    assert 'name="cohort"' not in page
    assert "cell-cohort" not in page


def test_rows_become_cards_on_phones(organizer_client, program):
    EnrollmentFactory(program=program)
    page = organizer_client.get(list_url(program)).content.decode()
    assert "table-cards" in page
    assert "participants/enrollment_list.css" in page


def test_list_with_cohorts_query_count_does_not_grow(organizer_client, program, cohorts, django_assert_max_num_queries):
    EnrollmentFactory(program=program, cohort=cohorts[0])
    with django_assert_max_num_queries(15) as one:
        organizer_client.get(list_url(program, cohort=cohorts[0].pk))
    for n in range(60):
        EnrollmentFactory(program=program, cohort=cohorts[n % 2])
    with django_assert_max_num_queries(15) as many:
        page = organizer_client.get(list_url(program)).content.decode()
    assert len(many) == len(one)
    assert page.count("cell-cohort") == 50
