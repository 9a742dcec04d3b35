"""Rooms (kamar): the assignment, the services' rules, the page, the rooming list and the personal page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from participants import services
from participants.documents import ID_CARDS, ROOMING_LIST
from participants.enums import Sex
from participants.models import Enrollment, Room
from participants.rooms import NO_BED, NO_ROOM, NO_SEX, Bed, Sleeper, assign_rooms
from participants.tests.factories import EnrollmentFactory, ParticipantFactory, RoomFactory, valid_nip
from retreat.enums import JobStatus
from retreat.tests.pdf import document_made, pdf_text

pytestmark = pytest.mark.django_db


def _person(program, sex=Sex.MALE, unit="Dinas Uji", n=[0]):  # noqa: B006  (a counter for distinct NIPs)
    n[0] += 1
    participant = ParticipantFactory(institution=program.organizer, sex=sex, nip=valid_nip(500 + n[0], sex),
                                     unit_name=unit)  # fmt: skip
    return EnrollmentFactory(program=program, participant=participant)


def _url(name, program, **kwargs):
    return reverse(f"participants:{name}", kwargs={"program_pk": program.pk, **kwargs})


# The assignment (pure) -------------------------------------------------------------------------------------------


def test_assignment_keeps_sexes_apart_and_never_overfills():
    beds = [Bed(1, "L", 2, 0), Bed(2, "L", 2, 1), Bed(3, "P", 1, 2)]
    sleepers = [Sleeper(k, "L", f"Unit {k}") for k in range(1, 6)] + [Sleeper(k, "P", "X") for k in (6, 7)]
    result = assign_rooms(beds, sleepers)
    assert all(result.assignment[k] in (1, 2) for k in range(1, 6) if k in result.assignment)
    assert sorted(result.assignment.values()).count(1) == 2
    assert sorted(result.assignment.values()).count(2) == 2
    assert [v for k, v in result.assignment.items() if k in (6, 7)] == [3]
    assert sorted(result.unplaced.values()) == [NO_BED, NO_BED]


def test_assignment_spreads_a_unit_over_rooms():
    beds = [Bed(1, "L", 2, 0), Bed(2, "L", 2, 1)]
    sleepers = [Sleeper(1, "L", "Dinas A"), Sleeper(2, "L", "Dinas A"), Sleeper(3, "L", "Dinas B"),
                Sleeper(4, "L", "Dinas B")]  # fmt: skip
    result = assign_rooms(beds, sleepers)
    assert result.assignment[1] != result.assignment[2]
    assert result.assignment[3] != result.assignment[4]


def test_assignment_keeps_locks_and_says_why_others_are_left():
    beds = [Bed(1, "L", 1, 0), Bed(2, "", 4, 1)]
    sleepers = [Sleeper(1, "L", "A"), Sleeper(2, "L", "B", locked_room=1), Sleeper(3, "", "C"), Sleeper(4, "P", "D")]
    result = assign_rooms(beds, list(reversed(sleepers)))
    assert result.assignment == {2: 1}  # the lock holds the only men's bed; the unset room is never used
    assert result.unplaced == {1: NO_BED, 3: NO_SEX, 4: NO_ROOM}


# Services -------------------------------------------------------------------------------------------------------


def test_rooms_assign_places_by_sex_and_keeps_a_lock(program):
    men = [_person(program, Sex.MALE, f"Dinas {n % 2}") for n in range(4)]
    women = [_person(program, Sex.FEMALE) for _ in range(2)]
    men_room = RoomFactory(program=program, number="1", capacity=2, sex=Sex.MALE)
    other_men_room = RoomFactory(program=program, number="2", capacity=2, sex=Sex.MALE)
    women_room = RoomFactory(program=program, number="3", capacity=2, sex=Sex.FEMALE)
    services.enrollment_room_move(enrollment=men[3], room=other_men_room)
    unplaced = services.rooms_assign(program=program)
    assert unplaced == {}
    rooms = {e.pk: e.room_id for e in Enrollment.objects.filter(program=program)}
    assert rooms[men[3].pk] == other_men_room.pk
    assert {rooms[e.pk] for e in women} == {women_room.pk}
    assert sorted(rooms[e.pk] for e in men) == [men_room.pk] * 2 + [other_men_room.pk] * 2
    assert Enrollment.objects.get(pk=men[3].pk).room_locked


def test_rooms_assign_reports_who_is_left(program):
    unknown = _person(program)
    type(unknown.participant).objects.filter(pk=unknown.participant_id).update(sex="")
    woman = _person(program, Sex.FEMALE)
    RoomFactory(program=program, capacity=4, sex=Sex.MALE)
    assert services.rooms_assign(program=program) == {unknown.pk: NO_SEX, woman.pk: NO_ROOM}


def test_a_manual_move_is_refused_over_capacity_or_into_the_other_sex(program):
    room = RoomFactory(program=program, capacity=1, sex=Sex.MALE)
    first, second, woman = _person(program), _person(program), _person(program, Sex.FEMALE)
    services.enrollment_room_move(enrollment=first, room=room)
    with translation.override("en"), pytest.raises(ValidationError, match="is full"):
        services.enrollment_room_move(enrollment=second, room=room)
    room.capacity = 2
    room.save()
    with translation.override("en"), pytest.raises(ValidationError, match="is for male"):
        services.enrollment_room_move(enrollment=woman, room=room)
    services.enrollment_room_move(enrollment=second, room=room, lock=False)
    assert list(room.enrollments.order_by("pk")) == [first, second]


def test_an_occupied_room_is_not_deleted_nor_shrunk_below_its_people(program):
    room = RoomFactory(program=program, capacity=2)
    services.enrollment_room_move(enrollment=_person(program), room=room)
    services.enrollment_room_move(enrollment=_person(program), room=room)
    with pytest.raises(ValidationError):
        services.room_delete(room=room)
    with pytest.raises(ValidationError):
        services.room_update(room=room, data={"capacity": 1})
    with pytest.raises(ValidationError):
        services.room_update(room=room, data={"sex": Sex.FEMALE})
    empty = RoomFactory(program=program)
    services.room_delete(room=empty)
    assert list(Room.objects.filter(program=program)) == [room]


# Pages ----------------------------------------------------------------------------------------------------------


def test_rooms_page_shows_rooms_and_who_waits(organizer_client, program):
    room = RoomFactory(program=program, building="Barak Yudha", number="01", capacity=2)
    placed = _person(program)
    services.enrollment_room_move(enrollment=placed, room=room)
    waiting = _person(program, Sex.FEMALE)
    with translation.override("en"):
        page = organizer_client.get(_url("rooms", program)).content.decode()
    assert "Barak Yudha · 01" in page
    assert placed.participant.name in page
    assert waiting.participant.name in page
    assert 'class="card mb-3 border-warning rooms-waiting"' in page
    assert _url("room_move", program, enrollment_pk=waiting.pk) in page


def test_the_waiting_list_says_why(organizer_client, program):
    organizer_client.cookies["django_language"] = "en"  # the site speaks Indonesian otherwise
    RoomFactory(program=program, capacity=1, sex=Sex.MALE)
    first, second, woman = _person(program), _person(program), _person(program, Sex.FEMALE)
    services.rooms_assign(program=program)
    with translation.override("en"):
        response = organizer_client.get(_url("rooms", program))
    waiting = {e.pk: e.unplaced_reason for e in response.context["waiting"]}
    assert waiting == {second.pk: "the rooms for their sex are full", woman.pk: "no room is set aside for their sex"}
    assert Enrollment.objects.get(pk=first.pk).room is not None


def test_the_enrollment_form_refuses_a_room_of_the_other_sex(program):
    room = RoomFactory(program=program, capacity=2, sex=Sex.MALE)
    woman = _person(program, Sex.FEMALE)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.enrollment_update(enrollment=woman, participant_data={}, data={"room": room}, participant_version=0,
                                   version=0)  # fmt: skip
    assert "room" in refused.value.message_dict
    assert Enrollment.objects.get(pk=woman.pk).room is None


def test_an_import_puts_people_in_rooms_by_their_label(program):
    from participants.importing import import_commit, plan_import

    RoomFactory(program=program, building="Wisma A", number="101", capacity=1)
    data = (
        "Nama;NIP;Jabatan;Unit Kerja;Kamar\n"
        f"Ahmad Fauzi;{valid_nip(901)};Camat Klojen;Kecamatan Klojen;wisma a · 101\n"
        f"Budi Santoso;{valid_nip(902)};Camat Blimbing;Kecamatan Blimbing;K-9\n"
        f"Candra Wijaya;{valid_nip(903)};Camat Sukun;Kecamatan Sukun;K-9\n"
    ).encode()
    import_commit(program=program, plan=plan_import(program=program, data=data, filename="a.csv"))
    rooms = {e.participant.name: e.room.label for e in Enrollment.objects.filter(program=program)}
    assert rooms == {"Ahmad Fauzi": "Wisma A · 101", "Budi Santoso": "K-9", "Candra Wijaya": "K-9"}
    made = Room.objects.get(program=program, number="K-9")
    assert (made.capacity, made.sex) == (2, "")  # its beds follow the file; men or women is the organizer's call


def test_readers_see_the_rooms_but_cannot_change_them(client, facilitator, program):
    room = RoomFactory(program=program)
    enrollment = _person(program)
    client.force_login(facilitator)
    page = client.get(_url("rooms", program)).content.decode()
    assert room.label in page
    assert "room-select" not in page
    assert client.post(_url("room_move", program, enrollment_pk=enrollment.pk), {"room": room.pk}).status_code == 403
    assert client.post(_url("rooms_assign", program)).status_code == 403
    assert client.post(_url("room_create", program), {"number": "9", "capacity": 2}).status_code == 403
    assert Enrollment.objects.get(pk=enrollment.pk).room is None


def test_another_institutions_room_is_404(organizer_client, program, other_program):
    room = RoomFactory(program=other_program)
    enrollment = _person(program)
    assert organizer_client.get(_url("room_update", program, room_pk=room.pk)).status_code == 404
    assert organizer_client.get(_url("rooms", other_program)).status_code == 404
    response = organizer_client.post(_url("room_move", program, enrollment_pk=enrollment.pk), {"room": room.pk})
    assert response.status_code == 404


def test_organizer_adds_edits_and_deletes_a_room(organizer_client, program):
    data = {"building": "Wisma A", "number": "101", "capacity": 3, "sex": Sex.FEMALE, "notes": "Lantai 1"}
    assert organizer_client.post(_url("room_create", program), data).status_code == 302
    room = Room.objects.get(program=program)
    assert (room.label, room.capacity, room.sex) == ("Wisma A · 101", 3, Sex.FEMALE)
    data["number"] = "102"
    assert organizer_client.post(_url("room_update", program, room_pk=room.pk), data).status_code == 302
    room.refresh_from_db()
    assert room.number == "102"
    assert organizer_client.post(_url("room_delete", program, room_pk=room.pk)).status_code == 302
    assert not Room.objects.filter(program=program).exists()


def test_a_program_with_people_in_rooms_can_be_deleted(program):
    services.enrollment_room_move(enrollment=_person(program), room=RoomFactory(program=program))
    program.delete()
    assert not Room.objects.exists()


def test_a_second_room_of_the_same_number_is_refused_on_the_form(organizer_client, program):
    RoomFactory(program=program, building="Wisma A", number="101")
    data = {"building": "Wisma A", "number": "101", "capacity": 2, "sex": Sex.MALE, "notes": ""}
    response = organizer_client.post(_url("room_create", program), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Room.objects.filter(program=program).count() == 1


def test_a_refused_move_says_why_on_the_board(organizer_client, program):
    room = RoomFactory(program=program, capacity=2, sex=Sex.MALE)
    woman = _person(program, Sex.FEMALE)
    page = organizer_client.post(
        _url("room_move", program, enrollment_pk=woman.pk), {"room": room.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert page.lstrip().startswith('<div id="rooms-board">')
    notice = page.split('rooms-notice" role="status">', 1)[1].split("</div>", 1)[0]
    assert room.label in notice
    assert woman.participant.display_name in notice  # the refusal names the room and the person
    assert Enrollment.objects.get(pk=woman.pk).room is None


def test_move_lock_and_unlock_without_javascript(organizer_client, program):
    room = RoomFactory(program=program, capacity=2)
    enrollment = _person(program)
    url = _url("room_move", program, enrollment_pk=enrollment.pk)
    assert organizer_client.post(url, {"room": room.pk}).status_code == 302
    enrollment.refresh_from_db()
    assert (enrollment.room, enrollment.room_locked) == (room, True)
    organizer_client.post(url, {"locked": "0"})
    enrollment.refresh_from_db()
    assert (enrollment.room, enrollment.room_locked) == (room, False)
    organizer_client.post(url, {"room": ""})
    enrollment.refresh_from_db()
    assert enrollment.room is None


def test_assign_view_says_who_could_not_be_placed(organizer_client, program):
    organizer_client.cookies["django_language"] = "en"  # the site speaks Indonesian otherwise
    _person(program)
    _person(program, Sex.FEMALE)
    RoomFactory(program=program, capacity=1, sex=Sex.MALE)
    with translation.override("en"):
        response = organizer_client.post(_url("rooms_assign", program), follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any("1 participant could not be placed" in text for text in texts), texts


def test_rooms_page_query_count_does_not_grow(organizer_client, program, django_assert_max_num_queries):
    url = _url("rooms", program)
    RoomFactory(program=program, capacity=4)
    _person(program)
    services.rooms_assign(program=program)
    with django_assert_max_num_queries(20) as few:
        organizer_client.get(url)
    for n in range(8):
        RoomFactory(program=program, capacity=4, sex=Sex.MALE if n % 2 else Sex.FEMALE)
    for n in range(30):
        _person(program, Sex.MALE if n % 3 else Sex.FEMALE, f"Dinas {n % 5}")
    services.rooms_assign(program=program)
    with django_assert_max_num_queries(20) as many:
        organizer_client.get(url)
    assert len(many) == len(few)


# Documents and the personal page --------------------------------------------------------------------------------


def test_rooming_list_pdf(program, organizer, django_capture_on_commit_callbacks):
    men = RoomFactory(program=program, building="Barak Yudha", number="01", capacity=2, sex=Sex.MALE)
    RoomFactory(program=program, building="Barak Srikandi", number="01", capacity=2, sex=Sex.FEMALE)
    placed = [_person(program, Sex.MALE, "Dinas Kesehatan"), _person(program, Sex.FEMALE, "Bappeda")]
    waiting = _person(program, Sex.MALE)
    services.rooms_assign(program=program)
    services.enrollment_room_move(enrollment=waiting, room=None)
    services.room_update(room=men, data={"capacity": 1})
    with translation.override("en"):
        job = document_made(program, organizer, ROOMING_LIST, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job.file.read())
    assert "Barak Yudha" in text
    assert "Barak Srikandi" in text
    assert all(e.participant.name in text for e in placed + [waiting])
    assert "Dinas Kesehatan" in text


def test_rooming_list_without_rooms_says_so(program, organizer, django_capture_on_commit_callbacks):
    _person(program)
    job = document_made(program, organizer, ROOMING_LIST, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED


def test_id_cards_show_the_room(program, organizer, django_capture_on_commit_callbacks):
    room = RoomFactory(program=program, building="Barak Yudha", number="07", capacity=2)
    services.enrollment_room_move(enrollment=_person(program), room=room)
    job = document_made(program, organizer, ID_CARDS, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    assert "Barak Yudha · 07" in pdf_text(job.file.read())


def _room_shown(page: str) -> tuple[str, str]:
    number = page.split('personal-room">', 1)[1].split("<", 1)[0]
    building = page.split('personal-room-building">', 1)[1].split("<", 1)[0] if "personal-room-building" in page else ""
    return building, number


def test_a_move_and_a_rename_show_on_the_personal_page_at_once(client, program):
    first = RoomFactory(program=program, building="Barak Yudha", number="01", capacity=2)
    second = RoomFactory(program=program, building="Barak Yudha", number="02", capacity=2)
    enrollment = services.access_link_issue(enrollment=_person(program))
    url = reverse("portal:personal_page", kwargs={"token": enrollment.access_token})
    assert _room_shown(client.get(url).content.decode()) == ("", "–")
    services.enrollment_room_move(enrollment=enrollment, room=first)
    assert _room_shown(client.get(url).content.decode()) == ("Barak Yudha", "01")
    client.get(url)  # served from the kept page now
    services.enrollment_room_move(enrollment=enrollment, room=second)
    assert _room_shown(client.get(url).content.decode()) == ("Barak Yudha", "02")
    services.room_update(room=second, data={"building": "Wisma Srikandi", "number": "12"})
    assert _room_shown(client.get(url).content.decode()) == ("Wisma Srikandi", "12")
    services.room_update(room=second, data={"building": ""})
    assert _room_shown(client.get(url).content.decode()) == ("", "12")
