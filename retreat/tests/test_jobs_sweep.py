"""Document jobs that hang: a worker killed as a whole, a broker that is down. The sweep (beat, every minute)
sends again what was lost and fails with a reason what keeps dying; a request never waits on a dead broker."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from retreat import services
from retreat.celery import app
from retreat.enums import JobStatus
from retreat.models import DocumentJob
from retreat.tests.pdf import pdf_text

ROOT = Path(__file__).resolve().parents[2]
KIND = "participant_list"  # a document every program with participants can have


def make_job(program, user, *, status, ago: dt.timedelta, attempts=1, error=""):
    job = DocumentJob.objects.create(program=program, kind=KIND, requested_by=user, status=status,
                                     attempts=attempts, error=error, progress_total=services.RENDER_STEPS)  # fmt: skip
    moment = timezone.now() - ago
    started = moment if status == JobStatus.RUNNING else None
    DocumentJob.objects.filter(pk=job.pk).update(created_at=moment, started_at=started)
    job.refresh_from_db()
    return job


def not_sent() -> str:
    with translation.override("id"):
        return gettext("Queued; it starts when the worker service is back.")


# --- Settings -------------------------------------------------------------------------------------


def test_the_visibility_timeout_is_a_little_above_every_task_time_limit():
    """A message a killed worker took comes back once no task can still be running on it, not an hour later."""
    app.loader.import_default_modules()
    limits = {name: task.time_limit or app.conf.task_time_limit for name, task in app.tasks.items()
              if not name.startswith("celery.")}  # fmt: skip
    assert "retreat.render_document" in limits
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert all(limit < visibility for limit in limits.values()), limits
    assert visibility <= max(limits.values()) + 120


def test_beat_sweeps_every_minute_and_purges_import_previews():
    schedule = {entry["task"]: entry["schedule"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["retreat.sweep_document_jobs"] == 60
    assert schedule["participants.purge_import_previews"] == 3600
    assert "retreat.purge_expired_documents" in schedule
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "celery -A retreat beat" in compose


# --- The broker is down ---------------------------------------------------------------------------


@pytest.fixture
def broker_down():
    """Tasks go to a broker nobody listens on (a closed port): sending fails as when Redis is down."""
    previous = app.conf.broker_url, app.conf.task_always_eager

    def connect_to(url, eager):
        app.conf.broker_url, app.conf.task_always_eager = url, eager
        app._pool = None  # the connection pool and producers were made for the previous broker
        app.amqp._producer_pool = None

    connect_to("redis://127.0.0.1:1/0", False)
    yield lambda: connect_to(*previous)  # the broker is back (in-process here)
    connect_to(*previous)


@pytest.mark.django_db(transaction=True)
def test_a_request_answers_at_once_when_the_broker_is_down(organizer_client, program, enrolled, broker_down):
    """Committed as in production: the job is handed to the broker when the request's transaction commits."""
    url = reverse("retreat:document_request", kwargs={"program_pk": program.pk, "kind": KIND})
    started = time.monotonic()
    response = organizer_client.post(url, headers={"HX-Request": "true"})
    elapsed = time.monotonic() - started

    assert elapsed < 2, f"the request took {elapsed:.1f} s"
    job = program.document_jobs.get()
    assert (job.status, job.error) == (JobStatus.QUEUED, not_sent())
    assert not_sent() in response.content.decode()
    page = organizer_client.get(reverse("retreat:document_job", kwargs={"job_pk": job.pk})).content.decode()
    assert not_sent() in page
    assert reverse("retreat:document_retry", kwargs={"job_pk": job.pk}) in page  # send again by hand

    broker_down()  # the broker is back: the sweep sends the job
    counts = services.document_jobs_sweep(held=None, queue_empty=False)
    job.refresh_from_db()
    assert counts["resent"] == 1
    assert (job.status, job.error) == (JobStatus.DONE, "")
    assert enrolled[0].participant.name in pdf_text(job.file.read())


def test_send_again_by_hand_once_the_broker_is_back(organizer_client, program, enrolled, broker_down,
                                                    django_capture_on_commit_callbacks):  # fmt: skip
    url = reverse("retreat:document_request", kwargs={"program_pk": program.pk, "kind": KIND})
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url)
    job = program.document_jobs.get()
    with django_capture_on_commit_callbacks(execute=True):  # still down: still queued, with the note
        organizer_client.post(reverse("retreat:document_retry", kwargs={"job_pk": job.pk}))
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.QUEUED, not_sent())

    broker_down()
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(reverse("retreat:document_retry", kwargs={"job_pk": job.pk}))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


# --- The sweep ------------------------------------------------------------------------------------


def test_a_running_job_no_live_worker_holds_is_sent_again(program, enrolled, organizer,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    job = make_job(program, organizer, status=JobStatus.RUNNING, ago=dt.timedelta(seconds=30))
    held_elsewhere = make_job(program, organizer, status=JobStatus.RUNNING, ago=dt.timedelta(seconds=30))
    just_started = make_job(program, organizer, status=JobStatus.RUNNING, ago=dt.timedelta(seconds=2))

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.document_jobs_sweep(held={str(held_elsewhere.pk)}, queue_empty=True)

    assert counts == {"resent": 0, "requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    for untouched in (held_elsewhere, just_started):
        untouched.refresh_from_db()
        assert untouched.status == JobStatus.RUNNING


def test_without_word_from_the_workers_only_jobs_past_the_time_limit_are_taken_back(
    program, enrolled, organizer, django_capture_on_commit_callbacks
):
    recent = make_job(program, organizer, status=JobStatus.RUNNING, ago=dt.timedelta(minutes=2))
    stuck = make_job(program, organizer, status=JobStatus.RUNNING,
                     ago=dt.timedelta(seconds=services.RENDER_TIME_LIMIT + 61))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.document_jobs_sweep(held=None, queue_empty=False)
    recent.refresh_from_db()
    stuck.refresh_from_db()
    assert recent.status == JobStatus.RUNNING
    assert stuck.status == JobStatus.DONE


def test_a_job_that_keeps_dying_is_failed_with_a_reason_and_can_be_tried_again(
    organizer_client, program, enrolled, organizer, django_capture_on_commit_callbacks
):
    job = make_job(program, organizer, status=JobStatus.RUNNING, ago=dt.timedelta(minutes=1),
                   attempts=services.MAX_ATTEMPTS)  # fmt: skip
    counts = services.document_jobs_sweep(held=set(), queue_empty=True)
    job.refresh_from_db()
    assert counts["failed"] == 1
    assert job.status == JobStatus.FAILED
    assert str(services.MAX_ATTEMPTS) in job.error
    page = organizer_client.get(reverse("retreat:document_job", kwargs={"job_pk": job.pk})).content.decode()
    assert reverse("retreat:document_retry", kwargs={"job_pk": job.pk}) in page
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(reverse("retreat:document_retry", kwargs={"job_pk": job.pk}))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_a_queued_job_whose_message_is_nowhere_is_sent_again(program, enrolled, organizer,
                                                             django_capture_on_commit_callbacks):  # fmt: skip
    lost = make_job(program, organizer, status=JobStatus.QUEUED, ago=dt.timedelta(minutes=5), attempts=0)
    fresh = make_job(program, organizer, status=JobStatus.QUEUED, ago=dt.timedelta(seconds=10), attempts=0)
    services.document_jobs_sweep(held=set(), queue_empty=False)  # its message may wait in the queue
    lost.refresh_from_db()
    assert lost.status == JobStatus.QUEUED

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.document_jobs_sweep(held=set(), queue_empty=True)
    assert counts["resent"] == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.status, fresh.status) == (JobStatus.DONE, JobStatus.QUEUED)


def test_a_job_sent_again_never_takes_over_a_running_one(program, enrolled, organizer):
    """The message the sweep sends only starts a queued job: a lost message found later changes nothing."""
    job = make_job(program, organizer, status=JobStatus.RUNNING, ago=dt.timedelta(seconds=30))
    services.document_job_run(job_id=job.pk, take_over=False)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)


# --- A real worker killed as a whole --------------------------------------------------------------


def start_worker(env: dict, queue: str, name: str, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "retreat", "worker", "--pool=prefork", "--concurrency=1",
               "--loglevel=INFO", "--without-gossip", "--without-mingle", "-Q", queue, "-n", f"{name}@%h"]  # fmt: skip
    with log.open("ab") as out:
        # A session of its own: the worker, its pool process and their layout processes die together.
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[f"{name}@{os.uname().nodename}"], timeout=1):
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"The Celery worker did not start:\n{log.read_text()[-3000:]}", pytrace=False)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_as_a_whole_mid_job_leaves_a_job_that_finishes_after_a_new_worker_starts(
    celery_worker, program, enrolled, organizer, tmp_path
):
    """SIGKILL of the worker's main process with its pool (a container killed, the OOM killer): the message
    stays unacknowledged in Redis. A new worker starts; the sweep finds the running job held by no live worker
    and sends it again; it is done within a minute, rendered once more, one file."""
    from django.db import connection

    queue = f"retret-sweep-{os.getpid()}"  # the session's worker must not take this job
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    db = connection.settings_dict
    env = {**os.environ, "CELERY_QUEUE": queue, "MEDIA_ROOT": str(celery_worker.media_root), "CONN_MAX_AGE": "0",
           "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}"}  # fmt: skip
    log = tmp_path / "workers.log"
    workers = [start_worker(env, queue, f"sweep-a-{os.getpid()}", log)]
    try:
        job = services.document_job_request(program=program, kind=KIND, user=organizer)
        deadline = time.monotonic() + 60
        while job.status != JobStatus.RUNNING:
            assert time.monotonic() < deadline, f"the job never started:\n{log.read_text()[-3000:]}"
            time.sleep(0.02)
            job.refresh_from_db()
        # The job row locked: the worker can't store the document before it dies.
        from django.db import transaction

        with transaction.atomic():
            DocumentJob.objects.select_for_update().get(pk=job.pk)
            os.killpg(workers[0].pid, signal.SIGKILL)
            workers[0].wait(timeout=10)
        time.sleep(0.5)
        job.refresh_from_db()
        assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)
        killed_at = time.monotonic()

        workers.append(start_worker(env, queue, f"sweep-b-{os.getpid()}", log))
        from retreat.tasks import task_sweep_document_jobs

        while not job.is_finished:
            assert time.monotonic() - killed_at < 60, f"job still {job.status}:\n{log.read_text()[-3000:]}"
            if job.status == JobStatus.RUNNING:
                task_sweep_document_jobs()  # what beat runs every minute
            time.sleep(0.5)
            job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.error
        assert job.attempts == 2
        assert enrolled[0].participant.name in pdf_text(job.file.read())
    finally:
        for process in workers:
            stop(process)
        with app.connection_for_write() as broker:
            broker.default_channel.queue_purge(queue)
        app.conf.task_default_queue = previous_queue
