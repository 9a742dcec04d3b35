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
from django.utils.translation import ngettext
from kombu.exceptions import OperationalError as KombuOperationalError

from .documents import DocumentError, builder_for, is_registered, params_for
from .enums import JobStatus
from .models import Cohort, DocumentJob, ExportRecord, Institution, Program, document_upload_to
from .pdf import render_pdf
from .selectors import stale_document_jobs

logger = logging.getLogger(__name__)

# Steps of a render: data gathered, layout done, PDF written; storing it completes the job.
RENDER_STEPS = 3
# A job whose worker died this many times (killed, out of memory) is failed instead of tried again.
MAX_ATTEMPTS = 3
# How long a render may take: past the soft limit the job fails with a message; at the hard limit its process
# is killed. No render runs longer, so a job still "running" after the hard limit has no worker left.
RENDER_SOFT_TIME_LIMIT = 240
RENDER_TIME_LIMIT = 300
# The sweep (a beat task, every minute) sends again a job that waited this long with no message for it in the
# queue or at any worker: it was lost (the broker was down, or the worker that had taken it was killed).
QUEUED_RESEND_AFTER = dt.timedelta(minutes=1)
# A running job that no live worker holds is taken back after this long (its worker was killed as a whole).
ORPHANED_AFTER = dt.timedelta(seconds=15)
# What can go wrong handing a job to the broker: it does not answer (kombu wraps the client's errors).
BROKER_ERRORS = (KombuOperationalError, OSError)


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


def _cohort_name(*, program: Program, name: str, cohort: Cohort | None = None) -> str:
    """The name tidied (spaces collapsed), refused when empty or when the program has a cohort of that name
    already, in any case: the import matches cohorts by name without case, so two would be one there."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the cohort a name.")})
    # A program has a handful of cohorts: compared here with casefold(), as the import does (SQLite's
    # iexact folds ASCII letters only).
    others = Cohort.objects.filter(program=program).exclude(pk=getattr(cohort, "pk", None))
    same = [other for other in others.values_list("name", flat=True) if other.casefold() == name.casefold()]
    if same:
        raise ValidationError({"name": _("This program already has a cohort named “%(name)s”.") % {"name": same[0]}})
    return name


def cohort_create(*, program: Program, name: str) -> Cohort:
    """Add a cohort (angkatan) to a program."""
    with transaction.atomic():
        cohort = Cohort(program=program, name=_cohort_name(program=program, name=name))
        cohort.full_clean()
        cohort.save()
        return cohort


def cohort_rename(*, cohort: Cohort, name: str) -> Cohort:
    """Rename a cohort; its participants and sessions keep it."""
    with transaction.atomic():
        name = _cohort_name(program=cohort.program, name=name, cohort=cohort)
        return model_update(instance=cohort, fields=("name",), data={"name": name})


def cohort_delete(*, cohort: Cohort) -> None:
    """Remove a cohort no one uses. One that participants (of any status) or sessions still name is refused,
    saying how many: removing it would silently take them out of their cohort."""
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        participants = cohort.enrollments.count()
        sessions = cohort.sessions.count()
        if participants or sessions:
            uses = []
            if participants:
                uses.append(ngettext("%(count)d participant", "%(count)d participants", participants)
                            % {"count": participants})  # fmt: skip
            if sessions:
                uses.append(ngettext("%(count)d session", "%(count)d sessions", sessions) % {"count": sessions})
            raise ValidationError(
                _("Cohort “%(name)s” is still in use (%(uses)s): move them to another cohort first.")
                % {"name": cohort.name, "uses": ", ".join(uses)}
            )
        cohort.delete()


def _not_sent() -> str:
    return _("Queued; it starts when the worker service is back.")


def _send(job_id: str, *, take_over: bool = True) -> bool:
    """Hand a job to the broker, without retrying: a request answers at once even when the broker is down.
    The job then stays queued with a note saying so, and the sweep sends it when the broker is back.
    ``take_over=False`` (a job sent again by the sweep) only starts a queued job, never one already running."""
    from .tasks import task_render_document

    try:
        task_render_document.apply_async((job_id,), None if take_over else {"take_over": False}, retry=False)
    except BROKER_ERRORS:
        logger.warning("Document job %s stays queued: the broker can't be reached", job_id, exc_info=True)
        DocumentJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(error=_not_sent())
        return False
    return True


def _enqueue(job: DocumentJob) -> None:
    job_id = str(job.pk)
    transaction.on_commit(lambda: _send(job_id))


def _after_send(job: DocumentJob) -> DocumentJob:
    """The job as the send left it (a note when the broker was down), once the transaction has committed."""
    if not transaction.get_connection().in_atomic_block:
        job.refresh_from_db(fields=["status", "error", "progress_done", "progress_total", "progress_items", "file"])
    return job


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
    return _after_send(job)


def document_job_retry(*, job: DocumentJob) -> DocumentJob:
    """Try a failed job again, or send again a queued one the broker did not take (it was down)."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if not (job.status == JobStatus.FAILED or (job.status == JobStatus.QUEUED and job.error)):
            raise DocumentError(_("Only a failed document can be tried again."))
        job.status = JobStatus.QUEUED
        job.error = ""
        job.progress_done = 0
        job.save(update_fields=["status", "error", "progress_done"])
        _enqueue(job)
    return _after_send(job)


def _stopped(count: int) -> str:
    return _("Rendering stopped %(count)d times; try again later or ask an administrator.") % {"count": count}


def _claim(job_id, *, take_over: bool = True) -> DocumentJob | None:
    """Mark a queued job running. A done or failed job is left alone (a duplicate delivery); a running
    one is taken over (a redelivery after its worker died), unless ``take_over`` is off (sent by the sweep)."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
            return None
        if job.status == JobStatus.RUNNING and not take_over:
            return None
        if job.status == JobStatus.RUNNING and job.attempts >= MAX_ATTEMPTS:
            document_job_fail(job_id=job.pk, reason=_stopped(job.attempts))
            return None
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.error = ""
        job.progress_done = 0
        job.progress_total = RENDER_STEPS
        job.progress_items = False
        job.save(
            update_fields=[
                "status", "attempts", "started_at", "error", "progress_done", "progress_total", "progress_items"
            ]
        )  # fmt: skip
        return job


def _set_progress(job: DocumentJob, done: int) -> None:
    DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(progress_done=done)


def document_job_fail(*, job_id, reason: str) -> None:
    """Mark a job failed with a reason the user reads; they can try it again."""
    DocumentJob.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).update(
        status=JobStatus.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def document_job_run(*, job_id, take_over: bool = True) -> DocumentJob | None:
    """Render a job's document and store it. Safe to run twice: the second run finds the job done."""
    with translation.override(settings.LANGUAGE_CODE):
        return _run(job_id, take_over=take_over)


def _run(job_id, *, take_over: bool = True) -> DocumentJob | None:
    job = _claim(job_id, take_over=take_over)
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


def document_jobs_sweep(*, held: set[str] | None, queue_empty: bool, now: dt.datetime | None = None) -> dict:
    """Take back the jobs that hang (run every minute by beat). ``held``: the ids of the jobs whose messages
    the live workers hold (running, reserved or waiting for a retry), None when the workers could not be
    asked; ``queue_empty``: no message waits in the queue, so a job held by no worker has none anywhere.

    - A running job no live worker holds (its worker was killed as a whole), or still running after the
      render's hard time limit, is queued and sent again; after MAX_ATTEMPTS starts it fails with a reason,
      and its page offers to try again.
    - A queued job that waited QUEUED_RESEND_AFTER with no message anywhere is sent again.

    A job sent again only starts if it is still queued: a lost message found later changes nothing."""
    now = now or timezone.now()
    counts = {"resent": 0, "requeued": 0, "failed": 0}
    known = held is not None and queue_empty

    def is_held(job) -> bool:
        return held is None or str(job.pk) in held

    running = DocumentJob.objects.filter(status=JobStatus.RUNNING, started_at__lt=now - ORPHANED_AFTER)
    for job in running.only("pk", "started_at"):
        past_limit = job.started_at < now - dt.timedelta(seconds=RENDER_TIME_LIMIT + 60)
        if (past_limit or (known and not is_held(job))) and (outcome := _take_back(job.pk)):
            counts[outcome] += 1
    queued = DocumentJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - QUEUED_RESEND_AFTER)
    lost = [job.pk for job in queued.only("pk") if known and not is_held(job)]
    lost += list(DocumentJob.objects.filter(status=JobStatus.QUEUED).exclude(error="").exclude(pk__in=lost)
                 .values_list("pk", flat=True))  # fmt: skip
    for job_id in lost:
        if _send(str(job_id), take_over=False):
            DocumentJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(error="")
            counts["resent"] += 1
    return counts


def _take_back(job_id) -> str | None:
    """A running job whose worker is gone: queued again and sent (or failed after MAX_ATTEMPTS starts)."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id, status=JobStatus.RUNNING).first()
        if job is None:
            return None  # finished meanwhile
        if job.attempts >= MAX_ATTEMPTS:
            document_job_fail(job_id=job.pk, reason=_stopped(job.attempts))
            return "failed"
        job.status = JobStatus.QUEUED
        job.progress_done = 0
        job.save(update_fields=["status", "progress_done"])
        transaction.on_commit(lambda: _send(str(job_id), take_over=False))
        return "requeued"


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


# --- Institution administration -------------------------------------------------------------------
# An institution's admin creates its users (with a temporary password shown once), sets their role, deactivates
# and reactivates them and gives them a new temporary password; the superuser creates institutions and their
# first admin. An institution always keeps one active admin: the last one is never demoted or deactivated.

# Temporary passwords: no look-alike characters (0/O, 1/l/I), in groups of four, read out or written down.
TEMPORARY_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
# The logo is printed about 2–4 cm wide on letterheads and certificates: 400 px is plenty, and small to embed.
LOGO_LONGEST_SIDE = 400


def temporary_password() -> str:
    """Sixteen random characters (about 80 bits) in four groups: ``k7mq-x2fd-9hpa-tc4w``."""
    import secrets

    chars = "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def _set_temporary_password(user) -> str:
    from axes.utils import reset as axes_reset

    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True  # retreat.access sends them to choose their own first
    user.save(update_fields=["password", "must_change_password"])
    axes_reset(username=user.username)  # a lockout earned with the old password ends with it
    return password


def _active_admins(institution: Institution):
    from .enums import Role
    from .models import Membership

    return Membership.objects.filter(institution=institution, role=Role.ADMIN, user__is_active=True)


def _user_create(*, username: str, full_name: str, email: str = ""):
    from .models import User

    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(username=username, full_name=full_name.strip(), email=email.strip())
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def institution_user_create(*, institution: Institution, username: str, full_name: str, email: str = "",
                            role: str):  # fmt: skip
    """A new user of ``institution`` with ``role``, and the temporary password to hand over (not kept)."""
    from .models import Membership

    with transaction.atomic():
        user = _user_create(username=username, full_name=full_name, email=email)
        Membership.objects.create(user=user, institution=institution, role=role)
        password = _set_temporary_password(user)
    return user, password


def password_chosen(*, user) -> None:
    """The user chose their own password (changed it, or set it from a reset link): a temporary one no longer
    holds them back."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])


def institution_role_set(*, membership, role: str, by) -> None:
    """Give ``membership``'s user another role. Refused for one's own role and for the last active admin."""
    from .enums import Role

    if membership.user_id == by.pk:
        raise ValidationError(_("You cannot change your own role."))
    with transaction.atomic():
        admins = list(_active_admins(membership.institution).select_for_update().values_list("pk", flat=True))
        if role != Role.ADMIN and admins == [membership.pk]:
            raise ValidationError(_("The institution needs at least one active admin."))
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])


def institution_user_set_active(*, membership, active: bool, by) -> None:
    """Deactivate (no login any more, nothing removed) or reactivate ``membership``'s user. Refused for
    oneself, for the last active admin, and for a user who also belongs to another institution (the account
    is theirs too)."""
    user = membership.user
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.memberships.exclude(pk=membership.pk).exists():
        raise ValidationError(_("This user also belongs to another institution; ask the site administrator."))
    with transaction.atomic():
        admins = list(_active_admins(membership.institution).select_for_update().values_list("pk", flat=True))
        if not active and admins == [membership.pk]:
            raise ValidationError(_("The institution needs at least one active admin."))
        user.is_active = active
        user.save(update_fields=["is_active"])


def institution_password_reset(*, membership) -> str:
    """A new temporary password for ``membership``'s user (the old one stops working); shown once, not kept."""
    with transaction.atomic():
        return _set_temporary_password(membership.user)


def institution_update(*, institution: Institution, data: dict, logo=None, remove_logo: bool = False) -> Institution:
    """Save the profile fields in ``data``; a new ``logo`` (an upload) is checked and shrunk for print first."""
    from .images import image_prepare

    fields = ["name", "short_name", "kind", "address", "phone", "email", "website", "letterhead_lines", "timezone"]
    prepared = image_prepare(logo, longest=LOGO_LONGEST_SIDE, keep_alpha=True) if logo else None
    with transaction.atomic():
        model_update(instance=institution, fields=[f for f in fields if f in data], data=data)
        if prepared is not None or remove_logo:
            old = institution.logo.name
            if prepared is not None:
                institution.logo.save(prepared.name, prepared, save=False)
            else:
                institution.logo = ""
            institution.save(update_fields=["logo"])
            if old and old != institution.logo.name:
                transaction.on_commit(lambda: default_storage.delete(old))
    return institution


def institution_create(*, data: dict, admin_username: str, admin_full_name: str, admin_email: str = ""):
    """A new institution and its first admin: (institution, admin, temporary password)."""
    from .enums import Role

    with transaction.atomic():
        institution = Institution(**data)
        institution.full_clean()
        institution.save()
        admin, password = institution_user_create(
            institution=institution, username=admin_username, full_name=admin_full_name, email=admin_email,
            role=Role.ADMIN,
        )  # fmt: skip
    return institution, admin, password
