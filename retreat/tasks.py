from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    name="retreat.render_document",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
    soft_time_limit=240,
    time_limit=300,
)
def task_render_document(job_id: str) -> None:
    services.document_job_run(job_id=job_id)


@shared_task(name="retreat.purge_expired_documents", soft_time_limit=300, time_limit=360)
def task_purge_expired_documents() -> int:
    return services.document_jobs_purge(older_than_days=settings.DOCUMENT_RETENTION_DAYS)
