"""Facilitators assigned to discussion groups: only facilitators of the program's institutions, set by managers
(plain POST or htmx), shown on the group cards to every role that sees the groups page."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from participants.models import DiscussionGroup
from participants.services import group_facilitators_set
from participants.tests.factories import EnrollmentFactory
from retreat.enums import Role
from retreat.tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _group(program, number=1):
    return DiscussionGroup.objects.create(program=program, number=number, name=f"Kelompok {number}")


def _url(program, number=1):
    return reverse("participants:group_facilitators", kwargs={"program_pk": program.pk, "number": number})


def _groups_url(program):
    return reverse("participants:groups", kwargs={"program_pk": program.pk})


def test_service_sets_and_replaces_facilitators(program, facilitator, institution):
    group = _group(program)
    second = MembershipFactory(user=UserFactory(username="pendamping2"), institution=institution, role=Role.FACILITATOR)
    group_facilitators_set(group=group, users=[facilitator, second.user])
    assert set(group.facilitators.all()) == {facilitator, second.user}
    group_facilitators_set(group=group, users=[second.user])
    assert list(group.facilitators.all()) == [second.user]
    group_facilitators_set(group=group, users=[])
    assert not group.facilitators.exists()


def test_service_refuses_other_roles_and_other_institutions(program, facilitator, organizer, other_institution):
    group = _group(program)
    stranger = MembershipFactory(
        user=UserFactory(username="pendamping_magelang", first_name="Dewi", last_name="Magelang"),
        institution=other_institution,
        role=Role.FACILITATOR,
    ).user
    for refused in (organizer, stranger):
        with pytest.raises(ValidationError) as exc:
            group_facilitators_set(group=group, users=[facilitator, refused])
        assert "Not a facilitator of this program's institutions" in exc.value.messages[0]
        assert (refused.get_full_name() or refused.username) in exc.value.messages[0]
        assert not group.facilitators.exists()  # nothing changed


def test_manager_sets_facilitators_with_plain_post_and_htmx(organizer_client, program, facilitator):
    group = _group(program)
    response = organizer_client.post(_url(program), {"facilitators": [facilitator.pk]})
    assert response.status_code == 302
    assert list(group.facilitators.all()) == [facilitator]

    response = organizer_client.post(_url(program), {}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert not group.facilitators.exists()
    assert 'id="group-1"' in response.content.decode()


def test_another_institutions_user_is_refused_on_the_page(organizer_client, program, other_institution):
    group = _group(program)
    stranger = MembershipFactory(
        user=UserFactory(username="pendamping_magelang"), institution=other_institution, role=Role.FACILITATOR
    ).user
    response = organizer_client.post(_url(program), {"facilitators": [stranger.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "pendamping_magelang" in page
    assert not group.facilitators.exists()
    assert f'value="{stranger.pk}"' not in page  # never offered either


def test_unknown_group_or_bad_id_is_404(organizer_client, program):
    _group(program)
    assert organizer_client.post(_url(program, 9), {}).status_code == 404
    assert organizer_client.post(_url(program), {"facilitators": ["x"]}).status_code == 404


def test_read_only_role_sees_but_cannot_change(client, program, facilitator, leader):
    group = _group(program)
    group_facilitators_set(group=group, users=[facilitator])
    client.force_login(leader)
    page = client.get(_groups_url(program)).content.decode()
    assert 'class="group-facilitator"' in page
    assert "group-facilitators-form" not in page
    assert client.post(_url(program), {}).status_code == 403
    assert list(group.facilitators.all()) == [facilitator]


def test_groups_page_query_count_is_constant(organizer_client, program, institution):
    def add(number):
        group = _group(program, number)
        user = MembershipFactory(
            user=UserFactory(username=f"pendamping{number}"), institution=institution, role=Role.FACILITATOR
        ).user
        group_facilitators_set(group=group, users=[user])
        EnrollmentFactory(program=program, group=group)

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert organizer_client.get(_groups_url(program)).status_code == 200
    for number in range(2, 6):
        add(number)
    with CaptureQueriesContext(connection) as many:
        page = organizer_client.get(_groups_url(program)).content.decode()
    assert len(many) == len(one)
    assert page.count('class="group-facilitator"') == 5
