import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .documents import DocumentError, builder_for, is_registered, params_for
from .enums import JobStatus
from .models import DocumentJob, ExportRecord, Institution, Program, document_upload_to
from .pdf import render_pdf
from .selectors import stale_document_jobs

logger = logging.getLogger(__name__)

# Steps of a render: data gathered, layout done, PDF written; storing it completes the job.
RENDER_STEPS = 3
# A job whose worker died this many times (killed, out of memory) is failed instead of tried again.
MAX_ATTEMPTS = 3


def program_create(*, organizer: Institution, **fields) -> Program:
    with transaction.atomic():
        program = Program(organizer=organizer, **fields)
        program.full_clean()
        program.save()
        return program


# What an edit of a program may change. The organizing institution is not among them: it owns the program.
PROGRAM_UPDATE_FIELDS = (
    "partner", "name", "theme", "description", "venue_name", "venue_address", "start_date", "end_date",
    "timezone", "status", "min_attendance_pct",
)  # fmt: skip


def refuse_unknown_fields(model: type[Model], data: dict, fields: Sequence[str]) -> None:
    """A service writes only the fields it names; any other key is a programming error, not user input."""
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"{model.__name__}: {sorted(unknown)} can't be set here")


def model_update(*, instance: Model, fields: Sequence[str], data: dict) -> Model:
    """Set the named ``fields`` from ``data``, validate, and write only those columns (and ``auto_now``
    ones): a save never overwrites a column the caller did not mean to change. A key of ``data`` outside
    ``fields`` is a programming error, not user input: it raises ValueError."""
    refuse_unknown_fields(type(instance), data, fields)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    auto_now = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
    instance.save(update_fields=[*data, *auto_now])
    return instance


def program_update(*, program: Program, user, data: dict) -> Program:
    """Edit a program. Its organizing institution never changes; only the organizer's managers choose
    the partner institution (who else sees the organizer's participants is the organizer's decision)."""
    data = dict(data)
    organizer = data.pop("organizer", None)
    errors = {}
    if organizer is not None and organizer.pk != program.organizer_id:
        errors["organizer"] = _("The organizing institution of a program can't be changed.")
    if "partner" in data:
        partner = data["partner"]
        stored = Program.objects.filter(pk=program.pk).values_list("partner_id", flat=True).get()
        if (partner.pk if partner else None) != stored and not user.has_perm("retreat.change_program_partner", program):
            errors["partner"] = _("Only the organizing institution's managers choose the partner institution.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return model_update(instance=program, fields=PROGRAM_UPDATE_FIELDS, data=data)


def _enqueue(job: DocumentJob) -> None:
    from .tasks import task_render_document

    job_id = str(job.pk)
    transaction.on_commit(lambda: task_render_document.delay(job_id))


def document_job_request(*, program: Program, kind: str, user, params: dict | None = None) -> DocumentJob:
    """Queue a document of a registered kind (``retreat/documents.py``); an unknown kind is refused, and so
    are parameters its type does not declare."""
    if not is_registered(kind):
        raise DocumentError(_("There is no document of the kind “%(kind)s”.") % {"kind": kind})
    params = {key: value for key, value in (params or {}).items() if value not in (None, "")}
    unknown = set(params) - set(params_for(kind))
    if unknown:
        raise DocumentError(_("This document takes no “%(param)s”.") % {"param": sorted(unknown)[0]})
    with transaction.atomic():
        job = DocumentJob(program=program, kind=kind, requested_by=user, progress_total=RENDER_STEPS, params=params)
        job.full_clean(exclude=["file"])
        job.save()
        _enqueue(job)
        return job


def document_job_retry(*, job: DocumentJob) -> DocumentJob:
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.FAILED:
            raise DocumentError(_("Only a failed document can be tried again."))
        job.status = JobStatus.QUEUED
        job.error = ""
        job.progress_done = 0
        job.save(update_fields=["status", "error", "progress_done"])
        _enqueue(job)
        return job


def _claim(job_id) -> DocumentJob | None:
    """Mark a queued job running. A done or failed job is left alone (a duplicate delivery); a running
    one is taken over (a redelivery after its worker died)."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
            return None
        if job.status == JobStatus.RUNNING and job.attempts >= MAX_ATTEMPTS:
            document_job_fail(job_id=job.pk, reason=_("Rendering stopped %(count)d times; try again later or ask an "
                                                      "administrator.") % {"count": job.attempts})  # fmt: skip
            return None
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.progress_done = 0
        job.progress_total = RENDER_STEPS
        job.progress_items = False
        job.save(
            update_fields=["status", "attempts", "started_at", "progress_done", "progress_total", "progress_items"]
        )
        return job


def _set_progress(job: DocumentJob, done: int) -> None:
    DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(progress_done=done)


def document_job_fail(*, job_id, reason: str) -> None:
    """Mark a job failed with a reason the user reads; they can try it again."""
    DocumentJob.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).update(
        status=JobStatus.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def document_job_run(*, job_id) -> DocumentJob | None:
    """Render a job's document and store it. Safe to run twice: the second run finds the job done."""
    with translation.override(settings.LANGUAGE_CODE):
        return _run(job_id)


def _run(job_id) -> DocumentJob | None:
    job = _claim(job_id)
    if job is None:
        return DocumentJob.objects.filter(pk=job_id).first()
    try:
        document = builder_for(job.kind)(job)
        if document.items:
            DocumentJob.objects.filter(pk=job.pk).update(progress_total=document.items + 1, progress_items=True)
            job.progress_total = document.items + 1
        _set_progress(job, 1)

        def progress(step: int) -> None:
            _set_progress(job, 1 + step)

        if document.render:  # a file of its own making (a ZIP of PDFs, say)
            pdf = document.render(progress)
        else:
            pdf = render_pdf(document.template, document.context, progress=progress)
    except (OperationalError, InterfaceError):
        raise  # transient: the task retries and takes the running job over
    except DocumentError as exc:
        document_job_fail(job_id=job.pk, reason=str(exc))
        return DocumentJob.objects.get(pk=job.pk)
    except Exception as exc:
        logger.exception("Rendering document job %s failed", job.pk)
        reason = _("The document could not be rendered (%(error)s: %(detail)s).")
        document_job_fail(job_id=job.pk, reason=reason % {"error": type(exc).__name__, "detail": exc})
        return DocumentJob.objects.get(pk=job.pk)

    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.RUNNING:
            return job  # another delivery finished (or failed) it meanwhile
        # The name is fixed per job: an earlier attempt's file is replaced, never kept beside a second one.
        name = document_upload_to(job, document.filename)
        if default_storage.exists(name):
            default_storage.delete(name)
        job.file.save(document.filename, ContentFile(pdf), save=False)
        job.status = JobStatus.DONE
        job.progress_done = job.progress_total
        job.finished_at = timezone.now()
        job.rows = document.rows
        job.save(update_fields=["file", "status", "progress_done", "finished_at", "rows"])
        return job


def document_jobs_purge(*, older_than_days: int) -> int:
    """Delete finished jobs older than the retention period together with their files."""
    jobs = list(stale_document_jobs(timezone.now() - dt.timedelta(days=older_than_days)))
    for job in jobs:
        if job.file:
            job.file.delete(save=False)
    DocumentJob.objects.filter(pk__in=[job.pk for job in jobs]).delete()
    return len(jobs)


def export_record(*, program: Program, user, what: str, file_format: str, rows: int) -> ExportRecord:
    """Note an export of the program's data (a spreadsheet, a downloaded document): who, what, how many."""
    logger.info("export: user=%s program=%s what=%s format=%s rows=%s", user.pk, program.pk, what, file_format, rows)
    return ExportRecord.objects.create(program=program, user=user, what=str(what)[:200], file_format=file_format,
                                       rows=rows)  # fmt: skip


REASON_MIN = 5


def written_reason(reason: str) -> str:
    """The reason a decision needs (a completion override, a revocation), stripped; a ValidationError on
    ``reason`` when it is missing or too short to say anything."""
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": _("Write why (at least %(count)d characters).") % {"count": REASON_MIN}})
    return reason
