import json
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .documents import kept_kinds
from .enums import JobStatus
from .models import Cohort, DocumentJob, ExportRecord, Institution, Program
from .rules import MANAGER_ROLES, roles_by_institution


def programs_for_user(user) -> QuerySet[Program]:
    """Programs whose organizing or partner institution the user belongs to; all others are invisible."""
    institution_ids = list(roles_by_institution(user))
    return Program.objects.filter(Q(organizer_id__in=institution_ids) | Q(partner_id__in=institution_ids))


def program_list_for_user(user, *, figures=()) -> QuerySet[Program]:
    """The dashboard's programs, each annotated with the figures the apps register (``retreat/frame.py``)."""
    programs = programs_for_user(user).select_related("organizer", "partner").order_by("-start_date", "name")
    for figure in figures:
        programs = figure.annotate(programs)
    return programs


def institutions_managed_by(user) -> QuerySet[Institution]:
    managed = [pk for pk, role in roles_by_institution(user).items() if role in MANAGER_ROLES]
    return Institution.objects.filter(pk__in=managed)


def document_jobs_for_program(program, *, kinds=(), limit: int = 5) -> list[DocumentJob]:
    """The program's latest document jobs, of the given kinds (all kinds if none are given). Each job but the
    newest of its kind (and parameters: one session's attendance sheet is not another's) is marked ``older``,
    and the list shows it folded."""
    jobs = program.document_jobs.select_related("requested_by").order_by("-created_at")
    jobs = list((jobs.filter(kind__in=kinds) if kinds else jobs)[:limit])
    seen = set()
    for job in jobs:
        key = (job.kind, json.dumps(job.params, sort_keys=True))
        job.older = key in seen
        seen.add(key)
    return jobs


def document_job_for_user(user, job_id) -> DocumentJob | None:
    return (
        DocumentJob.objects.select_related("program", "program__organizer", "program__partner")
        .filter(program__in=programs_for_user(user), pk=job_id)
        .first()
    )


def stale_document_jobs(before) -> QuerySet[DocumentJob]:
    """Finished jobs made before ``before``, except the finished versions of the kinds that keep them all."""
    jobs = DocumentJob.objects.filter(created_at__lt=before, status__in=[JobStatus.DONE, JobStatus.FAILED])
    return jobs.exclude(kind__in=kept_kinds(), status=JobStatus.DONE)


def exports_for_program(program, *, limit: int = 20) -> list[ExportRecord]:
    return list(program.exports.select_related("user").order_by("-created_at")[:limit])


def cohorts_for_program(program) -> QuerySet[Cohort]:
    """The program's cohorts by name, each with how many participants (``enrollments``, any status) and
    sessions name it: what removing it would touch."""
    return (
        Cohort.objects.filter(program=program)
        .annotate(participant_count=Count("enrollments", distinct=True), session_count=Count("sessions", distinct=True))
        .order_by("name")
    )


# --- The organizer's setup checklist ---------------------------------------------------------------

# Enrollment statuses that count as the program's participants (``participants.enums.ACTIVE_STATUSES``, spelt
# out here: the core may not import the apps above it) and the document kind of the ID cards.
_ACTIVE = ("invited", "confirmed", "present")
_ID_CARDS = "id_cards"


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    label: str
    done: bool
    detail: str = ""
    url: str = ""


def _model(label: str):
    """A model of an app above the core, looked up at run time (None while that app lacks it)."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _count(model, **filters):
    """How many rows of ``model`` belong to the outer program, as a subquery (0 when the model is missing)."""
    if model is None:
        return Value(0, output_field=IntegerField())
    rows = model.objects.filter(program=OuterRef("pk"), **filters).order_by().values("program")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


def _url(name: str, program) -> str:
    try:
        return reverse(name, kwargs={"program_pk": program.pk})
    except NoReverseMatch:  # the page is not there (yet): the step shows without a link
        return ""


def program_checklist(program) -> list[ChecklistStep]:
    """What is ready before the retreat, in the order an organizer sets it up: participants, cohorts, groups,
    rooms, agenda, published, personal links, ID cards. One query, however large the program."""
    enrollment, room = _model("participants.Enrollment"), _model("participants.Room")
    session = _model("retreat_sessions.Session")
    active = {"status__in": _ACTIVE}
    facts = (
        Program.objects.filter(pk=program.pk)
        .annotate(
            n_active=_count(enrollment, **active),
            n_cohorts=_count(Cohort),
            n_without_group=_count(enrollment, group__isnull=True, **active),
            n_rooms=_count(room),
            n_without_room=_count(enrollment, room__isnull=True, **active),
            n_sessions=_count(session),
            n_without_link=_count(enrollment, access_token__isnull=True, **active),
            id_cards=Exists(DocumentJob.objects.filter(program=OuterRef("pk"), kind=_ID_CARDS, status=JobStatus.DONE)),
        )
        .values(
            "n_active",
            "n_cohorts",
            "n_without_group",
            "n_rooms",
            "n_without_room",
            "n_sessions",
            "n_without_link",
            "id_cards",
            "agenda_published_at",
        )  # fmt: skip
        .get()
    )
    people = facts["n_active"]

    def missing(message, count: int) -> str:
        return str(message) % {"count": count, "total": people} if count and people else ""

    participants_url = _url("participants:enrollment_list", program)
    agenda_url = _url("sessions:agenda", program)
    cohorts, sessions = facts["n_cohorts"], facts["n_sessions"]
    no_group, no_room, no_link = facts["n_without_group"], facts["n_without_room"], facts["n_without_link"]
    return [
        ChecklistStep("participants", _("Participants"), people > 0, str(people or ""), participants_url),
        ChecklistStep("cohorts", _("Cohorts"), cohorts > 0, str(cohorts or ""), _url("retreat:cohorts", program)),
        ChecklistStep(
            "groups",
            _("Discussion groups"),
            people > 0 and not no_group,
            missing(_("%(count)d of %(total)d without a group"), no_group),
            _url("participants:groups", program),
        ),
        ChecklistStep(
            "rooms",
            _("Rooms"),
            people > 0 and facts["n_rooms"] > 0 and not no_room,
            missing(_("%(count)d of %(total)d without a room"), no_room),
            _url("participants:rooms", program),
        ),
        ChecklistStep("agenda", _("Agenda"), sessions > 0, str(sessions or ""), agenda_url),
        ChecklistStep("published", _("Agenda published"), facts["agenda_published_at"] is not None, "", agenda_url),
        ChecklistStep(
            "links",
            _("Personal links made"),
            people > 0 and not no_link,
            missing(_("%(count)d of %(total)d without a link"), no_link),
            _url("participants:links", program) or participants_url,
        ),
        ChecklistStep("id_cards", _("ID cards printed"), facts["id_cards"], "", "#documents"),
    ]
