"""The agenda as an iCalendar (RFC 5545) feed that phone calendars subscribe to.

Times: every DTSTART/DTEND is written in the *program's* zone (WIB/WITA/WIT) with a TZID and the matching
VTIMEZONE, never as floating time and never in the server's zone, so a participant whose phone is set to
another zone still sees the right instant, and one in the venue's zone sees the printed agenda's times.

SEQUENCE: RFC 5545 wants it to grow each time an event is significantly revised, so that subscribers
replace their copy, and never to go down. It is ``Session.sequence``, which the agenda services raise by
one with every change of time or venue. Other edits (a typo in a description) keep it; LAST-MODIFIED still
moves with ``updated_at``.

Labels ("Narasumber", "Pakaian", the kind and dress code displays) are in the active language; the project's
LanguageMiddleware makes that Indonesian for calendar apps, which send no language cookie.
"""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from icalendar import Calendar, Event, Timezone, vDuration

from .models import Session

PRODID = "-//Retret//Agenda//ID"
REFRESH = dt.timedelta(hours=1)
# A session without a positive duration still gets a visible slot instead of an invalid event.
MIN_DURATION = dt.timedelta(minutes=15)


def calendar_for_sessions(*, program, sessions: Iterable[Session], name: str, site_url: str) -> bytes:
    """The sessions of ``program`` as one iCalendar document (bytes, CRLF line endings, folded lines)."""
    host = _host(site_url)
    tz = program.tzinfo
    if isinstance(sessions, QuerySet):
        sessions = sessions.select_related("venue").prefetch_related("speakers")

    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    calendar.add("X-WR-TIMEZONE", program.timezone)
    calendar.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))

    stamp = timezone.now().astimezone(dt.UTC)
    first_date, last_date = Timezone.DEFAULT_FIRST_DATE, Timezone.DEFAULT_LAST_DATE
    events = []
    for session in sessions:
        if session.program_id != program.pk:
            raise ValueError(f"Session {session.pk} belongs to another program than {program.pk}.")
        start = session.starts_at.astimezone(tz)
        end = session.ends_at.astimezone(tz)
        if end <= start:
            end = start + MIN_DURATION
        first_date = min(first_date, start.date() - dt.timedelta(days=1))
        last_date = max(last_date, end.date() + dt.timedelta(days=1))

        event = Event()
        event.add("UID", f"session-{session.pk}@{host}")
        event.add("DTSTAMP", stamp)
        event.add("DTSTART", start)
        event.add("DTEND", end)
        event.add("SUMMARY", _text(session.title))
        location = _location(session, program)
        if location:
            event.add("LOCATION", location)
        description = _description(session)
        if description:
            event.add("DESCRIPTION", description)
        event.add("CATEGORIES", [str(session.get_kind_display())])
        event.add("STATUS", "CONFIRMED")
        event.add("SEQUENCE", sequence_for(session))
        event.add("LAST-MODIFIED", session.updated_at.astimezone(dt.UTC))
        events.append(event)

    # The program's zone is always described (X-WR-TIMEZONE names it, even with no events), before the events
    # that use it; add_missing_timezones() adds any other TZID an event might carry. Both are built offline
    # from zoneinfo (Indonesia has no DST, so each zone is a single STANDARD block).
    calendar.add_component(Timezone.from_tzid(program.timezone, first_date=first_date, last_date=last_date))
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones(first_date=first_date, last_date=last_date)
    return calendar.to_ical()


def sequence_for(session: Session) -> int:
    return session.sequence


def _host(site_url: str) -> str:
    url = site_url.strip()
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host:
        raise ValueError(f"No host in site_url {site_url!r}.")
    return host


def _text(value: str) -> str:
    # Escaping is icalendar's job: it writes commas, semicolons, backslashes and newlines (CRLF from browser
    # textareas included) as \, \; \\ and \n.
    return value.strip()


def _location(session: Session, program) -> str:
    parts = [session.venue.name if session.venue else "", program.venue_name]
    return ", ".join(part.strip() for part in parts if part and part.strip())


def _description(session: Session) -> str:
    lines = []
    speakers = [speaker.display_name for speaker in session.speakers.all()]
    if speakers:
        # Names carry commas ("Dr. Ir. H. Bambang Sutrisno, M.Si."), so several are separated by semicolons.
        label = capfirst(Session._meta.get_field("speakers").verbose_name)
        lines.append(f"{label}: {'; '.join(speakers)}")
    if session.dress_code:
        label = capfirst(Session._meta.get_field("dress_code").verbose_name)
        lines.append(f"{label}: {session.get_dress_code_display()}")
    blocks = [_text(session.description), "\n".join(lines)]
    return "\n\n".join(block for block in blocks if block)


def ics_response(content: bytes, name: str) -> HttpResponse:
    """A calendar feed as a response: shown inline, cached briefly by the subscriber."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
