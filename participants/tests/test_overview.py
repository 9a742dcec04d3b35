"""The program overview's participant panel and the dashboard's participant count, which participants
registers in the program frame (participants/frame.py)."""

import pytest
from django.urls import reverse

from participants.tests.factories import EnrollmentFactory
from retreat.tests.factories import ProgramFactory


def test_dashboard_lists_only_the_users_programs(organizer_client, program, other_program):
    page = organizer_client.get(reverse("retreat:dashboard")).content.decode()
    assert program.name in page
    assert other_program.name not in page


def _dashboard_queries(client, django_assert_max_num_queries, n):
    with django_assert_max_num_queries(n) as captured:
        response = client.get(reverse("retreat:dashboard"))
    assert response.status_code == 200
    return len(captured)


def test_dashboard_query_count_does_not_grow(organizer_client, institution, program, django_assert_max_num_queries):
    EnrollmentFactory(program=program)
    one = _dashboard_queries(organizer_client, django_assert_max_num_queries, 8)
    for _ in range(15):
        EnrollmentFactory.create_batch(2, program=ProgramFactory(organizer=institution))
    many = _dashboard_queries(organizer_client, django_assert_max_num_queries, 8)
    assert many == one
    assert organizer_client.get(reverse("retreat:dashboard")).content.decode().count("program-card") == 16


def test_program_page_query_count_does_not_grow(organizer_client, program, django_assert_max_num_queries):
    url = reverse("retreat:program_detail", kwargs={"program_pk": program.pk})
    EnrollmentFactory(program=program)
    with django_assert_max_num_queries(12) as one:
        organizer_client.get(url)
    EnrollmentFactory.create_batch(40, program=program)
    with django_assert_max_num_queries(12) as many:
        page = organizer_client.get(url).content.decode()
    assert len(many) == len(one)
    assert page.count("<tr>") >= 41


def test_organizer_sees_own_program(organizer_client, program, enrolled):
    response = organizer_client.get(reverse("retreat:program_detail", kwargs={"program_pk": program.pk}))
    assert response.status_code == 200
    content = response.content.decode()
    assert program.name in content
    assert enrolled[0].participant.nip_display in content


@pytest.mark.parametrize("who", ["facilitator", "leader"])
def test_readers_cannot_export_and_see_masked_nips(client, program, enrolled, who, request):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("retreat:program_detail", kwargs={"program_pk": program.pk})).content.decode()
    nip = enrolled[0].participant.nip
    assert nip[:4] + "*" * 10 + nip[-4:] in page
    assert enrolled[0].participant.nip_display not in page
    response = client.post(
        reverse("retreat:document_request", kwargs={"program_pk": program.pk, "kind": "participant_list"})
    )
    assert response.status_code == 403
    assert not program.document_jobs.exists()
    assert client.get(reverse("retreat:program_update", kwargs={"program_pk": program.pk})).status_code == 403
