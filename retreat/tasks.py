import logging

from celery import current_app, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from . import services

logger = logging.getLogger(__name__)

RENDER_TASK = "retreat.render_document"


@shared_task(
    bind=True,
    name=RENDER_TASK,
    acks_late=True,
    ignore_result=True,
    max_retries=3,
    soft_time_limit=services.RENDER_SOFT_TIME_LIMIT,
    time_limit=services.RENDER_TIME_LIMIT,
)
def task_render_document(self, job_id: str, take_over: bool = True) -> None:
    try:
        services.document_job_run(job_id=job_id, take_over=take_over)
    except (OperationalError, InterfaceError) as exc:  # the database went away: transient
        if self.request.retries >= self.max_retries:
            services.document_job_fail(job_id=job_id, reason=_("The database could not be reached; try again."))
            return
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc


@shared_task(name="retreat.purge_expired_documents", soft_time_limit=300, time_limit=360)
def task_purge_expired_documents() -> int:
    return services.document_jobs_purge(older_than_days=settings.DOCUMENT_RETENTION_DAYS)


@shared_task(name="retreat.sweep_document_jobs", ignore_result=True, soft_time_limit=50, time_limit=55)
def task_sweep_document_jobs() -> dict:
    """Every minute (beat): ask the broker and the live workers where the document jobs' messages are, then let
    the sweep take back the jobs that hang (``services.document_jobs_sweep``)."""
    app = current_app
    if app.conf.task_always_eager:
        return {}  # tasks run in the web process: there is no broker to lose a message in
    queue_empty = _queue_empty(app)
    return services.document_jobs_sweep(held=_held_jobs(app), queue_empty=queue_empty)


def _queue_empty(app) -> bool:
    """Whether no message waits in the queue (asked before the workers, so that a message taken meanwhile is
    found at its worker). False when the broker can't be asked: then nothing is taken for lost."""
    try:
        with app.connection_for_write() as connection:
            declared = connection.default_channel.queue_declare(queue=app.conf.task_default_queue, passive=False)
            return declared.message_count == 0
    except services.BROKER_ERRORS:
        logger.warning("The sweep could not ask the broker for the queue's length", exc_info=True)
        return False


def _held_jobs(app) -> set[str] | None:
    """The ids of the document jobs whose messages the live workers hold: running, reserved, or waiting for a
    retry. Empty when no worker answers (none is running); None when the broker can't be asked."""
    try:
        inspect = app.control.inspect(timeout=1.0)
        replies = [inspect.active() or {}, inspect.reserved() or {}, inspect.scheduled() or {}]
    except services.BROKER_ERRORS:
        logger.warning("The sweep could not ask the workers what they hold", exc_info=True)
        return None
    held = set()
    for reply in replies:
        for tasks in reply.values():
            for task in tasks:
                request = task.get("request", task)  # scheduled() wraps the request with its eta
                if request.get("name") == RENDER_TASK and request.get("args"):
                    held.add(str(request["args"][0]))
    return held
