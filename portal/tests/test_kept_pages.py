"""The personal page kept whole: made a block at a time, answered from the cache with one query while nothing
it shows has changed, and never shown to anyone but its participant."""

import gzip

import pytest
from django.core.cache import cache
from django.urls import reverse

from participants import services
from participants.models import Room
from participants.selectors import page_row_for_token, page_rows_between
from participants.tests.factories import EnrollmentFactory
from portal import pages


def _url(enrollment):
    return reverse("portal:personal_page", kwargs={"token": enrollment.access_token})


@pytest.fixture
def people(program):
    """Five participants of one block, each with a link (enrollments without one fill the rest of a block
    too short for five)."""
    while True:
        filler = EnrollmentFactory(program=program)  # without a link: no page
        if pages.block(filler.pk)[1] - filler.pk >= 5:
            break
    made = [services.access_link_issue(enrollment=EnrollmentFactory(program=program, room=f"K-{n}")) for n in range(5)]
    first, _ = pages.block(made[0].pk)
    assert all(pages.block(e.pk)[0] == first for e in made), "the test needs its participants in one block"
    return made


def test_one_page_made_makes_its_blocks_pages_each_with_its_own_participant(client, people, django_assert_num_queries):
    client.get(_url(people[0]), HTTP_ACCEPT_ENCODING="gzip")
    for person in people[1:]:
        with django_assert_num_queries(1):  # kept when the first page was made: only the link is read
            response = client.get(_url(person), HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip"
        assert int(response["Content-Length"]) == len(response.content)
        page = gzip.decompress(response.content).decode()
        assert person.participant.display_name in page
        assert f"K-{people.index(person)}" in page
        assert reverse("portal:personal_manifest", kwargs={"token": person.access_token}) in page
        others = [p for p in people if p != person]
        assert not any(other.access_token in page for other in others)
        assert not any(other.participant.display_name in page for other in others)
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["Content-Language"] == "id"
        assert "Content-Security-Policy" in response
        assert response["X-Frame-Options"] == "DENY"


def test_a_page_made_beside_another_is_the_page_made_alone(client, people):
    client.get(_url(people[0]))
    kept = client.get(_url(people[1])).content.decode()
    cache.clear()
    alone = client.get(_url(people[1])).content.decode()
    assert kept == alone


def test_the_frame_is_shared_and_no_stand_in_is_left(client, people):
    client.get(_url(people[0]))
    frame = pages.frame_for(people[0].program)
    assert frame["token"] in frame["html"]
    for person in people:
        page = client.get(_url(person)).content.decode()
        assert frame["token"] not in page
        assert reverse("portal:self_checkin", kwargs={"token": person.access_token}) in page or not (
            person.program.agenda_published_at
        )
        for place in (pages.PERSONAL_PLACE, pages.AGENDA_PLACE, pages.SUMMARY_PLACE, "<!--my-attendance"):
            assert place not in page


def test_a_kept_page_follows_changes_of_the_person_and_program_at_once(client, program, people):
    person = people[1]
    client.get(_url(people[0]))
    person.room = Room.objects.create(program=program, number="C-3", capacity=2)
    person.save()
    assert "C-3" in client.get(_url(person)).content.decode()
    participant = person.participant
    participant.position_title = "Asisten Perekonomian"
    participant.save()
    assert "Asisten Perekonomian" in client.get(_url(person)).content.decode()
    program.name = "Retret Kepemimpinan Angkatan II"
    program.save()
    assert "Angkatan II" in client.get(_url(person)).content.decode()


def test_a_revoked_or_replaced_link_is_404_though_its_page_was_kept(client, people):
    person = people[2]
    client.get(_url(people[0]))
    old = person.access_token
    services.access_link_issue(enrollment=person)
    assert client.get(reverse("portal:personal_page", kwargs={"token": old})).status_code == 404
    fresh = client.get(_url(person)).content.decode()
    assert old not in fresh
    assert person.access_token in fresh
    revoked = people[3].access_token
    services.access_link_revoke(enrollment=people[3])
    assert client.get(reverse("portal:personal_page", kwargs={"token": revoked})).status_code == 404


def test_each_language_and_encoding_is_kept_apart(client, people):
    person = people[1]
    client.get(_url(people[0]))
    indonesian = client.get(_url(person)).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(_url(person))
    assert english["Content-Language"] == "en"
    assert "My schedule" in english.content.decode()
    assert "Jadwal saya" in indonesian or "Jadwal Saya" in indonesian
    compressed = client.get(_url(person), HTTP_ACCEPT_ENCODING="gzip")
    assert gzip.decompress(compressed.content).decode() == english.content.decode()


def test_a_page_whose_block_is_being_made_elsewhere_is_waited_for_then_made(client, people, monkeypatch):
    monkeypatch.setattr(pages, "WAIT_SECONDS", 0.1)
    first, _ = pages.block(people[0].pk)
    lock = f"personal-pages-making:{people[0].program_id}:{first}"
    assert cache.add(lock, 1, 10)  # another request makes this block and keeps nothing in time
    try:
        response = client.get(_url(people[4]))
        assert response.status_code == 200
        assert people[4].participant.display_name in response.content.decode()
        assert cache.get(lock) == 1  # not this request's lock: left to its holder
    finally:
        cache.delete(lock)


def test_prepared_rows_are_the_active_enrollments_with_a_link(people, program):
    from participants.enums import EnrollmentStatus

    row = page_row_for_token(people[0].access_token)
    assert row[:2] == (people[0].pk, program.pk)
    assert page_row_for_token("no-such-token") is None
    assert page_row_for_token("") is None
    cancelled = people[1]
    cancelled.status = EnrollmentStatus.WITHDRAWN
    cancelled.save()
    assert page_row_for_token(cancelled.access_token) is None
    first, last = pages.block(people[0].pk)
    rows = page_rows_between(program.pk, first, last)
    assert [r[0] for r in rows] == [p.pk for p in people if p != cancelled]
    assert [r[-1] for r in rows] == [p.access_token for p in people if p != cancelled]
    assert [r[:-1] for r in rows][0] == row
