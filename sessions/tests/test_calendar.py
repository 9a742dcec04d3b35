import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from icalendar import Calendar

from sessions.calendar import calendar_for_sessions
from sessions.enums import DressCode, SessionKind
from sessions.models import Session, Speaker, Venue

SITE_URL = "https://retret.example.id:8443/"
UTC = dt.UTC


def make_session(program, *, start, minutes=60, **fields):
    fields.setdefault("kind", SessionKind.MATERI)
    fields.setdefault("title", "Komunikasi efektif")
    speakers = fields.pop("speakers", [])
    session = Session.objects.create(
        program=program, starts_at=start, ends_at=start + dt.timedelta(minutes=minutes), **fields
    )
    session.speakers.set(speakers)
    return session


def build(program, sessions=None, name="Agenda Retret"):
    if sessions is None:
        sessions = Session.objects.filter(program=program)
    return calendar_for_sessions(program=program, sessions=sessions, name=name, site_url=SITE_URL)


def parse(data: bytes) -> Calendar:
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


def only_event(data: bytes):
    events = parse(data).events
    assert len(events) == 1
    return events[0]


@pytest.fixture(autouse=True)
def _server_zone_differs(settings):
    # The feed must not depend on the server's zone: make it one no program uses.
    settings.TIME_ZONE = "America/New_York"


@pytest.fixture
def wita_program(program):
    program.timezone = "Asia/Makassar"
    program.save()
    return program


def test_calendar_properties_for_subscriptions(wita_program):
    data = build(wita_program, name="Agenda: Retret, Malang")
    calendar = parse(data)

    assert str(calendar["PRODID"]) == "-//Retret//Agenda//ID"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Agenda: Retret, Malang"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Makassar"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data
    # Even without events the program's zone is described.
    assert calendar.events == []
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Makassar"]


def test_one_event_per_given_session(program, other_program):
    start = dt.datetime(2025, 5, 16, 1, tzinfo=UTC)
    for hour in range(3):
        make_session(program, start=start + dt.timedelta(hours=hour), title=f"Sesi {hour}")
    make_session(other_program, start=start, title="Program lain")

    titles = [str(event["SUMMARY"]) for event in parse(build(program)).events]

    assert titles == ["Sesi 0", "Sesi 1", "Sesi 2"]


@pytest.mark.parametrize(
    ("zone", "utc_start", "local_text", "offset"),
    [
        ("Asia/Jakarta", dt.datetime(2025, 5, 16, 1, tzinfo=UTC), "20250516T080000", "+0700"),  # WIB
        ("Asia/Makassar", dt.datetime(2025, 5, 16, 0, tzinfo=UTC), "20250516T080000", "+0800"),  # WITA
        ("Asia/Jayapura", dt.datetime(2025, 5, 15, 23, tzinfo=UTC), "20250516T080000", "+0900"),  # WIT
    ],
)
def test_times_are_in_the_programs_zone_with_its_vtimezone(program, zone, utc_start, local_text, offset):
    program.timezone = zone
    program.save()
    make_session(program, start=utc_start, minutes=120)

    data = build(program)
    calendar = parse(data)
    event = only_event(data)

    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.hour, start.minute) == (8, 0)
    assert (end.hour, end.minute) == (10, 0)
    assert str(start.tzinfo) == zone
    assert start.utcoffset() == ZoneInfo(zone).utcoffset(start)
    assert start == utc_start
    assert event["DTSTART"].params["TZID"] == zone
    assert f"DTSTART;TZID={zone}:{local_text}".encode() in data

    assert [tz.tz_name for tz in calendar.timezones] == [zone]
    assert calendar.get_missing_tzids() == set()
    vtimezone = calendar.timezones[0]
    assert f"TZOFFSETTO:{offset}".encode() in vtimezone.to_ical()
    # The zone comes before the events that use it.
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")


def test_uid_is_stable_across_builds(wita_program):
    session = make_session(wita_program, start=dt.datetime(2025, 5, 16, 0, tzinfo=UTC))

    first, second = only_event(build(wita_program)), only_event(build(wita_program))

    assert str(first["UID"]) == str(second["UID"]) == f"session-{session.pk}@retret.example.id"


def test_sequence_grows_with_each_change_of_time_or_venue_and_never_drops(wita_program):
    from sessions import services

    session = make_session(wita_program, start=dt.datetime(2025, 5, 16, 0, tzinfo=UTC))
    assert only_event(build(wita_program)).sequence == 0
    services.agenda_publish(program=wita_program)
    sequences = []
    for hours in (1, 1.5, 0):  # moved, moved again, moved back
        start = dt.datetime(2025, 5, 16, 0, tzinfo=UTC) + dt.timedelta(hours=hours)
        services.session_save(program=wita_program, session=session, starts_at=start,
                              ends_at=start + dt.timedelta(hours=2))  # fmt: skip
        sequences.append(only_event(build(wita_program)).sequence)
    assert sequences == [1, 2, 3]
    services.session_save(program=wita_program, session=session, title="Judul baru")  # not significant
    assert only_event(build(wita_program)).sequence == 3
    services.agenda_publish(program=wita_program)  # republishing clears the marks, not the sequence
    assert only_event(build(wita_program)).sequence == 3


def test_text_with_commas_semicolons_and_newlines_round_trips(wita_program):
    title = "Pengambilan keputusan, studi kasus; kelompok A\\B"
    description = "Baris satu, dengan koma;\r\nBaris dua\n\nBaris empat: selesai."
    make_session(wita_program, start=dt.datetime(2025, 5, 16, 0, tzinfo=UTC), title=title, description=description)

    data = build(wita_program)
    event = only_event(data)

    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]) == "Baris satu, dengan koma;\nBaris dua\n\nBaris empat: selesai."
    assert b"SUMMARY:Pengambilan keputusan\\, studi kasus\\; kelompok A\\\\B" in data


def test_location_description_and_categories(wita_program, institution):
    venue = Venue.objects.create(program=wita_program, name="Aula Merdeka")
    speakers = [
        Speaker.objects.create(
            institution=institution, front_title="Dr. Ir. H.", name="Bambang Sutrisno", back_title="M.Si."
        ),
        Speaker.objects.create(institution=institution, front_title="Prof.", name="Zudan Arif Fakrulloh"),
    ]
    make_session(
        wita_program,
        start=dt.datetime(2025, 5, 16, 0, tzinfo=UTC),
        kind=SessionKind.MATERI,
        description="Kebijakan manajemen ASN.",
        venue=venue,
        speakers=speakers,
        dress_code=DressCode.PDL,
    )

    with translation.override("id"):
        event = only_event(build(wita_program))

    assert str(event["LOCATION"]) == "Aula Merdeka, Aula Utama"
    assert str(event["DESCRIPTION"]) == (
        "Kebijakan manajemen ASN.\n\n"
        "Narasumber: Dr. Ir. H. Bambang Sutrisno, M.Si.; Prof. Zudan Arif Fakrulloh\n"
        "Pakaian: PDL (pakaian dinas lapangan)"
    )
    assert event.categories == ["Materi"]
    assert str(event["STATUS"]) == "CONFIRMED"


def test_without_venue_or_extras(wita_program):
    session = make_session(wita_program, start=dt.datetime(2025, 5, 16, 0, tzinfo=UTC), kind=SessionKind.APEL)

    with translation.override("id"):
        event = only_event(build(wita_program))

    assert str(event["LOCATION"]) == "Aula Utama"
    assert "DESCRIPTION" not in event
    # A kind whose display has a comma in English stays one category.
    assert event.categories == ["Apel / upacara"]
    assert event.decoded("LAST-MODIFIED") == session.updated_at.replace(microsecond=0)
    stamp = event.decoded("DTSTAMP")
    assert stamp.utcoffset() == dt.timedelta(0)
    assert abs(stamp - dt.datetime.now(UTC)) < dt.timedelta(minutes=1)


@pytest.mark.parametrize("minutes", [0, -30])
def test_session_without_positive_duration_still_exported(wita_program, minutes):
    make_session(wita_program, start=dt.datetime(2025, 5, 16, 0, tzinfo=UTC), minutes=minutes)

    event = only_event(build(wita_program))

    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(minutes=15)
    assert str(event.decoded("DTEND").tzinfo) == "Asia/Makassar"


def test_session_of_another_program_is_refused(program, other_program):
    make_session(other_program, start=dt.datetime(2025, 5, 16, 0, tzinfo=UTC))

    with pytest.raises(ValueError, match="another program"):
        build(program, Session.objects.filter(program=other_program))


def test_queries_do_not_grow_with_sessions(wita_program, institution, django_assert_num_queries):
    venue = Venue.objects.create(program=wita_program, name="Lapangan")
    speaker = Speaker.objects.create(institution=institution, name="Wahyu Hidayat")
    for hour in range(5):
        make_session(wita_program, start=dt.datetime(2025, 5, 16, hour, tzinfo=UTC), venue=venue, speakers=[speaker])

    with django_assert_num_queries(2):  # sessions with venues, then all speakers
        assert len(parse(build(wita_program)).events) == 5
