"""Every write of action plans (rencana aksi): the participant writes plans and sends them for approval,
organizers, facilitators and leaders approve them or ask for a change, the participant reports progress on
approved plans at each follow-up (30, 60, 90 days after the retreat) with evidence, and leaders record
their monitoring visits to the units.

A refused file (see uploads.py) is refused before anything is written: no row, no file."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participants.models import Enrollment
from retreat.services import model_update
from retreat.versions import version_bump

from ..enums import OPEN, PlanStatus
from ..models import ActionPlan, MonitoringVisit, ProgressReport, VisitFinding, VisitPhoto
from ..selectors.completion import settings_for
from ..selectors.plans import EDITABLE, follow_ups, plans_version_key
from ..uploads import upload_prepare

PLAN_FIELDS = ("title", "indicator", "target_date", "involved")
TARGET_YEARS_AFTER_END = 2
RESENT_WITHIN = dt.timedelta(minutes=10)
MAX_PHOTOS = 10


def plans_changed(enrollment_id: int) -> None:
    """The participant's personal page shows their plans: a new version shows the change at once."""
    version_bump(plans_version_key(enrollment_id))


def _changed_on_commit(enrollment_id: int) -> None:
    transaction.on_commit(lambda: plans_changed(enrollment_id))


# --- Plans -------------------------------------------------------------------------------------------


def plan_create(*, enrollment, data: dict, submit: bool = False, now=None) -> ActionPlan:
    """A new plan of the participant, a draft (or sent for approval at once with ``submit``). The same plan
    sent again within 10 minutes (a form sent twice on a weak signal) is the plan already made."""
    now = now or timezone.now()
    target_date_check(program=enrollment.program, target_date=data.get("target_date"))
    with transaction.atomic():
        Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()  # one plan written at a time
        same = {name: data.get(name, "") for name in ("title", "indicator", "target_date")}
        existing = (
            ActionPlan.objects.filter(enrollment=enrollment, created_at__gte=now - RESENT_WITHIN, **same)
            .order_by("-created_at", "-pk")
            .first()
        )
        if existing is not None:
            return existing
        plan = ActionPlan(enrollment=enrollment, **{name: data.get(name, "") for name in PLAN_FIELDS})
        plan.status = PlanStatus.SUBMITTED if submit else PlanStatus.DRAFT
        plan.full_clean()
        plan.save()
        _changed_on_commit(enrollment.pk)
    return plan


def _locked(plan: ActionPlan) -> ActionPlan:
    """The plan's row, read again and locked until the end of the transaction: its status is checked there,
    never on the caller's copy (a leader's approval and the participant's change may cross)."""
    current = ActionPlan.objects.select_for_update().select_related("enrollment__program").filter(pk=plan.pk).first()
    if current is None:
        raise ValidationError(_("This plan no longer exists."), code="gone")
    return current


def _copy(source: ActionPlan, target: ActionPlan) -> ActionPlan:
    """The caller's object shows what was written."""
    for name in (*PLAN_FIELDS, "status", "review_note", "reviewed_by_id", "reviewed_at", "updated_at"):
        setattr(target, name, getattr(source, name))
    return target


def target_date_check(*, program, target_date) -> None:
    """A plan's target date: after the program's start, at most two years after its end."""
    if not isinstance(target_date, dt.date):
        return  # missing or malformed: the model's own check says so
    end = program.end_date
    try:
        latest = end.replace(year=end.year + TARGET_YEARS_AFTER_END)
    except ValueError:  # 29 February
        latest = end.replace(year=end.year + TARGET_YEARS_AFTER_END, day=28)
    if not program.start_date < target_date <= latest:
        raise ValidationError({"target_date": _(
            "The target date must be after the program's start (%(start)s) and at most two years after its end "
            "(%(latest)s)."
        ) % {"start": _date(program.start_date), "latest": _date(latest)}})  # fmt: skip


def _date(value: dt.date) -> str:
    return formats.date_format(value, "j F Y")


def plan_check_editable(*, plan: ActionPlan) -> None:
    """Refuse a change of a plan waiting for approval or approved (``plan_update`` checks the locked row)."""
    if plan.status not in EDITABLE:
        raise ValidationError(
            _("This plan is waiting for approval or approved: it can no longer be changed."), code="locked"
        )


def plan_update(*, plan: ActionPlan, data: dict, submit: bool = False) -> ActionPlan:
    """Change a plan while it is a draft or a change was asked; ``submit`` sends it for approval."""
    with transaction.atomic():
        current = _locked(plan)
        plan_check_editable(plan=current)
        fields = {name: data[name] for name in PLAN_FIELDS if name in data}
        if "target_date" in fields:
            target_date_check(program=current.enrollment.program, target_date=fields["target_date"])
        if submit:
            fields["status"] = PlanStatus.SUBMITTED
        model_update(instance=current, fields=[*PLAN_FIELDS, "status"], data=fields)
        _changed_on_commit(current.enrollment_id)
    return _copy(current, plan)


def plan_submit(*, plan: ActionPlan) -> ActionPlan:
    """Send a draft (or a changed plan) for approval."""
    return plan_update(plan=plan, data={}, submit=True)


def plan_review(*, plan: ActionPlan, user, approve: bool, note: str = "", now=None) -> ActionPlan:
    """Approve a plan waiting for approval, or send it back asking for a change (``note`` says which)."""
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError(_("Say what should change."), code="note_required")
    with transaction.atomic():
        current = _locked(plan)
        if current.status != PlanStatus.SUBMITTED:
            raise ValidationError(
                _("Only a plan waiting for approval can be approved or sent back."), code="not_submitted"
            )
        model_update(
            instance=current,
            fields=["status", "review_note", "reviewed_by", "reviewed_at"],
            data={
                "status": PlanStatus.APPROVED if approve else PlanStatus.CHANGES,
                "review_note": note,
                "reviewed_by": user,
                "reviewed_at": now or timezone.now(),
            },
        )
        _changed_on_commit(current.enrollment_id)
    return _copy(current, plan)


# --- Progress reports ----------------------------------------------------------------------------------


def report_follow_up(*, plan: ActionPlan, day: int, today: dt.date | None = None):
    """The follow-up ``day`` of the plan's program, or None when the program has no such follow-up."""
    program = plan.enrollment.program
    today = today or timezone.localdate(timezone=program.tzinfo)
    return next((f for f in follow_ups(program, settings_for(program).follow_up_days, today) if f.day == day), None)


def report_save(*, plan: ActionPlan, day: int, percent: int, text: str = "", evidence=None,
                remove_evidence: bool = False, today: dt.date | None = None) -> ProgressReport:  # fmt: skip
    """Write or change the plan's report for follow-up ``day``: only on an approved plan, only from the day
    the follow-up is due until the next one is. ``evidence`` is an uploaded file (checked and, if an image,
    shrunk; refused before anything is written); ``remove_evidence`` drops the one stored."""
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Progress is reported on approved plans only."), code="not_approved")
    follow_up = report_follow_up(plan=plan, day=day, today=today)
    if follow_up is None:
        raise ValidationError(_("The program has no such follow-up."), code="no_follow_up")
    if follow_up.state != OPEN:
        raise ValidationError(_("This follow-up report is not open now."), code="not_open")
    prepared = upload_prepare(evidence) if evidence else None  # refused here: nothing is written
    for attempt in range(2):  # two phones sending the first report at once: the second one changes it
        written = None
        try:
            with transaction.atomic():
                report = ProgressReport.objects.select_for_update().filter(plan=plan, day=day).first()
                report = report or ProgressReport(plan=plan, day=day)
                old_file = report.evidence.name if (prepared or remove_evidence) and report.evidence else None
                report.percent, report.text = percent, (text or "").strip()
                if remove_evidence and not prepared:
                    report.evidence, report.evidence_name = "", ""
                report.full_clean(exclude=["evidence"], validate_constraints=False)  # one per day: the database says
                if prepared:
                    report.evidence_name = _shown_name(evidence)
                    report.evidence.save(prepared.name, prepared, save=False)
                    written = report.evidence.name
                report.save()
                _changed_on_commit(plan.enrollment_id)
                if old_file:
                    transaction.on_commit(lambda old=old_file: _storage(ProgressReport, "evidence").delete(old))
            return report
        except IntegrityError:
            _forget(written)
            if attempt:
                raise ValidationError(_("The report could not be saved: send it again."), code="conflict") from None
        except Exception:
            _forget(written)  # the row was not kept: neither is its file
            raise


def _forget(name) -> None:
    if name:
        _storage(ProgressReport, "evidence").delete(name)


def _ids(values) -> list[int]:
    """The ids among ``values`` (as sent in a form); anything else is ignored."""
    return [int(value) for value in map(str, values) if value.isascii() and value.isdigit() and len(value) < 19]


def _storage(model, name):
    return model._meta.get_field(name).storage


def _shown_name(upload) -> str:
    return str(getattr(upload, "name", "")).replace("\\", "/").rsplit("/", 1)[-1][:255]


# --- Monitoring visits ---------------------------------------------------------------------------------


def visit_date_check(*, program, date, today: dt.date | None = None) -> None:
    """A visit is made from the program's first day until today (in the program's time zone)."""
    if not isinstance(date, dt.date):
        return  # missing or malformed: the model's own check says so
    today = today or timezone.localdate(timezone=program.tzinfo)
    if not program.start_date <= date <= today:
        raise ValidationError({"date": _(
            "The date of the visit must be between the program's start (%(start)s) and today (%(today)s)."
        ) % {"start": _date(program.start_date), "today": _date(today)}})  # fmt: skip


def visit_save(*, program, user, data: dict, findings: dict, photos=(), remove_photos=(),
               visit: MonitoringVisit | None = None, today: dt.date | None = None) -> MonitoringVisit:  # fmt: skip
    """Record (or change) a visit to a unit: ``data`` has date, unit, visitors, follow_up and participants
    (enrollments of that unit); ``findings`` maps a plan to its finding (empty text removes it), for plans of
    the chosen participants only; ``photos`` are uploaded images (refused before anything is written),
    ``remove_photos`` ids of stored photos to drop."""
    visit_date_check(program=program, date=data.get("date"), today=today)
    participants = list(data.get("participants", []))
    unit = data.get("unit", "")
    if any(e.program_id != program.pk or e.participant.unit_name != unit for e in participants):
        raise ValidationError({"participants": _("Choose participants of the unit visited.")})
    chosen = {e.pk for e in participants}
    for plan, text in findings.items():
        if text.strip() and plan.enrollment_id not in chosen:
            raise ValidationError(
                {"__all__": _("A finding on “%(plan)s” needs its participant chosen.") % {"plan": plan.title}}
            )
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(count)s photos at a time: send the others afterwards.") % {"count": MAX_PHOTOS}}
        )
    prepared = [upload_prepare(photo, images_only=True) for photo in photos]  # all checked before any write
    fields = {name: data.get(name, "") for name in ("date", "unit", "visitors", "follow_up")}
    written = []
    try:
        with transaction.atomic():
            if visit is None:
                visit = MonitoringVisit(program=program, created_by=user, **fields)
                visit.full_clean()
                visit.save()
            else:
                model_update(instance=visit, fields=list(fields), data=fields)
            visit.participants.set(participants)
            visit.findings.exclude(plan__enrollment_id__in=chosen).delete()
            for plan, text in findings.items():
                text = text.strip()
                if plan.enrollment_id not in chosen:
                    continue
                if text:
                    VisitFinding.objects.update_or_create(visit=visit, plan=plan, defaults={"text": text})
                else:
                    VisitFinding.objects.filter(visit=visit, plan=plan).delete()
            removed = list(visit.photos.filter(pk__in=_ids(remove_photos)))
            for photo in removed:
                name = photo.image.name
                photo.delete()
                transaction.on_commit(lambda name=name: _storage(VisitPhoto, "image").delete(name))
            for image in prepared:
                photo = VisitPhoto(visit=visit)
                photo.image.save(image.name, image, save=False)
                written.append(photo.image)
                photo.save()
    except Exception:
        for fieldfile in written:
            fieldfile.storage.delete(fieldfile.name)
        raise
    return visit
