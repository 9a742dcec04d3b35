import datetime as dt
import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from participants.enums import EnrollmentStatus
from participants.tests.factories import EnrollmentFactory
from retreat.tests.factories import CohortFactory, ProgramFactory
from sessions.conflicts import (
    AUDIENCE_OVERLAP,
    ENDS_BEFORE_START,
    OUTSIDE_PROGRAM,
    OVER_CAPACITY,
    SPEAKER_DOUBLE_BOOKED,
    VENUE_DOUBLE_BOOKED,
    Conflict,
    agenda_conflicts,
    session_audiences,
)
from sessions.models import Session
from sessions.tests.factories import (
    DiscussionGroupFactory,
    SessionFactory,
    SpeakerFactory,
    VenueFactory,
    local_time,
)

# The program fixture runs Thursday 15 to Saturday 17 May 2025, WIB.


def agenda(program):
    """The sessions as the agenda view loads them."""
    return list(
        Session.objects.filter(program=program)
        .select_related("venue", "moderator")
        .prefetch_related("speakers", "cohorts", "groups")
    )


def conflicts(program, code=None):
    found = agenda_conflicts(program, agenda(program))
    return [c for c in found if c.code == code] if code else found


def session(program, title, day, start, end, **kwargs):
    return SessionFactory(
        program=program,
        title=title,
        starts_at=local_time(program, day, start),
        ends_at=local_time(program, day, end),
        **kwargs,
    )


def enroll(program, count, **kwargs):
    return EnrollmentFactory.create_batch(count, program=program, status=EnrollmentStatus.CONFIRMED, **kwargs)


# --- venue_double_booked ---------------------------------------------------------------------------


def test_venue_double_booked_when_two_sessions_overlap_in_one_venue(program):
    aula = VenueFactory(program=program, name="Aula Utama")
    apel = session(program, "Apel Pagi", 2, "07:00", "08:00", venue=aula)
    kuliah = session(program, "Kuliah Umum", 2, "07:30", "09:00", venue=aula)

    with translation.override("id"):
        [conflict] = conflicts(program, VENUE_DOUBLE_BOOKED)

    assert conflict.session_ids == (apel.pk, kuliah.pk)
    assert "Aula Utama" in conflict.message
    assert "“Apel Pagi”" in conflict.message
    assert "“Kuliah Umum”" in conflict.message
    assert "(Jumat 16 Mei 07.30–08.00 WIB)" in conflict.message  # the overlap, local time, Indonesian day


def test_venue_double_booked_message_in_english(program):
    aula = VenueFactory(program=program, name="Aula Utama")
    session(program, "Apel Pagi", 2, "07:00", "08:00", venue=aula)
    session(program, "Kuliah Umum", 2, "07:30", "09:00", venue=aula)

    with translation.override("en"):
        [conflict] = conflicts(program, VENUE_DOUBLE_BOOKED)

    assert conflict.message == (
        "Aula Utama is used by “Apel Pagi” and “Kuliah Umum” at the same time (Friday 16 May 07.30–08.00 WIB)."
    )


def test_venue_not_double_booked_when_sessions_are_adjacent(program):
    aula = VenueFactory(program=program, name="Aula Utama")
    session(program, "Apel Pagi", 2, "07:00", "08:00", venue=aula)
    session(program, "Kuliah Umum", 2, "08:00", "10:00", venue=aula)

    assert conflicts(program) == []


def test_venue_not_double_booked_in_different_venues(program):
    session(program, "Materi A", 2, "08:00", "10:00", venue=VenueFactory(program=program, name="Aula Utama"))
    session(program, "Materi B", 2, "08:00", "10:00", venue=VenueFactory(program=program, name="Ruang Kelas 1"))

    # They do overlap (both for the whole program), but not in one venue.
    assert [c.code for c in conflicts(program)] == [AUDIENCE_OVERLAP]


def test_sessions_without_venue_are_not_double_booked(program):
    session(program, "Materi A", 2, "08:00", "10:00")
    session(program, "Materi B", 2, "08:00", "10:00")

    assert conflicts(program, VENUE_DOUBLE_BOOKED) == []


def test_each_pair_is_reported_once(program):
    aula = VenueFactory(program=program, name="Aula Utama")
    a = session(program, "A", 2, "08:00", "12:00", venue=aula)
    b = session(program, "B", 2, "09:00", "10:00", venue=aula)
    c = session(program, "C", 2, "09:30", "11:00", venue=aula)
    d = session(program, "D", 2, "11:00", "13:00", venue=aula)  # overlaps A only; C ends at 11.00

    pairs = [c_.session_ids for c_ in conflicts(program, VENUE_DOUBLE_BOOKED)]

    assert pairs == [(a.pk, b.pk), (a.pk, c.pk), (a.pk, d.pk), (b.pk, c.pk)]


def test_sweep_finds_the_same_pairs_as_comparing_every_pair(program):
    venues = VenueFactory.create_batch(4, program=program)
    rng = random.Random(20250516)
    for n in range(120):
        start = local_time(program, rng.randint(1, 3), "04:00") + dt.timedelta(minutes=15 * rng.randint(0, 60))
        SessionFactory(
            program=program,
            title=f"S{n}",
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=15 * rng.randint(1, 12)),
            venue=rng.choice(venues),
        )
    sessions = agenda(program)
    expected = {
        tuple(sorted((a, b), key=lambda s: (s.starts_at, s.pk)))
        for a, b in itertools.combinations(sessions, 2)
        if a.venue_id == b.venue_id and a.starts_at < b.ends_at and b.starts_at < a.ends_at
    }

    found = [c.session_ids for c in agenda_conflicts(program, sessions) if c.code == VENUE_DOUBLE_BOOKED]

    assert len(found) == len(set(found))
    assert set(found) == {(a.pk, b.pk) for a, b in expected}
    assert len(expected) > 10  # the random agenda does have clashes


# --- speaker_double_booked -------------------------------------------------------------------------


def test_speaker_double_booked_in_overlapping_sessions(program, institution):
    kepala = SpeakerFactory(institution=institution, front_title="Prof. Dr.", name="Zudan Arif", back_title="S.H.")
    a = session(program, "Kuliah Umum", 2, "08:00", "10:00", speakers=[kepala])
    b = session(program, "Diskusi Panel", 2, "09:00", "11:00", speakers=[kepala, SpeakerFactory()])

    [conflict] = conflicts(program, SPEAKER_DOUBLE_BOOKED)

    assert conflict.session_ids == (a.pk, b.pk)
    assert "Prof. Dr. Zudan Arif, S.H." in conflict.message
    assert "“Kuliah Umum”" in conflict.message
    assert "“Diskusi Panel”" in conflict.message
    assert "09.00–10.00 WIB" in conflict.message


def test_moderator_counts_as_speaker(program, institution):
    moderator = SpeakerFactory(institution=institution, name="Rina Wulandari")
    session(program, "Kuliah Umum", 2, "08:00", "10:00", moderator=moderator)
    session(program, "Komunikasi Efektif", 2, "09:30", "10:30", speakers=[moderator])

    [conflict] = conflicts(program, SPEAKER_DOUBLE_BOOKED)

    assert "Rina Wulandari" in conflict.message


def test_speaker_not_double_booked_in_adjacent_sessions_or_with_other_speakers(program, institution):
    kepala = SpeakerFactory(institution=institution)
    session(program, "Kuliah Umum", 2, "08:00", "10:00", speakers=[kepala], moderator=kepala)
    session(program, "Komunikasi Efektif", 2, "10:00", "12:00", speakers=[kepala])
    session(program, "Studi Kasus", 2, "08:00", "10:00", speakers=[SpeakerFactory(institution=institution)])

    assert conflicts(program, SPEAKER_DOUBLE_BOOKED) == []


# --- audience_overlap ------------------------------------------------------------------------------


@pytest.fixture
def two_groups(program):
    one, two = DiscussionGroupFactory(program=program, number=1), DiscussionGroupFactory(program=program, number=2)
    enroll(program, 3, group=one)
    enroll(program, 4, group=two)
    return one, two


def test_disjoint_groups_at_the_same_time_are_not_a_conflict(program, two_groups):
    one, two = two_groups
    session(program, "FGD Kelompok 1", 2, "15:30", "17:30", groups=[one])
    session(program, "FGD Kelompok 2", 2, "15:30", "17:30", groups=[two])

    assert conflicts(program) == []


def test_audience_overlap_counts_the_people_in_both(program, two_groups):
    one, _two = two_groups
    a = session(program, "Kuliah Umum", 2, "08:00", "10:00")  # whole program: 7 people
    b = session(program, "FGD Kelompok 1", 2, "09:00", "11:00", groups=[one])

    [conflict] = conflicts(program, AUDIENCE_OVERLAP)

    assert conflict.session_ids == (a.pk, b.pk)
    assert conflict.message.startswith("3 ")
    assert "“Kuliah Umum”" in conflict.message
    assert "“FGD Kelompok 1”" in conflict.message


def test_audience_overlap_not_reported_for_adjacent_sessions(program, two_groups):
    session(program, "Kuliah Umum", 2, "08:00", "10:00")
    session(program, "Komunikasi Efektif", 2, "10:00", "12:00")

    assert conflicts(program, AUDIENCE_OVERLAP) == []


def test_audience_overlap_through_a_cohort_and_a_group(program):
    cohort = CohortFactory(program=program, name="Angkatan I")
    group = DiscussionGroupFactory(program=program, number=1)
    enroll(program, 2, cohort=cohort)
    enroll(program, 1, cohort=cohort, group=group)
    enroll(program, 5, group=DiscussionGroupFactory(program=program, number=2))
    session(program, "Materi Angkatan I", 2, "08:00", "10:00", cohorts=[cohort])
    session(program, "FGD Kelompok 1", 2, "08:00", "10:00", groups=[group])

    [conflict] = conflicts(program, AUDIENCE_OVERLAP)

    assert conflict.message.startswith("1 ")


def test_withdrawn_people_do_not_make_an_overlap(program):
    one, two = DiscussionGroupFactory(program=program, number=1), DiscussionGroupFactory(program=program, number=2)
    enroll(program, 3, group=one)
    EnrollmentFactory(program=program, group=two, status=EnrollmentStatus.WITHDRAWN)
    session(program, "Kuliah Umum", 2, "08:00", "10:00", groups=[one])
    session(program, "FGD Kelompok 2", 2, "08:00", "10:00", groups=[two])

    assert conflicts(program, AUDIENCE_OVERLAP) == []


def test_without_enrollments_two_whole_program_sessions_overlap(program):
    session(program, "Kuliah Umum", 2, "08:00", "10:00")
    session(program, "Outbound", 2, "09:00", "11:00")

    with translation.override("en"):
        [conflict] = conflicts(program, AUDIENCE_OVERLAP)

    assert "the whole program" in conflict.message


def test_without_enrollments_sessions_sharing_a_group_overlap(program):
    one, two = DiscussionGroupFactory(program=program, number=1), DiscussionGroupFactory(program=program, number=2)
    session(program, "FGD A", 2, "15:30", "17:30", groups=[one])
    session(program, "FGD B", 2, "15:30", "17:30", groups=[one, two])
    session(program, "FGD C", 3, "15:30", "17:30", groups=[one])
    session(program, "FGD D", 3, "15:30", "17:30", groups=[two])

    [conflict] = conflicts(program, AUDIENCE_OVERLAP)

    assert "Kelompok 1" in conflict.message
    assert "Kelompok 2" not in conflict.message
    assert "“FGD A”" in conflict.message


def test_without_enrollments_a_whole_program_session_and_a_group_session_do_not_overlap(program):
    # The fallback compares targets only: both for the whole program, or a cohort or group in common.
    group = DiscussionGroupFactory(program=program, number=1)
    session(program, "Studi Kasus", 2, "15:30", "17:30")
    session(program, "FGD Kelompok 1", 2, "15:30", "17:30", groups=[group])

    assert conflicts(program, AUDIENCE_OVERLAP) == []


# --- outside_program -------------------------------------------------------------------------------


def test_outside_program_before_the_first_day_and_after_the_last(program):
    early = session(program, "Gladi Resik", 0, "20:00", "21:00")
    late = session(program, "Kepulangan", 3, "23:00", "23:59")
    late.ends_at = local_time(program, 4, "01:00")
    late.save()

    found = conflicts(program, OUTSIDE_PROGRAM)

    assert [c.session_ids for c in found] == [(early.pk,), (late.pk,)]
    with translation.override("id"):
        message = conflicts(program, OUTSIDE_PROGRAM)[0].message
    assert "“Gladi Resik”" in message
    assert "Rabu 14 Mei 20.00–21.00 WIB" in message
    assert "15–17 Mei 2025" in message


def test_sessions_from_first_midnight_to_last_midnight_are_inside(program):
    session(program, "Kedatangan", 1, "00:00", "02:00")
    last = session(program, "Api Unggun", 3, "22:00", "23:00")
    last.ends_at = local_time(program, 4, "00:00")
    last.save()

    assert conflicts(program, OUTSIDE_PROGRAM) == []


def test_outside_program_uses_the_programs_time_zone(institution):
    moment = dt.datetime(2025, 5, 14, 16, 0, tzinfo=dt.UTC)  # 23.00 WIB on the 14th, 01.00 WIT on the 15th
    wib = ProgramFactory(organizer=institution, timezone="Asia/Jakarta")
    wit = ProgramFactory(organizer=institution, timezone="Asia/Jayapura")
    for program in (wib, wit):
        SessionFactory(program=program, starts_at=moment, ends_at=moment + dt.timedelta(hours=1))

    assert len(conflicts(wib, OUTSIDE_PROGRAM)) == 1
    assert conflicts(wit, OUTSIDE_PROGRAM) == []


# --- ends_before_start -----------------------------------------------------------------------------


def test_ends_before_start(program):
    aula = VenueFactory(program=program)
    backwards = session(program, "Terbalik", 2, "10:00", "09:00", venue=aula)
    empty = session(program, "Kosong", 2, "09:30", "09:30", venue=aula)
    session(program, "Normal", 2, "08:00", "11:00", venue=aula)

    found = conflicts(program, ENDS_BEFORE_START)

    assert [c.session_ids for c in found] == [(empty.pk,), (backwards.pk,)]
    assert "“Terbalik”" in found[1].message
    # A session without a positive duration has this warning only; it takes no part in overlaps.
    assert conflicts(program, VENUE_DOUBLE_BOOKED) == []


def test_a_session_that_ends_after_it_starts_is_fine(program):
    session(program, "Normal", 2, "09:00", "09:01")

    assert conflicts(program) == []


# --- over_capacity ---------------------------------------------------------------------------------


def test_over_capacity_when_the_audience_exceeds_the_venue(program):
    enroll(program, 31)
    kelas = VenueFactory(program=program, name="Ruang Kelas 1", capacity=30)
    s = session(program, "Komunikasi Efektif", 2, "10:15", "12:00", venue=kelas)

    [conflict] = conflicts(program, OVER_CAPACITY)

    assert conflict.session_ids == (s.pk,)
    assert "“Komunikasi Efektif”" in conflict.message
    assert "31" in conflict.message
    assert "Ruang Kelas 1" in conflict.message
    assert "30" in conflict.message


def test_capacity_exactly_equal_is_fine(program):
    enroll(program, 30)
    EnrollmentFactory(program=program, status=EnrollmentStatus.WITHDRAWN)
    session(program, "Komunikasi Efektif", 2, "10:15", "12:00", venue=VenueFactory(program=program, capacity=30))

    assert conflicts(program) == []


def test_unlimited_capacity_and_group_sessions_are_fine(program, two_groups):
    one, _two = two_groups
    session(program, "Lapangan", 2, "05:00", "06:00", venue=VenueFactory(program=program, capacity=None))
    session(
        program, "FGD Kelompok 1", 2, "15:00", "16:00", groups=[one], venue=VenueFactory(program=program, capacity=3)
    )

    assert conflicts(program) == []


# --- order, audiences and queries ----------------------------------------------------------------


def test_conflicts_sorted_by_first_start_then_code(program, institution):
    enroll(program, 5)
    kepala = SpeakerFactory(institution=institution)
    aula = VenueFactory(program=program, name="Aula Utama", capacity=4)
    session(program, "Siang", 2, "13:00", "14:00", venue=aula, speakers=[kepala])
    session(program, "Siang 2", 2, "13:30", "14:30", venue=aula, speakers=[kepala])
    session(program, "Pagi", 2, "08:00", "07:00")

    found = conflicts(program)

    assert [c.code for c in found] == [
        ENDS_BEFORE_START,
        AUDIENCE_OVERLAP,
        OVER_CAPACITY,
        SPEAKER_DOUBLE_BOOKED,
        VENUE_DOUBLE_BOOKED,
        OVER_CAPACITY,
    ]
    assert all(isinstance(c, Conflict) for c in found)


def test_session_audiences(program, two_groups):
    one, two = two_groups
    cohort = CohortFactory(program=program)
    in_cohort = enroll(program, 2, cohort=cohort)
    EnrollmentFactory(program=program, cohort=cohort, status=EnrollmentStatus.REPLACED)
    everyone = session(program, "Semua", 2, "08:00", "09:00")
    first = session(program, "Kelompok 1", 2, "08:00", "09:00", groups=[one])
    mixed = session(program, "Campur", 2, "08:00", "09:00", groups=[two], cohorts=[cohort])

    audiences = session_audiences(program, agenda(program))

    assert len(audiences[everyone.pk]) == 9
    assert audiences[first.pk] == {e.pk for e in one.enrollments.all()}
    assert audiences[mixed.pk] == {e.pk for e in two.enrollments.all()} | {e.pk for e in in_cohort}


def build_agenda(program, count):
    """`count` sessions over the three days with venues, speakers, moderators, cohorts and groups."""
    cohort = CohortFactory(program=program)
    groups = [DiscussionGroupFactory(program=program, number=n) for n in (1, 2, 3)]
    for group in groups:
        enroll(program, 2, group=group, cohort=cohort)
    venues = [VenueFactory(program=program, capacity=3) for _ in range(3)]
    speakers = SpeakerFactory.create_batch(4, institution=program.organizer)
    for n in range(count):
        start = local_time(program, 1 + n % 3, "07:00") + dt.timedelta(minutes=30 * (n // 3 % 20))
        SessionFactory(
            program=program,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=45),
            venue=venues[n % 3],
            moderator=speakers[n % 4],
            speakers=[speakers[(n + 1) % 4]],
            groups=[groups[n % 3]] if n % 2 else [],
            cohorts=[cohort] if n % 5 == 0 else [],
        )


def count_queries(program):
    sessions = agenda(program)
    with CaptureQueriesContext(connection) as queries:
        found = agenda_conflicts(program, sessions)
    return len(queries), found


def test_query_count_does_not_grow_with_the_agenda(institution):
    small, large = ProgramFactory(organizer=institution), ProgramFactory(organizer=institution)
    build_agenda(small, 5)
    build_agenda(large, 60)

    small_queries, _ = count_queries(small)
    large_queries, found = count_queries(large)

    assert small_queries == large_queries <= 3
    assert {c.code for c in found} >= {VENUE_DOUBLE_BOOKED, SPEAKER_DOUBLE_BOOKED, AUDIENCE_OVERLAP, OVER_CAPACITY}


def test_query_count_constant_even_without_prefetching(institution, django_assert_max_num_queries):
    program = ProgramFactory(organizer=institution)
    build_agenda(program, 60)
    sessions = list(Session.objects.filter(program=program))

    with django_assert_max_num_queries(8):  # enrollments, then one per relation the caller did not load
        agenda_conflicts(program, sessions)
