import pytest
from django.core.management import CommandError, call_command

from participants.enums import RetreatRole
from participants.models import Enrollment, Participant
from retreat.models import Program, User
from sessions.models import Session


def _snapshot():
    return {model.__name__: model.objects.count() for model in (Program, Participant, Enrollment, Session, User)}


def test_seed_demo_creates_both_retreats_and_is_idempotent(db, settings):
    settings.DEBUG = True  # as under make run
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


def test_seed_demo_refuses_production_without_force(db, settings):
    """The demo creates a superuser whose password is in the README: not on a production server by mistake."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", "--quiet-logins")
    assert not User.objects.exists()
    call_command("seed_demo", "--quiet-logins", "--force")
    assert User.objects.filter(username="admin", is_superuser=True).exists()


def test_seed_demo_malang_followed_up_and_magelang_mid_way(db, settings):
    """Malang (past, followed up): results, completion, action plans with progress and the mayor's visits
    are there on first run; Magelang is mid-way: its closing forms are open on participants' phones."""
    from evaluations.enums import OPEN
    from evaluations.models import ActionPlan, CompletionOverride, Form, MonitoringVisit, ProgressReport, Response
    from evaluations.selectors.completion import completion_for_program

    settings.DEBUG = True
    call_command("seed_demo", "--quiet-logins")
    malang = Program.objects.get(organizer__short_name="Pemkot Malang")
    magelang = Program.objects.get(name="Mandala Magelang Strategic Learning")
    completion = completion_for_program(malang)
    assert 0.8 * len(completion.rows) < completion.complete_count < len(completion.rows)
    assert CompletionOverride.objects.filter(enrollment__program=malang).count() == 1
    assert Response.objects.filter(form__program=malang, subject__isnull=False).count() == 106
    assert ActionPlan.objects.filter(enrollment__program=malang).count() == 106
    assert ProgressReport.objects.filter(plan__enrollment__program=malang, percent=100).exists()
    assert MonitoringVisit.objects.filter(program=malang).count() == 3
    assert not any(form.state() == OPEN for form in Form.objects.filter(program=malang))
    open_kinds = {form.questionnaire.kind for form in Form.objects.filter(program=magelang) if form.state() == OPEN}
    assert {"organization", "berakhlak", "test"} <= open_kinds
    assert completion_for_program(magelang).complete_count < 32
    from certificates.models import Certificate

    numbers = list(Certificate.objects.filter(enrollment__program=malang).values_list("number", flat=True))
    assert len(numbers) == completion.complete_count
    assert "800.2.4/0001/BKPSDM/2025" in numbers
