from django.core.management import call_command
from django.urls import reverse

from demo.seeding import DEMO_LOGINS
from participants.enums import RetreatRole
from participants.models import Enrollment, Participant
from retreat.identity import parse_asn_number
from retreat.models import Program, User
from sessions.models import Session


def _snapshot():
    return {model.__name__: model.objects.count() for model in (Program, Participant, Enrollment, Session, User)}


def test_seed_demo_creates_both_retreats_and_is_idempotent(db):
    call_command("seed_demo", "--quiet-logins")
    first = _snapshot()
    call_command("seed_demo", "--quiet-logins")
    assert _snapshot() == first

    malang = Program.objects.get(organizer__short_name="Pemkot Malang")
    magelang = Program.objects.get(name="Mandala Magelang Strategic Learning")
    assert (malang.start_date.isoformat(), malang.end_date.isoformat()) == ("2025-05-15", "2025-05-17")
    assert "POLTEKAD" in malang.venue_name
    assert magelang.partner.short_name.startswith("BPSDMD")
    assert "Semarang" in magelang.venue_name + magelang.venue_address
    assert malang.enrollments.count() == 106
    assert magelang.enrollments.count() == 32

    roles = dict.fromkeys(RetreatRole.values, 0)
    for role in malang.enrollments.values_list("role", flat=True):
        roles[role] += 1
    assert (roles["sekda"], roles["camat"], roles["lurah"]) == (1, 5, 57)
    assert (roles["asisten"], roles["staf_ahli"], roles["kepala_pd"], roles["direktur_bumd"]) == (3, 5, 31, 4)
    assert set(magelang.enrollments.values_list("role", flat=True)) <= {"sekda", "jpt_pratama"}
    assert malang.sessions.count() >= 15
    assert magelang.sessions.exists()


def test_demo_nips_are_valid(db):
    call_command("seed_demo", "--quiet-logins")
    for participant in Participant.objects.exclude(nip=""):
        number = parse_asn_number(participant.nip)
        assert number.sex == participant.sex, participant


def test_demo_organizer_sees_malang_but_not_magelang(client, db):
    call_command("seed_demo", "--quiet-logins")
    client.force_login(User.objects.get(username="panitia.malang"))
    malang = Program.objects.get(organizer__short_name="Pemkot Malang")
    magelang = Program.objects.get(name="Mandala Magelang Strategic Learning")
    assert client.get(reverse("retreat:program_detail", kwargs={"program_pk": malang.pk})).status_code == 200
    assert client.get(reverse("retreat:program_detail", kwargs={"program_pk": magelang.pk})).status_code == 404
    assert [login.username for login in DEMO_LOGINS if login.role is None] == ["admin"]


def test_partner_organizer_sees_magelang(client, db):
    call_command("seed_demo", "--quiet-logins")
    client.force_login(User.objects.get(username="panitia.bpsdmd"))
    page = client.get(reverse("retreat:dashboard")).content.decode()
    assert "Mandala Magelang Strategic Learning" in page
    assert "POLTEKAD" not in page


def test_demo_agendas_are_published_and_malang_has_no_warnings(db):
    from sessions.conflicts import agenda_conflicts
    from sessions.selectors import jp_total, sessions_for_program

    call_command("seed_demo", "--quiet-logins")
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
