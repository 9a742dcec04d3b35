from django.urls import reverse

from participants.enums import RetreatRole
from participants.models import DiscussionGroup
from participants.tests.factories import EnrollmentFactory


def _cohort(program, n=12):
    roles = [RetreatRole.LURAH] * 6 + [RetreatRole.CAMAT] * 3 + [RetreatRole.KEPALA_PD] * 3
    return [EnrollmentFactory(program=program, role=roles[i % len(roles)]) for i in range(n)]


def test_forming_groups_balances_and_keeps_locks(organizer_client, program):
    enrollments = _cohort(program)
    url = reverse("participants:groups_form", kwargs={"program_pk": program.pk})
    organizer_client.post(url, {"group_count": 3})
    counts = [g.enrollments.count() for g in DiscussionGroup.objects.filter(program=program)]
    assert sorted(counts) == [4, 4, 4]
    camat_groups = {e.group.number for e in program.enrollments.filter(role=RetreatRole.CAMAT).select_related("group")}
    assert camat_groups == {1, 2, 3}

    mover = enrollments[0]
    move = reverse("participants:enrollment_move", kwargs={"program_pk": program.pk, "enrollment_pk": mover.pk})
    organizer_client.post(move, {"group": 3})
    mover.refresh_from_db()
    assert (mover.group.number, mover.group_locked) == (3, True)
    organizer_client.post(url, {"group_count": 3})
    mover.refresh_from_db()
    assert mover.group.number == 3

    page = organizer_client.get(reverse("participants:groups", kwargs={"program_pk": program.pk})).content.decode()
    assert "Skor pembauran" in page
    assert mover.participant.name in page


def test_group_size_gives_the_number_of_groups(organizer_client, program):
    _cohort(program, 10)
    organizer_client.post(reverse("participants:groups_form", kwargs={"program_pk": program.pk}), {"group_size": 4})
    assert DiscussionGroup.objects.filter(program=program).count() == 3


def test_invalid_group_request_explains(organizer_client, program):
    page = organizer_client.post(
        reverse("participants:groups_form", kwargs={"program_pk": program.pk}), {}
    ).content.decode()
    assert "jumlah kelompok" in page.lower()
    assert not DiscussionGroup.objects.exists()


def test_readers_see_groups_but_cannot_form_them(client, leader, program):
    _cohort(program, 4)
    client.force_login(leader)
    assert client.get(reverse("participants:groups", kwargs={"program_pk": program.pk})).status_code == 200
    assert (
        client.post(
            reverse("participants:groups_form", kwargs={"program_pk": program.pk}), {"group_count": 2}
        ).status_code
        == 403
    )
    assert not DiscussionGroup.objects.exists()


def test_groups_page_query_count_does_not_grow(organizer_client, program, django_assert_max_num_queries):
    url = reverse("participants:groups", kwargs={"program_pk": program.pk})
    _cohort(program, 4)
    organizer_client.post(reverse("participants:groups_form", kwargs={"program_pk": program.pk}), {"group_count": 2})
    with django_assert_max_num_queries(16) as few:
        organizer_client.get(url)
    _cohort(program, 40)
    organizer_client.post(reverse("participants:groups_form", kwargs={"program_pk": program.pk}), {"group_count": 8})
    with django_assert_max_num_queries(16) as many:
        organizer_client.get(url)
    assert len(many) == len(few)


def test_readers_cannot_find_nips_by_searching(client, facilitator, program):
    enrollment = EnrollmentFactory(program=program)
    client.force_login(facilitator)
    url = (
        reverse("participants:enrollment_list", kwargs={"program_pk": program.pk})
        + f"?q={enrollment.participant.nip[:10]}"
    )
    assert enrollment.participant.name not in client.get(url).content.decode()
