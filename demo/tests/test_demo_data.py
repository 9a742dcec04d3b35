"""The demo retreats as seeded: read-only checks, on one seeding for the whole module."""

from django.urls import reverse

from demo.seeding import DEMO_LOGINS
from participants.models import Participant
from retreat.identity import parse_asn_number
from retreat.models import Program, User


def test_demo_nips_are_valid(seeded_demo, db):
    for participant in Participant.objects.exclude(nip=""):
        number = parse_asn_number(participant.nip)
        assert number.sex == participant.sex, participant


def test_demo_organizer_sees_malang_but_not_magelang(client, seeded_demo, db):
    client.force_login(User.objects.get(username="panitia.malang"))
    malang = Program.objects.get(organizer__short_name="Pemkot Malang")
    magelang = Program.objects.get(name="Mandala Magelang Strategic Learning")
    assert client.get(reverse("retreat:program_detail", kwargs={"program_pk": malang.pk})).status_code == 200
    assert client.get(reverse("retreat:program_detail", kwargs={"program_pk": magelang.pk})).status_code == 404
    assert [login.username for login in DEMO_LOGINS if login.role is None] == ["admin"]


def test_partner_organizer_sees_magelang(client, seeded_demo, db):
    client.force_login(User.objects.get(username="panitia.bpsdmd"))
    page = client.get(reverse("retreat:dashboard")).content.decode()
    assert "Mandala Magelang Strategic Learning" in page
    assert "POLTEKAD" not in page


def test_demo_agendas_are_published_and_malang_has_no_warnings(seeded_demo, db):
    from sessions.conflicts import agenda_conflicts
    from sessions.selectors import jp_total, sessions_for_program

    malang = Program.objects.get(organizer__short_name="Pemkot Malang")
    magelang = Program.objects.get(name="Mandala Magelang Strategic Learning")
    for program in (malang, magelang):
        assert program.agenda_published_at
        assert not program.enrollments.filter(access_token__isnull=True).exists()
    sessions = list(sessions_for_program(malang))
    assert agenda_conflicts(malang, sessions) == []
    assert jp_total(sessions) > 0
    # built from the template: its venues, suffixed with the site
    assert {"Aula Utama POLTEKAD", "Lapangan Apel POLTEKAD", "Masjid POLTEKAD"} <= set(
        malang.venues.values_list("name", flat=True)
    )
    opening = malang.sessions.get(kind="apel", starts_at__date="2025-05-15")
    assert "Wali Kota" in opening.title
    assert magelang.sessions.filter(kind="apel", title__icontains="Pembukaan").exists()
    assert magelang.venues.filter(name__icontains="Sasana Widya Praja").exists()


def test_malang_speakers_are_its_own(seeded_demo, db):
    """Malang's speaker list holds the people of its own retreat (Malang, POLTEKAD, BKN and its trainers), no
    Magelang or Central Java official; Magelang's holds no POLTEKAD officer."""
    from sessions.models import Speaker

    malang = Speaker.objects.filter(institution__short_name="Pemkot Malang")
    magelang = Speaker.objects.filter(institution__short_name="Pemkot Magelang")
    names = set(malang.values_list("name", flat=True))
    assert {"Wahyu Hidayat", "Triadi Murwanto", "Zudan Arif Fakrulloh"} <= names
    assert not names & {"Damar Prasetyono", "Sumarno", "Hening Prawesti", "Ratih Kusumaningrum"}
    assert not malang.filter(organization__icontains="Jawa Tengah").exists()
    assert not malang.filter(organization__icontains="Magelang").exists()
    assert not magelang.filter(organization__icontains="POLTEKAD").exists()


def test_malang_participants_are_in_discussion_groups(seeded_demo, db):
    malang = Program.objects.get(organizer__short_name="Pemkot Malang")
    assert malang.groups.count() == 11  # 106 people, about ten a group
    assert not malang.enrollments.filter(group__isnull=True).exists()
    sizes = [group.enrollments.count() for group in malang.groups.all()]
    assert max(sizes) - min(sizes) <= 1
