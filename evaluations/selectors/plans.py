"""Reads of action plans, progress reports and monitoring visits, in a constant number of queries.

Where a plan stands after the retreat (on track, late, done) is decided by ``plan_progress`` alone."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from participants.models import Enrollment
from participants.selectors import enrollments_for_program

from ..enums import CLOSED, OPEN, UPCOMING, PlanProgress, PlanStatus
from ..models import ActionPlan, MonitoringVisit, ProgressReport, VisitFinding

# The statuses in which the participant may still change a plan: the one definition (the services enforce
# it; pages ask ``plan.editable`` whether to show the form).
EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.CHANGES})


def plan_editable(plan) -> bool:
    return plan.status in EDITABLE


def plans_version_key(enrollment_id: int) -> str:
    """The key of the version that changes whenever one of the participant's plans or reports changes
    (services.plans.plans_changed); part of the cache key of their personal page."""
    return f"plans-version:e{enrollment_id}"


# --- Follow-ups --------------------------------------------------------------------------------------


@dataclass
class FollowUp:
    """One follow-up of a plan: due from ``opens`` (the program's end date + ``day`` days), its report written
    or changed until the next follow-up opens (``closes``; the last one stays open). A report at a day the
    program no longer asks for (its follow-up days were changed) is still shown: ``configured`` False, closed,
    read-only."""

    day: int
    opens: dt.date
    closes: dt.date | None
    state: str  # upcoming, open or closed
    report: ProgressReport | None = None
    configured: bool = True


def follow_ups(program, days: list[int], today: dt.date) -> list[FollowUp]:
    """The program's follow-ups on ``today`` (``days``: EvaluationSettings.follow_up_days)."""
    days = sorted({int(day) for day in days if int(day) > 0})
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


def plan_follow_ups(plan, days: list[int], today: dt.date) -> list[FollowUp]:
    """The plan's follow-ups with its report at each (``plan.reports`` prefetched or read once), and, in day
    order among them, its reports at days the program no longer asks for (read-only)."""
    reports = {report.day: report for report in plan.reports.all()}
    program = plan.enrollment.program
    found = follow_ups(program, days, today)
    for follow_up in found:
        follow_up.report = reports.pop(follow_up.day, None)
    for day, report in reports.items():
        opens = program.end_date + dt.timedelta(days=day)
        found.append(FollowUp(day, opens, None, CLOSED, report=report, configured=False))
    return sorted(found, key=lambda follow_up: follow_up.day)


def plan_progress(plan, *, schedule: list[FollowUp], today: dt.date, tzinfo) -> str:
    """Where an approved plan stands, the one rule for it:

    - done: its latest report (the highest follow-up day reported) says 100 %;
    - late: not done, and its target date has passed (the target date itself is not late), or a follow-up
      report was missed: its window (from the program's end date + its days until the next follow-up opens)
      has closed without a report. A follow-up is not missed while its window is open, the last one (whose
      window stays open) never is, and neither is one whose window closed before the plan was approved
      (``plan.reviewed_at``, a date in the program's time zone ``tzinfo``);
    - on track: otherwise.

    ``plan.reports`` should be prefetched; ``schedule`` is the program's ``follow_ups`` on ``today``."""
    reports = sorted(plan.reports.all(), key=lambda report: report.day)
    if reports and reports[-1].percent >= 100:
        return PlanProgress.DONE
    if plan.target_date < today:
        return PlanProgress.LATE
    approved_on = timezone.localtime(plan.reviewed_at, tzinfo).date() if plan.reviewed_at else None
    reported = {report.day for report in reports}
    for follow_up in schedule:
        if follow_up.state != CLOSED or follow_up.day in reported:
            continue
        if approved_on is None or follow_up.closes > approved_on:
            return PlanProgress.LATE
    return PlanProgress.ON_TRACK


# --- The participant's own plans -----------------------------------------------------------------------


def plans_for_enrollment(enrollment) -> list[ActionPlan]:
    """The participant's plans with their reports, in two queries."""
    return plans_for_enrollments([enrollment])[enrollment.pk]


def plans_for_enrollments(enrollments) -> dict[int, list[ActionPlan]]:
    """``plans_for_enrollment`` of each of ``enrollments``, by enrollment pk, in two queries."""
    by_pk = {enrollment.pk: enrollment for enrollment in enrollments}
    found = {pk: [] for pk in by_pk}
    plans = ActionPlan.objects.filter(enrollment__in=list(by_pk)).prefetch_related(
        Prefetch("reports", ProgressReport.objects.order_by("day"))
    )
    for plan in plans:
        plan.enrollment = by_pk[plan.enrollment_id]  # the caller's, with its program: no query per plan
        plan.editable = plan_editable(plan)
        found[plan.enrollment_id].append(plan)
    return found


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
    return plans_cards([enrollment], days, today)[enrollment.pk]


def plans_cards(enrollments, days: list[int], today: dt.date) -> dict[int, PlansCard]:
    """``plans_card`` of each of ``enrollments``, by enrollment pk, in two queries."""
    return {pk: _plans_card(plans, days, today) for pk, plans in plans_for_enrollments(enrollments).items()}


def _plans_card(plans: list, days: list[int], today: dt.date) -> PlansCard:
    card = PlansCard(plans=plans)
    for plan in plans:
        card.counts[plan.status] = card.counts.get(plan.status, 0) + 1
        if plan.status == PlanStatus.APPROVED:
            card.reports_due += sum(
                1 for f in plan_follow_ups(plan, days, today) if f.state == OPEN and f.report is None
            )
    return card


# --- Staff: plans of a program -------------------------------------------------------------------------


def plans_by_participant(program, *, status: str = "", days: list[int], today: dt.date) -> list:
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
    schedule = follow_ups(program, days, today)
    for enrollment in enrollments:
        for plan in enrollment.plan_list:
            _annotate(plan, schedule=schedule, today=today, tzinfo=program.tzinfo)
    if status:
        enrollments = [e for e in enrollments if e.plan_list]
    return enrollments


def _annotate(plan, *, schedule, today, tzinfo):
    reports = list(plan.reports.all())
    plan.latest = reports[-1] if reports else None
    approved = plan.status == PlanStatus.APPROVED
    plan.progress = plan_progress(plan, schedule=schedule, today=today, tzinfo=tzinfo) if approved else None


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


def monitoring_overview(program, *, days: list[int], today: dt.date) -> dict:
    """Per unit (the participants' work unit) and per participant: their plans on track, late, done (and not
    approved yet), and the visits made. Five queries whatever the size."""
    enrollments = plans_by_participant(program, days=days, today=today)
    visits = list(
        MonitoringVisit.objects.filter(program=program).prefetch_related("participants").order_by("-date", "pk")
    )
    visits_of = {}
    for visit in visits:
        for enrollment in visit.participants.all():
            visits_of.setdefault(enrollment.pk, []).append(visit)
    units: dict[str, UnitRow] = {}
    total = Tally()
    for enrollment in enrollments:
        row = units.setdefault(enrollment.participant.unit_name, UnitRow(enrollment.participant.unit_name))
        enrollment.tally = Tally()
        for plan in enrollment.plan_list:
            enrollment.tally.add(plan)
            row.tally.add(plan)
            total.add(plan)
        enrollment.visit_list = visits_of.get(enrollment.pk, [])
        row.participants.append(enrollment)
    for visit in visits:
        units.setdefault(visit.unit, UnitRow(visit.unit)).visits.append(visit)
    ordered = sorted(units.values(), key=lambda row: row.unit.casefold())
    return {"units": ordered, "visits": visits, "total": total}


def visit_units(program) -> list[str]:
    """The units a visit may be recorded for: those of the program's active participants (the same ones
    ``unit_enrollments`` lists), in one query."""
    return [
        unit
        for unit in enrollments_for_program(program)
        .order_by("participant__unit_name")
        .values_list("participant__unit_name", flat=True)
        .distinct()
        if unit
    ]


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
    """One visit of the program with its participants (also those who withdrew since: the visit met them),
    findings (with their plans) and photos."""
    met = (
        Enrollment.objects.filter(program=program).select_related("participant").order_by("order", "participant__name")
    )
    return (
        MonitoringVisit.objects.filter(program=program, pk=visit_pk)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("participants", met),
            Prefetch("findings", VisitFinding.objects.select_related("plan__enrollment__participant")),
            "photos",
        )
        .first()
    )
