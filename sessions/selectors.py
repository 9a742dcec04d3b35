import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

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


def sessions_for_enrollment(enrollment) -> QuerySet[Session]:
    """A participant's sessions: the whole program's and those of their cohort or group, once published."""
    program = enrollment.program
    if not program.agenda_published_at:
        return Session.objects.none()
    audience = Q(cohorts__isnull=True, groups__isnull=True)
    if enrollment.cohort_id:
        audience |= Q(cohorts=enrollment.cohort_id)
    if enrollment.group_id:
        audience |= Q(groups=enrollment.group_id)
    ids = Session.objects.filter(program=program).filter(audience).values("pk")
    return (
        Session.objects.filter(pk__in=ids)
        .select_related("venue", "moderator")
        .prefetch_related("speakers")
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
    dates = {program.start_date + dt.timedelta(days=n) for n in range((program.end_date - program.start_date).days + 1)}
    return [AgendaDay(date=date, sessions=by_day.get(date, [])) for date in sorted(dates | set(by_day))]


def jp_total(sessions) -> int:
    """Learning hours (JP) of a set of sessions: a program's, or one participant's."""
    return sum(session.jp for session in sessions)


def programs_to_copy_from(user, program: Program):
    from retreat.selectors import programs_for_user

    return programs_for_user(user).exclude(pk=program.pk).filter(sessions__isnull=False).distinct()


def agenda_stamp_annotations(program_path: str = "program") -> dict:
    """Subqueries that change whenever a session of the program is added, edited, moved or deleted: read
    in the same query as the row they annotate (a participant's enrollment, for the page cache)."""
    sessions = Session.objects.filter(program=OuterRef(program_path)).order_by().values("program")
    return {
        "agenda_count": Subquery(sessions.annotate(n=Count("pk")).values("n")),
        "agenda_last": Subquery(sessions.annotate(last=Max("updated_at")).values("last")),
    }
