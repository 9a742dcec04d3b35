from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from . import services


@shared_task(
    bind=True,
    name="retreat.render_document",
    acks_late=True,
    max_retries=3,
    soft_time_limit=240,
    time_limit=300,
)
def task_render_document(self, job_id: str) -> None:
    try:
        services.document_job_run(job_id=job_id)
    except (OperationalError, InterfaceError) as exc:  # the database went away: transient
        if self.request.retries >= self.max_retries:
            services.document_job_fail(job_id=job_id, reason=_("The database could not be reached; try again."))
            return
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc


@shared_task(name="retreat.purge_expired_documents", soft_time_limit=300, time_limit=360)
def task_purge_expired_documents() -> int:
    return services.document_jobs_purge(older_than_days=settings.DOCUMENT_RETENTION_DAYS)
