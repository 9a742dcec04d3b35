import pytest
from django.urls import reverse

from participants.enums import EnrollmentStatus, RetreatRole
from participants.models import Enrollment
from participants.tests.factories import EnrollmentFactory, ParticipantFactory, RoomFactory


def list_url(program, **query):
    from urllib.parse import urlencode

    return reverse("participants:enrollment_list", kwargs={"program_pk": program.pk}) + (
        "?" + urlencode(query) if query else ""
    )


def test_enrollment_list_query_count_does_not_grow(organizer_client, program, django_assert_max_num_queries):
    EnrollmentFactory(program=program)
    with django_assert_max_num_queries(14) as one:
        organizer_client.get(list_url(program))
    EnrollmentFactory.create_batch(60, program=program)
    with django_assert_max_num_queries(14) as many:
        page = organizer_client.get(list_url(program)).content.decode()
    assert len(many) == len(one)
    assert page.count('class="nip small"') == 50  # first page of 61


def test_filters_and_search(organizer_client, program):
    camat = EnrollmentFactory(program=program, role=RetreatRole.CAMAT, participant__unit_name="Kecamatan Klojen")
    lurah = EnrollmentFactory(program=program, role=RetreatRole.LURAH, participant__unit_name="Kelurahan Oro-oro Dowo")
    withdrawn = EnrollmentFactory(program=program, status=EnrollmentStatus.WITHDRAWN, withdrawn_reason="Sakit")

    def names(**query):
        page = organizer_client.get(list_url(program, **query)).content.decode()
        return {e.participant.name for e in (camat, lurah, withdrawn) if e.participant.name in page}

    assert names(role="camat") == {camat.participant.name}
    assert names(unit="Kelurahan Oro-oro Dowo") == {lurah.participant.name}
    assert names(status="withdrawn") == {withdrawn.participant.name}
    assert names(q=lurah.participant.nip[:12]) == {lurah.participant.name}
    assert names(q="klojen") == {camat.participant.name}


def test_other_institution_enrollment_is_404(organizer_client, program, other_program):
    other = EnrollmentFactory(program=other_program)
    url = reverse("participants:enrollment_update", kwargs={"program_pk": program.pk, "enrollment_pk": other.pk})
    assert organizer_client.get(url).status_code == 404
    url = reverse("participants:enrollment_update", kwargs={"program_pk": other_program.pk, "enrollment_pk": other.pk})
    assert organizer_client.get(url).status_code == 404
    assert organizer_client.get(list_url(other_program)).status_code == 404


def test_facilitator_reads_the_list_masked_but_cannot_edit(client, facilitator, program):
    enrollment = EnrollmentFactory(program=program)
    client.force_login(facilitator)
    page = client.get(list_url(program)).content.decode()
    assert enrollment.participant.name in page
    assert enrollment.participant.nip_display not in page
    url = reverse("participants:enrollment_update", kwargs={"program_pk": program.pk, "enrollment_pk": enrollment.pk})
    assert client.get(url).status_code == 403
    export = reverse("participants:enrollment_export", kwargs={"program_pk": program.pk, "fmt": "xlsx"})
    assert client.get(export).status_code == 403


def _edit_data(enrollment, **overrides):
    p = enrollment.participant
    data = {
        "participant_type": p.participant_type, "nip": p.nip, "nik": "", "front_title": "Dr.", "name": p.name,
        "back_title": "M.Si.", "sex": p.sex, "golongan": "IV/b", "pppk_grade": "", "eselon": "II.b",
        "position_category": "jpt_pratama", "position_title": "Kepala Dinas Kesehatan", "unit_name": "Dinas Kesehatan",
        "phone": "0812-3456-7890", "email": "", "uniform_size": "L", "dietary_notes": "", "health_notes": "Asma",
        "role": "kepala_pd", "cohort": "", "group": "", "room": "", "status": "confirmed",
        "withdrawn_reason": "", "replaced_by": "",
        "participant_version": p.version, "enrollment_version": enrollment.version,  # as the form was read
    }  # fmt: skip
    return {**data, **overrides}


def test_edit_enrollment_and_participant(organizer_client, program):
    enrollment = EnrollmentFactory(program=program)
    url = reverse("participants:enrollment_update", kwargs={"program_pk": program.pk, "enrollment_pk": enrollment.pk})
    room = RoomFactory(program=program, building="", number="A-12")
    response = organizer_client.post(url, _edit_data(enrollment, room=room.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    enrollment.refresh_from_db()
    assert enrollment.room == room
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    assert enrollment.participant.phone == "+6281234567890"
    assert enrollment.participant.display_name.startswith("Dr. ")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nip": "196802301994031005"}, "bukan tanggal yang ada"),
        ({"phone": "12ab"}, "bukan nomor telepon"),
        ({"status": "withdrawn"}, "Sebutkan alasan"),
        ({"status": "replaced"}, "Pilih peserta pengganti"),
    ],
)
def test_bad_edit_says_what_and_saves_nothing(organizer_client, program, overrides, message):
    enrollment = EnrollmentFactory(program=program, room="B-1")
    before = (enrollment.participant.nip, enrollment.participant.phone, enrollment.status)
    url = reverse("participants:enrollment_update", kwargs={"program_pk": program.pk, "enrollment_pk": enrollment.pk})
    page = organizer_client.post(url, _edit_data(enrollment, room=enrollment.room_id, **overrides)).content.decode()
    assert message in page
    enrollment.refresh_from_db()
    assert enrollment.room.label == "B-1"
    assert (enrollment.participant.nip, enrollment.participant.phone, enrollment.status) == before


def test_replacement_is_recorded(organizer_client, program):
    enrollment = EnrollmentFactory(program=program)
    substitute = EnrollmentFactory(program=program)
    url = reverse("participants:enrollment_update", kwargs={"program_pk": program.pk, "enrollment_pk": enrollment.pk})
    organizer_client.post(url, _edit_data(enrollment, status="replaced", replaced_by=substitute.pk))
    enrollment.refresh_from_db()
    assert enrollment.replaced_by == substitute
    page = organizer_client.get(list_url(program)).content.decode()
    assert f"→ {substitute.participant.name}" in page


def test_same_person_in_a_second_program_is_the_same_participant(program, institution):
    from retreat.tests.factories import ProgramFactory

    person = ParticipantFactory(institution=institution)
    EnrollmentFactory(program=program, participant=person)
    EnrollmentFactory(program=ProgramFactory(organizer=institution), participant=person)
    assert Enrollment.objects.filter(participant=person).count() == 2
