from django.db.models import Count, Q, QuerySet

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
    """The program's latest document jobs, of the given kinds (all kinds if none are given)."""
    jobs = program.document_jobs.select_related("requested_by").order_by("-created_at")
    return list((jobs.filter(kind__in=kinds) if kinds else jobs)[:limit])


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
