"""The participant's schedule through the personal link: publishing, change marks, the program's time
zone, renames shown at once, the personal iCal feed, and constant queries."""

from django.urls import reverse
from icalendar import Calendar

from participants import services as participant_services
from participants.tests.factories import EnrollmentFactory
from retreat.tests.factories import ProgramFactory
from sessions import services
from sessions.models import Venue
from sessions.tests.test_agenda import at


def test_draft_agenda_is_invisible_and_changes_are_marked_after_publishing(client, program):
    enrollment = participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    session = services.session_save(program=program, kind="materi", title="Kuliah Umum BKN",
                                    starts_at=at(program, 2, "08:00"), ends_at=at(program, 2, "10:00"))  # fmt: skip
    url = reverse("portal:personal_page", kwargs={"token": enrollment.access_token})
    assert "Kuliah Umum BKN" not in client.get(url).content.decode()
    services.agenda_publish(program=program)
    assert "Kuliah Umum BKN" in client.get(url).content.decode()

    hall = Venue.objects.create(program=program, name="Gedung Serbaguna")
    services.session_save(program=program, session=session, starts_at=at(program, 2, "09:00"),
                          ends_at=at(program, 2, "11:00"), venue=hall)  # fmt: skip
    session.refresh_from_db()
    assert set(session.changes) == {"time", "venue"}
    page = client.get(url).content.decode()
    assert "Berubah" in page
    assert "08.00–10.00" in page  # what it was
    services.session_save(program=program, session=session, starts_at=at(program, 2, "08:00"),
                          ends_at=at(program, 2, "10:00"), venue=None)  # fmt: skip
    session.refresh_from_db()
    assert session.changes == {}


def test_personal_ical_feed_follows_changes_in_the_programs_zone(client, db):
    program = ProgramFactory(timezone="Asia/Makassar")
    enrollment = participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    session = services.session_save(program=program, kind="materi", title="Kuliah Umum",
                                    starts_at=at(program, 2, "08:00"), ends_at=at(program, 2, "10:00"))  # fmt: skip
    services.agenda_publish(program=program)
    url = reverse("portal:personal_calendar", kwargs={"token": enrollment.access_token})

    def event():
        calendar = Calendar.from_ical(client.get(url).content)
        return next(iter(calendar.walk("VEVENT")))

    first = event()
    assert first["DTSTART"].dt.strftime("%H:%M %Z") == "08:00 WITA"
    services.session_save(program=program, session=session, starts_at=at(program, 2, "09:00"),
                          ends_at=at(program, 2, "11:00"))  # fmt: skip
    moved = event()
    assert moved["DTSTART"].dt.hour == 9
    assert moved["UID"] == first["UID"]
    assert int(moved["SEQUENCE"]) > int(first["SEQUENCE"])


def test_participant_page_follows_venue_and_speaker_renames_at_once(client, program):
    from sessions.models import Speaker

    enrollment = participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    venue = Venue.objects.create(program=program, name="Aula Lama")
    speaker = Speaker.objects.create(institution=program.organizer, name="Budi Santoso")
    services.session_save(program=program, kind="materi", title="Kuliah Umum", starts_at=at(program, 2, "08:00"),
                          ends_at=at(program, 2, "10:00"), venue=venue, speakers=[speaker])  # fmt: skip
    services.agenda_publish(program=program)
    url = reverse("portal:personal_page", kwargs={"token": enrollment.access_token})
    assert "Aula Lama" in client.get(url).content.decode()
    services.venue_save(program=program, venue=venue, name="Aula Baru")
    speaker.name = "Budi Santosa"
    speaker.save()  # as the admin site would
    page = client.get(url).content.decode()
    assert "Aula Baru" in page
    assert "Budi Santosa" in page


def test_wita_program_shows_wita_times_on_every_page(client, organizer_client, institution):
    program = ProgramFactory(organizer=institution, timezone="Asia/Makassar")
    enrollment = participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    services.session_save(program=program, kind="materi", title="Kuliah Umum", starts_at=at(program, 2, "08:00"),
                          ends_at=at(program, 2, "10:00"))  # fmt: skip
    services.agenda_publish(program=program)
    page = client.get(reverse("portal:personal_page", kwargs={"token": enrollment.access_token})).content.decode()
    assert "08.00–10.00 WITA" in page
    agenda = organizer_client.get(reverse("sessions:agenda", kwargs={"program_pk": program.pk})).content.decode()
    assert "08.00–10.00" in agenda
    assert (
        "(WITA)"
        in organizer_client.get(reverse("sessions:session_create", kwargs={"program_pk": program.pk})).content.decode()
    )


def test_schedule_runs_constant_queries(client, program, django_assert_max_num_queries):
    """Laid out from nothing (every part of the page out of the cache) at 5 and at 60 sessions: the same
    queries."""
    from django.core.cache import cache

    from sessions.tests.test_agenda import make_sessions

    enrollment = participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    services.agenda_publish(program=program)
    url = reverse("portal:personal_page", kwargs={"token": enrollment.access_token})
    counts = []
    for target in (5, 60):
        make_sessions(program, target - program.sessions.count())
        cache.clear()
        with django_assert_max_num_queries(30) as captured:
            response = client.get(url)
        assert response.content.decode().count("Sesi ") >= target
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_after_an_agenda_edit_only_the_schedule_is_laid_out_again(client, program, django_assert_max_num_queries):
    enrollment = participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    session = services.session_save(program=program, kind="materi", title="Kuliah Umum BKN",
                                    starts_at=at(program, 1, "08:00"), ends_at=at(program, 1, "10:00"))  # fmt: skip
    services.agenda_publish(program=program)
    url = reverse("portal:personal_page", kwargs={"token": enrollment.access_token})
    client.get(url)
    services.session_save(program=program, session=session, title="Kuliah Umum Kepala BKN")
    # the link's row, its block's rows, the enrollment, its attendance, the program's session cards (5: with
    # their speakers, facilitators, cohorts and groups, whatever the number of audiences); the personal part
    # is kept
    with django_assert_max_num_queries(9) as captured:
        page = client.get(url).content.decode()
    assert "Kuliah Umum Kepala BKN" in page
    assert not any("evaluations_" in q["sql"] or "certificates_" in q["sql"] for q in captured.captured_queries)


def test_one_schedule_per_audience_with_each_ones_own_attendance(client, program, django_capture_on_commit_callbacks):
    """Two participants of one group share the schedule laid out once; each sees only their own attendance on
    it; an agenda edit shows on both pages at once."""
    from django.core.cache import cache

    from attendance.services import checkin_apply
    from portal import pages

    first, second = (participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program))
                     for _ in range(2))  # fmt: skip
    session = services.session_save(program=program, kind="materi", title="Kuliah Umum BKN",
                                    starts_at=at(program, 1, "08:00"), ends_at=at(program, 1, "10:00"))  # fmt: skip
    services.agenda_publish(program=program)
    with django_capture_on_commit_callbacks(execute=True):
        checkin_apply(session=session, enrollment=first, occurred_at=session.starts_at, method="qr",
                      status="terlambat")  # fmt: skip
    cache.clear()
    laid_out = []
    original = pages.render_to_string

    def counting(template, context):
        if template == pages.AGENDA_TEMPLATE:
            laid_out.append(template)
        return original(template, context)

    pages.render_to_string = counting
    try:
        first_page = client.get(reverse("portal:personal_page", kwargs={"token": first.access_token})).content.decode()
        second_page = client.get(
            reverse("portal:personal_page", kwargs={"token": second.access_token})
        ).content.decode()
    finally:
        pages.render_to_string = original
    assert len(laid_out) == 1  # the second page took the first one's schedule
    assert "Terlambat" in first_page
    assert "my-attendance small" in first_page
    assert "my-attendance small" not in second_page
    assert "<!--my-attendance" not in first_page + second_page
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(program=program, session=session, title="Kuliah Umum Kepala BKN")
    url = reverse("portal:personal_page", kwargs={"token": second.access_token})
    assert "Kuliah Umum Kepala BKN" in client.get(url).content.decode()


def test_each_audience_sees_its_own_sessions_from_cards_laid_out_once(client, program, django_assert_max_num_queries):
    """Participants of two cohorts and two groups: the program's session cards are read and laid out once, and
    each page shows the whole program's sessions plus only those of its own cohort or group."""
    from participants.models import DiscussionGroup
    from retreat.models import Cohort

    cohorts = [Cohort.objects.create(program=program, name=name) for name in ("Angkatan I", "Angkatan II")]
    groups = [DiscussionGroup.objects.create(program=program, number=n, name=f"Kelompok {n}") for n in (1, 2)]
    people = [participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program, cohort=c, group=g))
              for c, g in ((cohorts[0], groups[0]), (cohorts[1], groups[1]), (cohorts[0], None))]  # fmt: skip
    services.session_save(program=program, kind="materi", title="Pleno Semua",
                          starts_at=at(program, 1, "08:00"), ends_at=at(program, 1, "09:00"))  # fmt: skip
    for n, (cohort, group) in enumerate(zip(cohorts, groups, strict=True), start=1):
        services.session_save(program=program, kind="materi", title=f"Kelas Angkatan {n}", cohorts=[cohort],
                              starts_at=at(program, 1, "10:00"), ends_at=at(program, 1, "11:00"))  # fmt: skip
        services.session_save(program=program, kind="diskusi", title=f"Diskusi Kelompok {n}", groups=[group],
                              starts_at=at(program, 1, "13:00"), ends_at=at(program, 1, "14:00"))  # fmt: skip
    services.agenda_publish(program=program)
    pages = {}
    with django_assert_max_num_queries(40) as captured:
        for person in people:
            pages[person.pk] = client.get(reverse("portal:personal_page", kwargs={"token": person.access_token}))
    read = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "retreat_sessions_session"."id", ')
    ]
    assert len(read) == 1  # the cards, for all three audiences
    shown = {pk: {title for title in ("Pleno Semua", "Kelas Angkatan 1", "Kelas Angkatan 2", "Diskusi Kelompok 1",
                                      "Diskusi Kelompok 2") if title in page.content.decode()}
             for pk, page in pages.items()}  # fmt: skip
    assert shown[people[0].pk] == {"Pleno Semua", "Kelas Angkatan 1", "Diskusi Kelompok 1"}
    assert shown[people[1].pk] == {"Pleno Semua", "Kelas Angkatan 2", "Diskusi Kelompok 2"}
    assert shown[people[2].pk] == {"Pleno Semua", "Kelas Angkatan 1"}


def test_the_page_names_the_facilitators_of_the_participants_group(client, program, facilitator):
    from participants.models import DiscussionGroup

    group = DiscussionGroup.objects.create(program=program, number=3, name="Kelompok 3")
    facilitator.full_name = "Siti Rahmawati, S.Sos."
    facilitator.save()
    participant_services.group_facilitators_set(group=group, users=[facilitator])
    mine = participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program, group=group))
    other = participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    page = client.get(reverse("portal:personal_page", kwargs={"token": mine.access_token})).content.decode()
    assert 'group-facilitators">Pendamping: Siti Rahmawati, S.Sos.</div>' in page
    page = client.get(reverse("portal:personal_page", kwargs={"token": other.access_token})).content.decode()
    assert "group-facilitators" not in page
