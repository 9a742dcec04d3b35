import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, QuerySet

from retreat.models import Program

from .models import Session


def sessions_for_program(program: Program) -> QuerySet[Session]:
    """Everything the agenda pages, the PDF and the feeds show, in a constant number of queries."""
    return (
        Session.objects.filter(program=program)
        .select_related("venue", "moderator")
        .prefetch_related("speakers", "cohorts", "groups", "facilitators")
        .order_by("starts_at", "pk")
    )


def audience_of(enrollment) -> Q:
    """The sessions meant for the participant: the whole program's (no cohort, no group) and those of their
    cohort or group (as ``sessions.conflicts.session_audiences`` counts them). May repeat a session."""
    audience = Q(cohorts__isnull=True, groups__isnull=True)
    if enrollment.cohort_id:
        audience |= Q(cohorts=enrollment.cohort_id)
    if enrollment.group_id:
        audience |= Q(groups=enrollment.group_id)
    return audience


def meant_for(session, enrollment) -> bool:
    """``audience_of`` for one session whose cohorts and groups are prefetched (no query)."""
    return is_meant({cohort.pk for cohort in session.cohorts.all()}, {group.pk for group in session.groups.all()},
                    enrollment.cohort_id, enrollment.group_id)  # fmt: skip


def is_meant(cohort_pks, group_pks, cohort_pk: int | None, group_pk: int | None) -> bool:
    """``audience_of`` for a session meant for the cohorts and groups of these pks (none: the whole program)
    and a participant of this cohort and group."""
    return (not cohort_pks and not group_pks) or cohort_pk in cohort_pks or group_pk in group_pks


def sessions_for_enrollment(enrollment) -> QuerySet[Session]:
    """A participant's sessions: the whole program's and those of their cohort or group, once published."""
    program = enrollment.program
    if not program.agenda_published_at:
        return Session.objects.none()
    ids = Session.objects.filter(program=program).filter(audience_of(enrollment)).values("pk")
    return (
        Session.objects.filter(pk__in=ids)
        .select_related("venue", "moderator")
        .prefetch_related("speakers", "facilitators")
        .order_by("starts_at", "pk")
    )


@dataclass
class AgendaDay:
    date: dt.date
    sessions: list[Session]

    @property
    def jp(self) -> int:
        return sum(session.jp for session in self.sessions)


def agenda_days(program: Program, sessions) -> list[AgendaDay]:
    """Sessions by local day of the program, every program day present (empty ones too); sessions
    outside the program's dates get their own days."""
    by_day = defaultdict(list)
    for session in sessions:
        by_day[session.starts_at.astimezone(program.tzinfo).date()].append(session)
    return [AgendaDay(date=date, sessions=by_day.get(date, [])) for date in sorted(set(program.days) | set(by_day))]


def jp_total(sessions) -> int:
    """Learning hours (JP) of a set of sessions: a program's, or one participant's."""
    return sum(session.jp for session in sessions)


def programs_to_copy_from(user, program: Program):
    from retreat.selectors import programs_for_user

    return programs_for_user(user).exclude(pk=program.pk).filter(sessions__isnull=False).distinct()


def agenda_version_key(program_id: int) -> str:
    return f"agenda-version:{program_id}"


def agenda_version(program_id: int) -> str:
    """A token that changes whenever anything a participant's page shows of the agenda changes (see
    sessions/signals.py); part of the cache key of participants' pages. Kept in the shared cache."""
    key = agenda_version_key(program_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(key, version, timeout=None)
    return version


def agenda_changed(program_ids) -> None:
    cache.delete_many([f"agenda-version:{pk}" for pk in set(program_ids)])


def agenda_overview(program: Program) -> dict:
    """The planner's view of the agenda: sessions by day, each with its own warnings, all warnings, JP."""
    from .conflicts import agenda_conflicts

    sessions = list(sessions_for_program(program))
    conflicts = agenda_conflicts(program, sessions)
    by_session = defaultdict(list)
    for conflict in conflicts:
        for pk in conflict.session_ids:
            by_session[pk].append(conflict)
    for session in sessions:
        session.conflicts = by_session[session.pk]
    return {
        "days": agenda_days(program, sessions),
        "conflicts": conflicts,
        "jp_total": jp_total(sessions),
        "has_sessions": bool(sessions),
    }
