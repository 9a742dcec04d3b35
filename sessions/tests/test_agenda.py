import datetime as dt

import pytest
from django.urls import reverse

from participants.tests.factories import EnrollmentFactory
from retreat.tests.factories import CohortFactory, ProgramFactory
from sessions import services
from sessions.models import Session, Venue
from sessions.selectors import jp_total, sessions_for_enrollment


def at(program, day, hhmm):
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(program.start_date + dt.timedelta(days=day - 1), dt.time(hours, minutes),
                               tzinfo=program.tzinfo)  # fmt: skip


def make_sessions(program, count):
    venue, _created = Venue.objects.get_or_create(program=program, name="Aula Utama", defaults={"capacity": 500})
    sessions = []
    for n in range(count):
        day, slot = 1 + n % 3, n // 3
        start = at(program, day, "06:00") + dt.timedelta(minutes=45 * slot)
        sessions.append(Session.objects.create(program=program, kind="materi", title=f"Sesi {n + 1}",
                                               starts_at=start, ends_at=start + dt.timedelta(minutes=45),
                                               venue=venue, counts_for_jp=True))  # fmt: skip
    return sessions


def queries_at_sizes(browser, url, program, django_assert_max_num_queries, sizes=(5, 60)) -> list[int]:
    """The queries a page of the program's agenda runs with each number of sessions (it shows them all)."""
    counts = []
    for target in sizes:
        make_sessions(program, target - program.sessions.count())
        with django_assert_max_num_queries(30) as captured:
            response = browser.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("Sesi ") >= target
        counts.append(len(captured))
    return counts


# --- JP -------------------------------------------------------------------------------------------


def test_jp_counts_whole_45_minute_blocks_of_learning_sessions_only(program):
    materi = Session(program=program, kind="materi", counts_for_jp=True, starts_at=at(program, 2, "08:00"),
                     ends_at=at(program, 2, "10:00"))  # fmt: skip
    ishoma = Session(program=program, kind="ishoma", counts_for_jp=False, starts_at=at(program, 2, "12:00"),
                     ends_at=at(program, 2, "13:00"))  # fmt: skip
    assert materi.jp == 2  # 120 minutes = 2 × 45 + 30
    assert ishoma.jp == 0
    assert jp_total([materi, ishoma]) == 2


def test_jp_per_participant_counts_only_their_sessions(program):
    a, b = CohortFactory(program=program, name="A"), CohortFactory(program=program, name="B")
    mine = EnrollmentFactory(program=program, cohort=a)
    everyone = services.session_save(program=program, kind="materi", title="Pleno", starts_at=at(program, 2, "08:00"),
                                     ends_at=at(program, 2, "09:30"), counts_for_jp=True)  # fmt: skip
    services.session_save(program=program, kind="materi", title="Kelas A", starts_at=at(program, 2, "10:00"),
                          ends_at=at(program, 2, "11:30"), counts_for_jp=True, cohorts=[a])  # fmt: skip
    services.session_save(program=program, kind="materi", title="Kelas B", starts_at=at(program, 2, "10:00"),
                          ends_at=at(program, 2, "12:15"), counts_for_jp=True, cohorts=[b])  # fmt: skip
    services.agenda_publish(program=program)
    assert [s.title for s in sessions_for_enrollment(mine)] == ["Pleno", "Kelas A"]
    assert jp_total(sessions_for_enrollment(mine)) == 4
    assert jp_total(Session.objects.filter(program=program)) == 7
    assert everyone.jp == 2


# --- Template, copy, publish, changes --------------------------------------------------------------


def test_template_fills_three_days_without_warnings(organizer_client, program):
    organizer_client.post(reverse("sessions:agenda_template", kwargs={"program_pk": program.pk}),
                          {"template": "residential_3_day"})  # fmt: skip
    assert program.sessions.count() == 28
    page = organizer_client.get(reverse("sessions:agenda", kwargs={"program_pk": program.pk})).content.decode()
    assert 'data-conflicts="0"' in page
    assert "Upacara Pembukaan" in page
    first = program.sessions.order_by("starts_at").first()
    assert first.starts_at.astimezone(program.tzinfo).strftime("%Y-%m-%d %H:%M") == "2025-05-15 12:00"


def test_copy_shifts_dates_in_local_time(organizer_client, institution, program):
    services.agenda_apply_template(program=program)
    later = ProgramFactory(organizer=institution, start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 5),
                           timezone="Asia/Makassar")  # fmt: skip
    organizer_client.post(reverse("sessions:agenda_copy", kwargs={"program_pk": later.pk}),
                          {"source": program.pk})  # fmt: skip
    assert later.sessions.count() == 28
    opening = later.sessions.get(title="Upacara Pembukaan")
    assert opening.starts_at.astimezone(later.tzinfo).strftime("%Y-%m-%d %H:%M") == "2026-03-03 19:00"
    assert opening.venue.program == later


# --- Editor views ----------------------------------------------------------------------------------


def test_add_edit_duplicate_move_delete_with_htmx(organizer_client, program):
    venue = Venue.objects.create(program=program, name="Aula Utama")
    create = reverse("sessions:session_create", kwargs={"program_pk": program.pk})
    data = {"kind": "materi", "title": "Komunikasi Efektif", "day": "2025-05-16", "start": "10:15", "end": "12:00",
            "venue": venue.pk, "dress_code": "pdl", "counts_for_jp": "on", "mandatory": "on"}  # fmt: skip
    response = organizer_client.post(create, data, headers={"HX-Request": "true"})
    assert "Komunikasi Efektif" in response.content.decode()
    session = program.sessions.get()
    assert session.starts_at == at(program, 2, "10:15")

    def action(name):
        return reverse(f"sessions:session_{name}", kwargs={"program_pk": program.pk, "session_pk": session.pk})

    organizer_client.post(action("move"), {"minutes": 15, "days": 0}, headers={"HX-Request": "true"})
    session.refresh_from_db()
    assert session.starts_at == at(program, 2, "10:30")
    organizer_client.post(action("duplicate"), headers={"HX-Request": "true"})
    copy = program.sessions.exclude(pk=session.pk).get()
    assert copy.starts_at == session.ends_at
    organizer_client.post(action("delete"), headers={"HX-Request": "true"})
    assert list(program.sessions.all()) == [copy]


def test_invalid_session_form_explains_in_indonesian(organizer_client, program):
    create = reverse("sessions:session_create", kwargs={"program_pk": program.pk})
    response = organizer_client.post(create, {"kind": "materi", "title": "", "day": "2025-05-16", "start": "10:15",
                                              "end": ""}, headers={"HX-Request": "true"})  # fmt: skip
    assert response.headers["HX-Retarget"] == "#editor"
    assert "Bidang ini tidak boleh kosong." in response.content.decode()
    assert not program.sessions.exists()


def test_warnings_do_not_block_saving(organizer_client, program):
    create = reverse("sessions:session_create", kwargs={"program_pk": program.pk})
    data = {"kind": "materi", "title": "Terbalik", "day": "2025-05-16", "start": "12:00", "end": "10:00"}
    organizer_client.post(create, data)
    assert program.sessions.filter(title="Terbalik").exists()
    page = organizer_client.get(reverse("sessions:agenda", kwargs={"program_pk": program.pk})).content.decode()
    assert 'data-code="ends_before_start"' in page


def test_readers_see_the_agenda_but_cannot_change_it(client, leader, program):
    make_sessions(program, 2)
    client.force_login(leader)
    assert client.get(reverse("sessions:agenda", kwargs={"program_pk": program.pk})).status_code == 200
    url = reverse("sessions:agenda_publish", kwargs={"program_pk": program.pk})
    assert client.post(url).status_code == 403
    program.refresh_from_db()
    assert program.agenda_published_at is None


def test_other_institution_agenda_is_404(organizer_client, other_program):
    assert organizer_client.get(reverse("sessions:agenda", kwargs={"program_pk": other_program.pk})).status_code == 404


# --- Constant queries ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["agenda", "ical"])
def test_pages_run_constant_queries(organizer_client, client, program, which, django_assert_max_num_queries):
    services.agenda_publish(program=program)
    token = services.calendar_token_ensure(program=program)
    url = {
        "agenda": reverse("sessions:agenda", kwargs={"program_pk": program.pk}),
        "ical": reverse("sessions:program_calendar", kwargs={"token": token}),
    }[which]
    browser = organizer_client if which == "agenda" else client
    counts = queries_at_sizes(browser, url, program, django_assert_max_num_queries)
    assert counts[0] == counts[1]


# --- Feeds -----------------------------------------------------------------------------------------


def test_program_feed_needs_its_secret_and_a_published_agenda(client, program):
    token = services.calendar_token_ensure(program=program)
    url = reverse("sessions:program_calendar", kwargs={"token": token})
    assert client.get(url).status_code == 404  # draft
    services.agenda_publish(program=program)
    assert client.get(url).status_code == 200
    assert client.get(reverse("sessions:program_calendar", kwargs={"token": "tebakan"})).status_code == 404


def test_agenda_pdf(program, organizer, django_capture_on_commit_callbacks):
    from retreat import services as retreat_services
    from retreat.enums import JobStatus
    from retreat.tests.pdf import pdf_text
    from sessions.documents import AGENDA

    services.agenda_apply_template(program=program)
    with django_capture_on_commit_callbacks(execute=True):
        job = retreat_services.document_job_request(program=program, kind=AGENDA, user=organizer)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job.file.read())
    assert "JADWAL" in text
    assert "Kamis, 15 Mei 2025" in text
    assert "19.00–21.00" in text
    assert "Upacara Pembukaan" in text


def test_editing_through_the_form_marks_only_real_changes(organizer_client, program):
    hall, field = (
        Venue.objects.create(program=program, name="Aula"),
        Venue.objects.create(program=program, name="Lapangan"),
    )
    session = services.session_save(program=program, kind="apel", title="Apel Pagi", starts_at=at(program, 2, "07:00"),
                                    ends_at=at(program, 2, "08:00"), venue=hall)  # fmt: skip
    services.agenda_publish(program=program)
    url = reverse("sessions:session_update", kwargs={"program_pk": program.pk, "session_pk": session.pk})
    data = {"kind": "apel", "title": "Apel Pagi Bersama", "day": "2025-05-16", "start": "07:00", "end": "08:00",
            "venue": hall.pk}  # fmt: skip
    organizer_client.post(url, data)
    session.refresh_from_db()
    assert (session.title, session.changes, session.sequence) == ("Apel Pagi Bersama", {}, 0)
    organizer_client.post(url, {**data, "venue": field.pk})
    session.refresh_from_db()
    assert session.changes == {"venue": {"from": "Aula"}}
    assert session.sequence == 1


def test_organizer_adds_a_speaker_for_sessions(organizer_client, program):
    url = reverse("sessions:speaker_create", kwargs={"program_pk": program.pk})
    organizer_client.post(url, {"front_title": "Prof. Dr.", "name": "Zudan Arif Fakrulloh", "back_title": "S.H., M.H.",
                                "position": "Kepala Badan Kepegawaian Negara", "organization": "BKN"})  # fmt: skip
    speaker = program.organizer.speakers.get()
    assert speaker.display_name == "Prof. Dr. Zudan Arif Fakrulloh, S.H., M.H."
    form = organizer_client.get(reverse("sessions:session_create", kwargs={"program_pk": program.pk})).content.decode()
    assert "Zudan Arif Fakrulloh" in form
    page = organizer_client.post(url, {"name": ""}, follow=True).content.decode()
    assert "tidak boleh kosong" in page
