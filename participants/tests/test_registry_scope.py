"""The registry belongs to the organizing institution: a partner institution reaches only the people enrolled in the
programs it partners, and an import by a partner never shows, names or overwrites anyone else."""

import pytest
from django.urls import reverse
from django.utils import translation

from participants.enums import ParticipantType, Sex
from participants.models import Enrollment, Participant, ParticipantImport
from participants.tests.factories import EnrollmentFactory, valid_nip
from participants.tests.partners import client_as, malang_and_batu
from participants.tests.uploads import uploaded

OUTSIDER_NAME = "Wiwik Handayani Rahasia"
OUTSIDER_PHONE = "+6281233344455"
OUTSIDER_HEALTH = "Riwayat jantung, obat harian"
OUTSIDER_NIP = valid_nip(501, Sex.FEMALE)


def nik_of(nip: str, sequence: str = "0002") -> str:
    """A NIK of Kota Malang with the NIP's birth date (a woman's day + 40)."""
    year, month, day = nip[2:4], nip[4:6], int(nip[6:8])
    day += 40 if nip[14] == "2" else 0
    return f"357301{day:02d}{month}{year}{sequence}"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    world = malang_and_batu()
    # In the organizer's registry through its own program only: the partner must never reach her.
    world["outsider"] = EnrollmentFactory(
        program=world["own"],
        participant__name=OUTSIDER_NAME,
        participant__nip=OUTSIDER_NIP,
        participant__nik=nik_of(OUTSIDER_NIP),
        participant__sex=Sex.FEMALE,
        participant__phone=OUTSIDER_PHONE,
        participant__email="wiwik@malangkota.go.id",
        participant__health_notes=OUTSIDER_HEALTH,
        participant__unit_name="Dinas Kesehatan",
    ).participant
    # A non-ASN without NIP, found by name and unit only.
    world["outsider_without_nip"] = EnrollmentFactory(
        program=world["own"],
        participant__name="Suparmi Tanpa Nip",
        participant__nip="",
        participant__participant_type=ParticipantType.NON_ASN,
        participant__sex=Sex.FEMALE,
        participant__unit_name="Kelurahan Oro-oro Dowo",
        participant__phone="+6281299988877",
    ).participant
    # Enrolled in a program Batu partners: Batu sees and edits him.
    world["partnered"] = EnrollmentFactory(
        program=world["earlier"], participant__nip=valid_nip(502), participant__name="Budi Santoso"
    ).participant
    return world


def upload(client, program, text: str) -> ParticipantImport:
    batch = uploaded(client, program, text)
    assert batch.status == ParticipantImport.Status.PREVIEW
    return batch


def preview(client, program, batch):
    url = reverse("participants:import_preview", kwargs={"program_pk": program.pk, "import_pk": batch.pk})
    response = client.get(url)
    assert response.status_code == 200
    return response


def confirm(client, program, batch):
    url = reverse("participants:import_confirm", kwargs={"program_pk": program.pk, "import_pk": batch.pk})
    return client.post(url, follow=True)


def assert_outsider_untouched(outsider):
    stored = Participant.objects.get(pk=outsider.pk)
    assert (stored.name, stored.phone, stored.health_notes) == (outsider.name, outsider.phone, outsider.health_notes)
    assert list(stored.enrollments.values_list("program__name", flat=True)) == ["Retret Internal Malang"]


def assert_says_nothing_about(page: str, person):
    for secret in (person.name, person.phone, person.email, person.health_notes, person.unit_name):
        if secret:
            assert secret not in page


def test_partner_import_of_an_outsiders_nip_is_refused_without_showing_or_overwriting_her(client, settings, world):
    program, outsider = world["program"], world["outsider"]
    client = client_as(client, world["partner"], settings)
    batch = upload(client, program, f"Nama;NIP;No HP\r\nNama Palsu;{outsider.nip};081234567890\r\n")

    response = preview(client, program, batch)
    [row] = response.context["plan"].rows
    assert row.action == "refused"
    assert row.changes == []
    assert row.errors == [
        (
            "NIP",
            f"NIP {outsider.nip}: only Pemkot Malang, the organizing institution, can add this person to the "
            "program. Leave the row out, or ask them to enroll the person.",
        )
    ]
    assert_says_nothing_about(response.content.decode(), outsider)

    page = confirm(client, program, batch).content.decode()
    assert_outsider_untouched(outsider)
    assert not Enrollment.objects.filter(program=program).exists()
    assert_says_nothing_about(page, outsider)


@pytest.mark.parametrize("nip_holder", ["nobody", "partnered"])
def test_partner_import_nik_conflict_names_no_one_outside_its_programs(client, settings, world, nip_holder):
    """A row with the outsider's NIK, and a new NIP or the NIP of someone the partner sees."""
    program, outsider, partnered = world["program"], world["outsider"], world["partnered"]
    client = client_as(client, world["partner"], settings)
    nip = valid_nip(777, Sex.FEMALE) if nip_holder == "nobody" else partnered.nip
    batch = upload(client, program, f"Nama;NIP;NIK;Jenis Kelamin\r\nOrang Baru;{nip};{outsider.nik};P\r\n")
    response = preview(client, program, batch)
    [row] = response.context["plan"].rows
    assert row.action == "refused"
    assert row.errors == [
        (
            "NIK",
            f"NIK {outsider.nik}: only Pemkot Malang, the organizing institution, can add this person to the "
            "program. Leave the row out, or ask them to enroll the person.",
        )
    ]
    page = response.content.decode()
    assert_says_nothing_about(page, outsider)
    assert outsider.nip not in page


def test_partner_import_without_nip_does_not_take_over_an_outsider_by_name_and_unit(client, settings, world):
    program, outsider = world["program"], world["outsider_without_nip"]
    client = client_as(client, world["partner"], settings)
    text = "Nama;Unit Kerja;Jenis Peserta;Jenis Kelamin;No HP\r\n" + (
        f"{outsider.name};{outsider.unit_name};Non-ASN;P;081311112222\r\n"
    )
    batch = upload(client, program, text)
    [row] = preview(client, program, batch).context["plan"].rows
    assert (row.action, row.participant_id) == ("new", None)
    confirm(client, program, batch)
    assert_outsider_untouched(outsider)
    enrolled = Enrollment.objects.get(program=program).participant
    assert enrolled.pk != outsider.pk
    assert enrolled.phone == "+6281311112222"


def test_partner_import_updates_someone_enrolled_in_a_program_it_partners(client, settings, world):
    program, partnered = world["program"], world["partnered"]
    client = client_as(client, world["partner"], settings)
    batch = upload(client, program, f"Nama;NIP;No HP\r\nBudi Santoso;{partnered.nip};081255566677\r\n")
    [row] = preview(client, program, batch).context["plan"].rows
    assert (row.action, row.participant_id, row.changes) == ("new", partnered.pk, ["Phone"])
    confirm(client, program, batch)
    partnered.refresh_from_db()
    assert partnered.phone == "+6281255566677"
    assert Enrollment.objects.filter(program=program, participant=partnered).exists()


def test_organizer_import_still_matches_the_whole_registry(client, settings, world):
    program, outsider = world["program"], world["outsider"]
    client = client_as(client, world["organizer"], settings)
    batch = upload(client, program, f"Nama;NIP;No HP\r\n{outsider.name};{outsider.nip};081299900011\r\n")
    [row] = preview(client, program, batch).context["plan"].rows
    assert (row.action, row.participant_id) == ("new", outsider.pk)
    confirm(client, program, batch)
    assert Enrollment.objects.filter(program=program, participant=outsider).exists()


def test_partner_pages_reach_only_people_of_the_program(client, settings, world):
    """The list, its search, the exports and the edit page are the program's: an outsider is nowhere, and her
    enrollment in the organizer's own program is a 404."""
    program, outsider = world["program"], world["outsider"]
    EnrollmentFactory(program=program, participant__name="Peserta Bersama")
    client = client_as(client, world["partner"], settings)
    kwargs = {"program_pk": program.pk}
    pages = [
        client.get(reverse("participants:enrollment_list", kwargs=kwargs)),
        client.get(reverse("participants:enrollment_list", kwargs=kwargs), {"q": outsider.nip}),
        client.get(reverse("participants:enrollment_list", kwargs=kwargs), {"q": "Wiwik"}),
        client.get(reverse("participants:enrollment_export", kwargs={**kwargs, "fmt": "csv"})),
    ]
    assert "Peserta Bersama" in pages[0].content.decode()
    for page in pages:
        assert page.status_code == 200
        assert_says_nothing_about(page.content.decode("utf-8-sig"), outsider)
    enrollment = outsider.enrollments.get()
    for program_pk in (program.pk, world["own"].pk):
        url = reverse(
            "participants:enrollment_update", kwargs={"program_pk": program_pk, "enrollment_pk": enrollment.pk}
        )
        assert client.get(url).status_code == 404
