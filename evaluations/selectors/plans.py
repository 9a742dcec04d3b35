"""Reads of action plans, progress reports and monitoring visits, in a constant number of queries.

Where a plan stands after the retreat (on track, late, done) is decided by ``plan_progress`` alone."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch

from participants.selectors import enrollments_for_program

from ..enums import CLOSED, OPEN, UPCOMING, PlanProgress, PlanStatus
from ..models import ActionPlan, MonitoringVisit, ProgressReport, VisitFinding


def plans_version(enrollment_id: int) -> str:
    """Changes whenever one of the participant's plans or reports changes (services.plans.plans_changed);
    part of the cache key of their personal page."""
    key = f"plans-version:e{enrollment_id}"
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(key, version, timeout=None)
    return version


# --- Follow-ups --------------------------------------------------------------------------------------


@dataclass
class FollowUp:
    """One follow-up of a plan: due from ``opens`` (the program's end date + ``day`` days), changed until
    the next follow-up opens (``closes``; the last one stays open)."""

    day: int
    opens: dt.date
    closes: dt.date | None
    state: str  # upcoming, open or closed
    report: ProgressReport | None = None


def follow_ups(program, days: list[int], today: dt.date) -> list[FollowUp]:
    days = sorted(set(days))
    found = []
    for index, day in enumerate(days):
        opens = program.end_date + dt.timedelta(days=day)
        closes = program.end_date + dt.timedelta(days=days[index + 1]) if index + 1 < len(days) else None
        if today < opens:
            state = UPCOMING
        elif closes is not None and today >= closes:
            state = CLOSED
        else:
            state = OPEN
        found.append(FollowUp(day, opens, closes, state))
    return found


def due_days(program, days: list[int], today: dt.date) -> list[int]:
    """The follow-ups that are due (their day has come), whether or not reported."""
    return [f.day for f in follow_ups(program, days, today) if f.state != UPCOMING]


def plan_follow_ups(plan, days: list[int], today: dt.date) -> list[FollowUp]:
    """The plan's follow-ups with its report at each (``plan.reports`` prefetched or read once)."""
    reports = {report.day: report for report in plan.reports.all()}
    found = follow_ups(plan.enrollment.program, days, today)
    for follow_up in found:
        follow_up.report = reports.get(follow_up.day)
    return found


def plan_progress(plan, *, due: list[int], today: dt.date) -> str:
    """Where an approved plan stands, the one rule for it:

    - done: its latest report (the highest follow-up day reported) says 100 %;
    - late: not done, and its target date has passed (the target date itself is not late), or a follow-up
      that is due (from the program's end date + its days) has no report;
    - on track: otherwise.

    ``plan.reports`` should be prefetched; ``due`` are the follow-up days due on ``today`` (``due_days``)."""
    reports = sorted(plan.reports.all(), key=lambda report: report.day)
    if reports and reports[-1].percent >= 100:
        return PlanProgress.DONE
    if plan.target_date < today:
        return PlanProgress.LATE
    reported = {report.day for report in reports}
    if any(day not in reported for day in due):
        return PlanProgress.LATE
    return PlanProgress.ON_TRACK


# --- The participant's own plans -----------------------------------------------------------------------


def plans_for_enrollment(enrollment) -> list[ActionPlan]:
    """The participant's plans with their reports, in two queries."""
    plans = list(
        ActionPlan.objects.filter(enrollment=enrollment).prefetch_related(
            Prefetch("reports", ProgressReport.objects.order_by("day"))
        )
    )
    for plan in plans:
        plan.enrollment = enrollment  # the caller's, with its program: no query per plan
    return plans


def plan_for_enrollment(enrollment, plan_pk) -> ActionPlan | None:
    """One of the participant's plans, or None when the pk is not theirs."""
    return next((plan for plan in plans_for_enrollment(enrollment) if str(plan.pk) == str(plan_pk)), None)


@dataclass
class PlansCard:
    plans: list
    counts: dict = field(default_factory=dict)
    reports_due: int = 0


def plans_card(enrollment, days: list[int], today: dt.date) -> PlansCard:
    """What the personal page shows of the participant's plans: each with its status, and how many
    follow-up reports of approved plans are open and not written yet."""
    plans = plans_for_enrollment(enrollment)
    card = PlansCard(plans=plans)
    for plan in plans:
        card.counts[plan.status] = card.counts.get(plan.status, 0) + 1
        if plan.status == PlanStatus.APPROVED:
            card.reports_due += sum(
                1 for f in plan_follow_ups(plan, days, today) if f.state == OPEN and f.report is None
            )
    return card


# --- Staff: plans of a program -------------------------------------------------------------------------


def plans_by_participant(program, *, status: str = "", due: list[int], today: dt.date) -> list:
    """The program's participants in protocol order, each with ``plan_list`` (only plans of ``status`` if
    given, and then only participants with one), every approved plan with its ``progress`` and
    ``latest`` report. Three queries."""
    plans = ActionPlan.objects.order_by("created_at", "pk").prefetch_related(
        Prefetch("reports", ProgressReport.objects.order_by("day"))
    )
    if status:
        plans = plans.filter(status=status)
    enrollments = list(
        enrollments_for_program(program).prefetch_related(Prefetch("action_plans", plans, to_attr="plan_list"))
    )
    for enrollment in enrollments:
        for plan in enrollment.plan_list:
            _annotate(plan, due=due, today=today)
    if status:
        enrollments = [e for e in enrollments if e.plan_list]
    return enrollments


def _annotate(plan, *, due, today):
    reports = list(plan.reports.all())
    plan.latest = reports[-1] if reports else None
    plan.progress = plan_progress(plan, due=due, today=today) if plan.status == PlanStatus.APPROVED else None


def plan_for_program(program, plan_pk) -> ActionPlan | None:
    """One plan of the program's participants with its participant and reports, or None."""
    plan = (
        ActionPlan.objects.filter(enrollment__program=program, pk=plan_pk)
        .select_related("enrollment__participant", "enrollment__program", "reviewed_by")
        .prefetch_related(Prefetch("reports", ProgressReport.objects.order_by("day")))
        .first()
    )
    return plan


# --- Monitoring -------------------------------------------------------------------------------------


@dataclass
class Tally:
    on_track: int = 0
    late: int = 0
    done: int = 0
    not_approved: int = 0

    def add(self, plan):
        if plan.progress is None:
            self.not_approved += 1
        else:
            setattr(self, plan.progress, getattr(self, plan.progress) + 1)


@dataclass
class UnitRow:
    unit: str
    participants: list = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    visits: list = field(default_factory=list)


def monitoring_overview(program, *, due: list[int], today: dt.date) -> dict:
    """Per unit (the participants' work unit) and per participant: their plans on track, late, done (and not
    approved yet), and the visits made. Five queries whatever the size."""
    enrollments = plans_by_participant(program, due=due, today=today)
    visits = list(
        MonitoringVisit.objects.filter(program=program).prefetch_related("participants").order_by("-date", "pk")
    )
    visits_of = {}
    for visit in visits:
        for enrollment in visit.participants.all():
            visits_of.setdefault(enrollment.pk, []).append(visit)
    units: dict[str, UnitRow] = {}
    for enrollment in enrollments:
        row = units.setdefault(enrollment.participant.unit_name, UnitRow(enrollment.participant.unit_name))
        enrollment.tally = Tally()
        for plan in enrollment.plan_list:
            enrollment.tally.add(plan)
            row.tally.add(plan)
        enrollment.visit_list = visits_of.get(enrollment.pk, [])
        row.participants.append(enrollment)
    for visit in visits:
        units.setdefault(visit.unit, UnitRow(visit.unit)).visits.append(visit)
    return {"units": sorted(units.values(), key=lambda row: row.unit.casefold()), "visits": visits}


def unit_enrollments(program, unit: str) -> list:
    """The participants of one unit, each with ``plan_list`` (all their plans), in two queries."""
    return list(
        enrollments_for_program(program)
        .filter(participant__unit_name=unit)
        .prefetch_related(
            Prefetch("action_plans", ActionPlan.objects.order_by("created_at", "pk"), to_attr="plan_list")
        )
    )


def visit_for_program(program, visit_pk) -> MonitoringVisit | None:
    """One visit of the program with its participants, findings (with their plans) and photos."""
    return (
        MonitoringVisit.objects.filter(program=program, pk=visit_pk)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("participants", enrollments_for_program(program)),
            Prefetch("findings", VisitFinding.objects.select_related("plan__enrollment__participant")),
            "photos",
        )
        .first()
    )
