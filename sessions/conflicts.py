"""Warnings about a program's agenda: double-booked venues and speakers, people expected in two places at
once, sessions outside the program's days, impossible times and rooms too small for their audience.

Nothing here blocks a save; the agenda editor shows the list and the organizer decides. Everything is
computed in memory from sessions the caller has already loaded (see ``agenda_conflicts``), so the cost is
one query for the program's enrollments whatever the number of sessions.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from participants.models import Enrollment
from participants.selectors import ACTIVE_STATUSES
from retreat.formatting import date_range

from .models import Session

VENUE_DOUBLE_BOOKED = "venue_double_booked"
SPEAKER_DOUBLE_BOOKED = "speaker_double_booked"
AUDIENCE_OVERLAP = "audience_overlap"
OUTSIDE_PROGRAM = "outside_program"
ENDS_BEFORE_START = "ends_before_start"
OVER_CAPACITY = "over_capacity"

# What agenda_conflicts reads from each session; already loaded by the agenda view's queryset
# (select_related("venue", "moderator").prefetch_related("speakers", "cohorts", "groups")), in which case
# prefetch_related_objects finds every cache filled and runs no query.
RELATED = ("venue", "moderator", "speakers", "cohorts", "groups")


@dataclass(frozen=True)
class Conflict:
    code: str
    message: str
    session_ids: tuple[int, ...]


def session_audiences(program, sessions: Iterable[Session]) -> dict[int, frozenset[int]]:
    """Session id -> ids of the active enrollments it is meant for.

    A session with no cohorts and no groups is for the whole program; otherwise for everyone in any of its
    cohorts or any of its groups. One query for the enrollments; the sessions' cohorts and groups come from
    their prefetch caches (fetched here in two queries for all sessions if the caller did not prefetch them).
    """
    sessions = list(sessions)
    prefetch_related_objects(sessions, "cohorts", "groups")
    everyone: set[int] = set()
    by_cohort: dict[int, set[int]] = defaultdict(set)
    by_group: dict[int, set[int]] = defaultdict(set)
    rows = (
        Enrollment.objects.filter(program=program, status__in=ACTIVE_STATUSES)
        .order_by()
        .values_list("pk", "cohort_id", "group_id")
    )
    for pk, cohort_id, group_id in rows:
        everyone.add(pk)
        if cohort_id:
            by_cohort[cohort_id].add(pk)
        if group_id:
            by_group[group_id].add(pk)

    whole_program = frozenset(everyone)
    shared: dict[tuple[frozenset[int], frozenset[int]], frozenset[int]] = {}  # sessions with the same targets
    audiences = {}
    for session in sessions:
        key = (_ids(session.cohorts.all()), _ids(session.groups.all()))
        if not key[0] and not key[1]:
            audiences[session.pk] = whole_program
            continue
        if key not in shared:
            cohorts, groups = key
            shared[key] = frozenset().union(*(by_cohort[pk] for pk in cohorts), *(by_group[pk] for pk in groups))
        audiences[session.pk] = shared[key]
    return audiences


def agenda_conflicts(
    program, sessions: Iterable[Session], *, audiences: dict[int, frozenset[int]] | None = None
) -> list[Conflict]:
    """Every warning for the given sessions of one program, sorted by the first session's start, then code.

    ``sessions`` should come with venue and moderator selected and speakers, cohorts and groups prefetched;
    ``audiences`` defaults to ``session_audiences(program, sessions)``. Pairs are found with a sweep over the
    sessions sorted by start, so the work grows with the number of overlapping pairs, not with n².
    """
    sessions = list(sessions)
    prefetch_related_objects(sessions, *RELATED)
    if audiences is None:
        audiences = session_audiences(program, sessions)
    # With nobody enrolled (or placed) yet every audience is empty: compare the sessions' targets instead.
    audiences_known = any(audiences.get(session.pk) for session in sessions)
    facts = {session.pk: _Facts.of(session, audiences.get(session.pk, frozenset())) for session in sessions}

    found: list[tuple[datetime, str, tuple[int, ...], Conflict]] = []

    def add(code: str, message: str, *ordered: Session) -> None:
        ids = tuple(session.pk for session in ordered)
        found.append((ordered[0].starts_at, code, ids, Conflict(code=code, message=message, session_ids=ids)))

    window = _program_window(program)
    for session in sessions:
        when = _span(program, session.starts_at, session.ends_at)
        if session.ends_at <= session.starts_at:
            add(ENDS_BEFORE_START, _ends_before_start(session, when), session)
        if session.starts_at < window[0] or session.ends_at > window[1]:
            add(OUTSIDE_PROGRAM, _outside_program(program, session, when), session)
        capacity = session.venue.capacity if session.venue_id else None
        size = len(facts[session.pk].audience)
        if capacity is not None and size > capacity:
            add(OVER_CAPACITY, _over_capacity(session, size, capacity, when), session)

    # Sweep: `running` holds the sessions that started earlier and have not ended when `session` starts;
    # each of them overlaps it (end exclusive). Sessions without a positive duration have their own warning
    # and take no part in overlaps.
    running: list[Session] = []
    for session in sorted((s for s in sessions if s.ends_at > s.starts_at), key=lambda s: (s.starts_at, s.pk)):
        running = [other for other in running if other.ends_at > session.starts_at]
        for other in running:
            when = _span(program, session.starts_at, min(other.ends_at, session.ends_at))
            for code, message in _pair_conflicts(other, session, facts, audiences_known, when):
                add(code, message, other, session)
        running.append(session)

    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]


@dataclass(frozen=True)
class _Facts:
    """What the pair checks compare, read once per session."""

    people: dict  # speaker id -> Speaker, moderator included
    cohorts: dict  # cohort id -> Cohort
    groups: dict  # group id -> DiscussionGroup
    audience: frozenset[int]

    @classmethod
    def of(cls, session: Session, audience: frozenset[int]) -> "_Facts":
        people = {speaker.pk: speaker for speaker in session.speakers.all()}
        if session.moderator_id:
            people[session.moderator_id] = session.moderator
        return cls(
            people=people,
            cohorts={cohort.pk: cohort for cohort in session.cohorts.all()},
            groups={group.pk: group for group in session.groups.all()},
            audience=audience,
        )

    @property
    def whole_program(self) -> bool:
        return not self.cohorts and not self.groups


def _pair_conflicts(first: Session, second: Session, facts, audiences_known: bool, when: str):
    names = {"first": first.title, "second": second.title, "when": when}
    if first.venue_id and first.venue_id == second.venue_id:
        yield (
            VENUE_DOUBLE_BOOKED,
            gettext("%(venue)s is used by “%(first)s” and “%(second)s” at the same time (%(when)s).")
            % {**names, "venue": first.venue.name},
        )

    a, b = facts[first.pk], facts[second.pk]
    speakers = sorted((a.people[pk] for pk in a.people.keys() & b.people.keys()), key=lambda s: s.display_name)
    if speakers:
        yield (
            SPEAKER_DOUBLE_BOOKED,
            ngettext(
                "%(speakers)s is in both “%(first)s” and “%(second)s” at the same time (%(when)s).",
                "%(speakers)s are in both “%(first)s” and “%(second)s” at the same time (%(when)s).",
                len(speakers),
            )
            % {**names, "speakers": ", ".join(speaker.display_name for speaker in speakers)},
        )

    if audiences_known:
        common = len(a.audience & b.audience)
        if common:
            yield (
                AUDIENCE_OVERLAP,
                ngettext(
                    "%(count)d person is expected at both “%(first)s” and “%(second)s” at the same time (%(when)s).",
                    "%(count)d people are expected at both “%(first)s” and “%(second)s” at the same time (%(when)s).",
                    common,
                )
                % {**names, "count": common},
            )
        return

    if a.whole_program and b.whole_program:
        audience = gettext("the whole program")
    else:
        targets = [a.cohorts[pk] for pk in a.cohorts.keys() & b.cohorts.keys()]
        targets += [a.groups[pk] for pk in a.groups.keys() & b.groups.keys()]
        audience = ", ".join(sorted(str(target) for target in targets))
    if audience:
        yield (
            AUDIENCE_OVERLAP,
            gettext("“%(first)s” and “%(second)s” are both for %(audience)s at the same time (%(when)s).")
            % {**names, "audience": audience},
        )


def _ends_before_start(session: Session, when: str) -> str:
    return gettext("“%(title)s” does not end after it starts (%(when)s).") % {"title": session.title, "when": when}


def _outside_program(program, session: Session, when: str) -> str:
    return gettext("“%(title)s” (%(when)s) is outside the program's days (%(dates)s).") % {
        "title": session.title,
        "when": when,
        "dates": date_range(program.start_date, program.end_date),
    }


def _over_capacity(session: Session, size: int, capacity: int, when: str) -> str:
    return ngettext(
        "“%(title)s” is for %(count)d person but %(venue)s holds %(capacity)d (%(when)s).",
        "“%(title)s” is for %(count)d people but %(venue)s holds %(capacity)d (%(when)s).",
        size,
    ) % {"title": session.title, "count": size, "venue": session.venue.name, "capacity": capacity, "when": when}


def _program_window(program) -> tuple[datetime, datetime]:
    """From midnight of the first day to midnight after the last day, local time (end exclusive, so a session
    ending at 00.00 after the last day is inside)."""
    tz = program.tzinfo
    start = datetime.combine(program.start_date, time.min, tzinfo=tz)
    end = datetime.combine(program.end_date + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def _span(program, starts_at: datetime, ends_at: datetime) -> str:
    """`Kamis 15 Mei 07.30–08.00 WIB`, or both days when the span crosses midnight (format of `program_time`)."""
    start, end = timezone.localtime(starts_at, program.tzinfo), timezone.localtime(ends_at, program.tzinfo)
    zone = program.tz_abbreviation
    if start.date() == end.date():
        return f"{date_format(start, 'l j F')} {start:%H.%M}–{end:%H.%M} {zone}"
    return f"{date_format(start, 'l j F')} {start:%H.%M} – {date_format(end, 'l j F')} {end:%H.%M} {zone}"


def _ids(objects) -> frozenset[int]:
    return frozenset(obj.pk for obj in objects)
