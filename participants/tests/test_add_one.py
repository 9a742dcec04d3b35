"""One participant at a time: the registry search, enrolling a found person, a new person checked as an import
row, the replacement chosen from the registry, and the partner institution that never finds anyone outside the
programs it partners."""

import pytest
from django.urls import reverse
from django.utils import translation

from participants import selectors
from participants.enums import EnrollmentStatus, ParticipantType, RetreatRole, Sex
from participants.models import DiscussionGroup, Enrollment, Participant
from participants.tests.factories import EnrollmentFactory, ParticipantFactory, valid_nip
from participants.tests.partners import client_as, malang_and_batu
from retreat.enums import Role
from retreat.tests.factories import CohortFactory, MembershipFactory, ProgramFactory, UserFactory

OUTSIDER_NAME = "Wiwik Handayani Rahasia"
OUTSIDER_NIP = valid_nip(601, Sex.FEMALE)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    world = malang_and_batu()
    malang, shared = world["malang"], world["program"]
    world["outsider"] = EnrollmentFactory(
        program=world["own"],
        participant__name=OUTSIDER_NAME,
        participant__nip=OUTSIDER_NIP,
        participant__sex=Sex.FEMALE,
    ).participant
    world["partnered"] = EnrollmentFactory(
        program=world["earlier"], participant__name="Budi Santoso Partner", participant__nip=valid_nip(602)
    ).participant
    world["loose"] = ParticipantFactory(
        institution=malang, name="Slamet Riyadi Lepas", nip=valid_nip(603), position_title="Camat Klojen"
    )
    world["enrolled"] = EnrollmentFactory(program=shared, participant__name="Siti Aminah Terdaftar", order=4)
    world["facilitator"] = MembershipFactory(
        user=UserFactory(username="pendamping.malang"), institution=malang, role=Role.FACILITATOR
    ).user
    return world


def add_url(program, **query):
    url = reverse("participants:enrollment_add", kwargs={"program_pk": program.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def enroll_url(program):
    return reverse("participants:registry_enroll", kwargs={"program_pk": program.pk})


def replace_url(enrollment):
    kwargs = {"program_pk": enrollment.program_id, "enrollment_pk": enrollment.pk}
    return reverse("participants:enrollment_replace", kwargs=kwargs)


# --- Search -------------------------------------------------------------------------------------------------


def test_search_by_name_offers_enroll_and_marks_who_is_enrolled(client, settings, world):
    client = client_as(client, world["organizer"], settings)
    page = client.get(add_url(world["program"], q="slamet")).content.decode()
    assert "Slamet Riyadi Lepas" in page
    assert f'name="participant" value="{world["loose"].pk}"' in page
    page = client.get(add_url(world["program"], q="siti aminah")).content.decode()
    assert "Siti Aminah Terdaftar" in page
    assert "enrolled-here" in page
    assert f'name="participant" value="{world["enrolled"].participant_id}"' not in page  # already enrolled


def test_search_by_nip_prefix_shows_the_nip_grouped(client, settings, world):
    client = client_as(client, world["organizer"], settings)
    nip = world["loose"].nip
    page = client.get(add_url(world["program"], q=nip[:8] + " " + nip[8:12])).content.decode()
    assert "Slamet Riyadi Lepas" in page
    assert world["loose"].nip_display in page


def test_search_fragment_for_htmx_and_the_whole_page_without(client, settings, world):
    client = client_as(client, world["organizer"], settings)
    fragment = client.get(add_url(world["program"], q="slamet"), headers={"HX-Request": "true"}).content.decode()
    assert "Slamet Riyadi Lepas" in fragment
    assert "<html" not in fragment
    page = client.get(add_url(world["program"], q="slamet")).content.decode()
    assert "<html" in page
    assert 'id="registry-results"' in page
    assert "new-person-form" in page


def test_organizer_search_reaches_the_whole_registry(world):
    found = selectors.registry_search_for(world["organizer"], world["program"], "wiwik")
    assert [p.pk for p in found] == [world["outsider"].pk]


def test_partner_search_never_finds_anyone_outside_its_programs(client, settings, world):
    partner, program = world["partner"], world["program"]
    for q in ("wiwik", OUTSIDER_NAME, OUTSIDER_NIP, OUTSIDER_NIP[:8], "slamet", world["loose"].nip):
        assert selectors.registry_search_for(partner, program, q) == []
    client = client_as(client, partner, settings)
    for q in ("wiwik", OUTSIDER_NIP[:10]):
        page = client.get(add_url(program, q=q), headers={"HX-Request": "true"}).content.decode()
        assert OUTSIDER_NAME not in page
        assert "registry-none" in page
    # Who it partners, it finds.
    assert [p.pk for p in selectors.registry_search_for(partner, program, "budi")] == [world["partnered"].pk]


def test_partner_cannot_enroll_an_outsider_by_posting_her_id(client, settings, world):
    client = client_as(client, world["partner"], settings)
    response = client.post(enroll_url(world["program"]), {"participant": world["outsider"].pk}, follow=True)
    page = response.content.decode()
    assert "not found in the registry" in page
    assert OUTSIDER_NAME not in page
    assert not Enrollment.objects.filter(program=world["program"], participant=world["outsider"]).exists()


def test_partner_new_person_with_an_outsiders_nip_is_refused_without_naming_her(client, settings, world):
    client = client_as(client, world["partner"], settings)
    response = client.post(add_url(world["program"]), {"name": "Nama Palsu", "nip": OUTSIDER_NIP})
    page = response.content.decode()
    assert response.status_code == 200
    assert "only Pemerintah Kota Malang" in page or "the organizing institution" in page
    assert OUTSIDER_NAME not in page
    assert Participant.objects.filter(nip=OUTSIDER_NIP).get().name == OUTSIDER_NAME
    assert not Participant.objects.filter(name="Nama Palsu").exists()


@pytest.mark.parametrize("extra", [0, 15])
def test_search_query_count_stays_flat(world, django_assert_max_num_queries, extra):
    for n in range(extra):
        EnrollmentFactory(program=world["program"], participant__name=f"Slamet Nomor {n}")
    user = world["organizer"]
    user.has_perm("participants.use_registry", world["program"])  # the memberships, read once per request
    with django_assert_max_num_queries(1):
        found = selectors.registry_search_for(user, world["program"], "slamet")
        assert [p.here_label for p in found]  # statuses come with the people
    assert len(found) == extra + 1


def test_search_needs_two_letters_or_four_digits(world):
    user, program = world["organizer"], world["program"]
    assert selectors.registry_search_for(user, program, "s") == []
    assert selectors.registry_search_for(user, program, "196") == []


# --- Enrolling a found person -------------------------------------------------------------------------------


def test_enroll_a_found_person(client, settings, world):
    client = client_as(client, world["organizer"], settings)
    response = client.post(enroll_url(world["program"]), {"participant": world["loose"].pk}, follow=True)
    enrollment = Enrollment.objects.get(program=world["program"], participant=world["loose"])
    assert (enrollment.status, enrollment.role, enrollment.order) == (EnrollmentStatus.INVITED, RetreatRole.CAMAT, 5)
    assert "Enrolled in this program: Slamet Riyadi Lepas" in response.content.decode()


def test_enroll_someone_already_enrolled_is_refused(client, settings, world):
    client = client_as(client, world["organizer"], settings)
    enrolled = world["enrolled"]
    response = client.post(enroll_url(world["program"]), {"participant": enrolled.participant_id, "q": "siti"})
    assert response.status_code == 302
    assert response.url.endswith("?q=siti")
    page = client.get(response.url).content.decode()
    assert "Siti Aminah Terdaftar is already enrolled in this program (Invited)." in page
    assert Enrollment.objects.filter(program=world["program"], participant=enrolled.participant).count() == 1


def test_facilitator_may_not_add(client, settings, world):
    client = client_as(client, world["facilitator"], settings)
    assert client.get(add_url(world["program"])).status_code == 403
    assert client.post(enroll_url(world["program"]), {"participant": world["loose"].pk}).status_code == 403
    assert not Enrollment.objects.filter(participant=world["loose"]).exists()


# --- A new person -------------------------------------------------------------------------------------------


def test_new_person_checked_as_an_import_row_and_enrolled(client, settings, world):
    client = client_as(client, world["organizer"], settings)
    nip = valid_nip(604, Sex.FEMALE)
    data = {"name": "Dr. Hj. Rina Wulandari, M.Si.", "nip": f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
            "position_title": "Lurah Oro-oro Dowo", "unit_name": "Kecamatan Klojen", "phone": "0812-3456-7890",
            "golongan": "IV/a"}  # fmt: skip
    response = client.post(add_url(world["program"]), data, follow=True)
    assert "Enrolled in this program: Dr. Hj. Rina Wulandari, M.Si." in response.content.decode()
    person = Participant.objects.get(nip=nip)
    assert (person.front_title, person.name, person.back_title) == ("Dr. Hj.", "Rina Wulandari", "M.Si.")
    assert (person.participant_type, person.sex, person.golongan) == (ParticipantType.PNS, Sex.FEMALE, "IV/a")
    assert person.phone == "+6281234567890"
    assert person.institution_id == world["program"].organizer_id
    enrollment = person.enrollments.get()
    assert (enrollment.program, enrollment.role) == (world["program"], RetreatRole.LURAH)


def test_new_person_with_a_bad_nip_gets_the_imports_reason(client, settings, world):
    client = client_as(client, world["organizer"], settings)
    response = client.post(add_url(world["program"]), {"name": "Ahmad Fauzi", "nip": "19750517199403100"})
    form = response.context["form"]
    assert "A NIP has exactly 18 digits" in " ".join(form.errors["nip"])
    response = client.post(add_url(world["program"]), {"name": "Ahmad Fauzi", "nip": "1.97505E+17"})
    assert "Excel stored this NIP as a number" in " ".join(response.context["form"].errors["nip"])
    assert not Participant.objects.filter(name="Ahmad Fauzi").exists()


def test_new_person_without_nip_or_sex_is_asked_for_the_sex(client, settings, world):
    client = client_as(client, world["organizer"], settings)
    response = client.post(add_url(world["program"]), {"name": "Suparmi"})
    assert "The sex is missing" in " ".join(response.context["form"].errors["sex"])
    client.post(add_url(world["program"]), {"name": "Suparmi", "sex": "P", "unit_name": "Kelurahan Bareng"})
    person = Participant.objects.get(name="Suparmi")
    assert (person.participant_type, person.sex) == (ParticipantType.NON_ASN, Sex.FEMALE)


def test_new_person_already_in_the_registry_points_to_the_search(client, settings, world):
    client = client_as(client, world["organizer"], settings)
    response = client.post(add_url(world["program"]), {"name": "Slamet R.", "nip": world["loose"].nip})
    page = response.content.decode()
    assert "Slamet Riyadi Lepas is already in the registry: enroll them from the search instead." in page
    assert f'name="participant" value="{world["loose"].pk}"' in page  # the search shows them, to enroll
    assert Participant.objects.get(pk=world["loose"].pk).name == "Slamet Riyadi Lepas"
    assert not Enrollment.objects.filter(participant=world["loose"]).exists()


# --- Replacement --------------------------------------------------------------------------------------------


@pytest.fixture
def seat(world):
    """The enrollment to be replaced, with a cohort, a group and a protocol place."""
    program = world["program"]
    group = DiscussionGroup.objects.create(program=program, number=3, name="Kelompok 3")
    cohort = CohortFactory(program=program)
    return EnrollmentFactory(program=program, participant__name="Bambang Berhalangan", order=2,
                             role=RetreatRole.KEPALA_PD, cohort=cohort, group=group)  # fmt: skip


def test_replace_with_someone_from_the_registry_not_yet_enrolled(client, settings, world, seat):
    client = client_as(client, world["organizer"], settings)
    page = client.get(replace_url(seat) + "?q=slamet").content.decode()
    assert "Bambang Berhalangan" in page
    assert f'name="replaces" value="{seat.pk}"' in page
    response = client.post(enroll_url(world["program"]), {"participant": world["loose"].pk, "replaces": seat.pk},
                           follow=True)  # fmt: skip
    assert "Slamet Riyadi Lepas now replaces Bambang Berhalangan" in response.content.decode()
    seat.refresh_from_db()
    new = Enrollment.objects.get(program=world["program"], participant=world["loose"])
    assert (seat.status, seat.replaced_by_id) == (EnrollmentStatus.REPLACED, new.pk)
    assert (new.order, new.cohort_id, new.group_id, new.role) == (2, seat.cohort_id, seat.group_id, RetreatRole.CAMAT)


def test_replace_with_someone_already_enrolled(client, settings, world, seat):
    client = client_as(client, world["organizer"], settings)
    enrolled = world["enrolled"]
    client.post(enroll_url(world["program"]), {"participant": enrolled.participant_id, "replaces": seat.pk})
    seat.refresh_from_db()
    assert (seat.status, seat.replaced_by_id) == (EnrollmentStatus.REPLACED, enrolled.pk)
    assert Enrollment.objects.filter(participant=enrolled.participant).count() == 1


def test_replace_with_a_new_person_takes_the_role_when_the_position_says_none(client, settings, world, seat):
    client = client_as(client, world["organizer"], settings)
    client.post(replace_url(seat), {"name": "Joko Pengganti", "sex": "L", "unit_name": "Dinas Sosial"})
    seat.refresh_from_db()
    new = seat.replaced_by
    assert seat.status == EnrollmentStatus.REPLACED
    assert new.participant.name == "Joko Pengganti"
    assert (new.role, new.order, new.group_id) == (RetreatRole.KEPALA_PD, 2, seat.group_id)


def test_a_replaced_enrollment_cannot_be_replaced_again(client, settings, world, seat):
    client = client_as(client, world["organizer"], settings)
    seat.status = EnrollmentStatus.WITHDRAWN
    seat.withdrawn_reason = "Sakit"
    seat.save()
    response = client.post(enroll_url(world["program"]), {"participant": world["loose"].pk, "replaces": seat.pk},
                           follow=True)  # fmt: skip
    assert "no longer an active participant" in response.content.decode()
    assert not Enrollment.objects.filter(participant=world["loose"]).exists()
    assert client.get(replace_url(seat)).status_code == 302


def test_replacing_an_enrollment_of_another_program_is_a_404(client, settings, world, seat):
    client = client_as(client, world["organizer"], settings)
    other = EnrollmentFactory(program=ProgramFactory(organizer=world["program"].organizer))
    response = client.post(enroll_url(world["program"]), {"participant": world["loose"].pk, "replaces": other.pk})
    assert response.status_code == 404


def test_partner_search_is_one_query_too(world, django_assert_max_num_queries):
    partner, program = world["partner"], world["program"]
    partner.has_perm("participants.use_registry", program)
    with django_assert_max_num_queries(1):
        found = selectors.registry_search_for(partner, program, "budi")
    assert [p.pk for p in found] == [world["partnered"].pk]
