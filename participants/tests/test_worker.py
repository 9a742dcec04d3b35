"""The document pipeline through the production stack: PostgreSQL, Redis and a real worker process."""

import time

import pytest

from participants.documents import PARTICIPANT_LIST
from retreat import services
from retreat.enums import JobStatus
from retreat.models import DocumentJob
from retreat.tests.pdf import pdf_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until_finished(job, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    pytest.fail(f"job {job.pk} still {job.status} after {timeout} s")


def test_real_worker_renders_the_participant_list(celery_worker, program, enrolled, organizer):
    job = services.document_job_request(program=program, kind=PARTICIPANT_LIST, user=organizer)
    job = wait_until_finished(job)
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 1
    text = pdf_text(job.file.read())
    for enrollment in enrolled:
        assert enrollment.participant.name in text
        assert enrollment.participant.nip_display in text
    assert "test-" in celery_worker.log.read_text()  # rendered by the worker process, not in-process


def test_real_worker_marks_a_failed_render_and_a_retry_succeeds(celery_worker, program, organizer):
    job = wait_until_finished(services.document_job_request(program=program, kind=PARTICIPANT_LIST, user=organizer))
    assert job.status == JobStatus.FAILED
    assert "peserta" in job.error

    from participants.tests.factories import EnrollmentFactory

    EnrollmentFactory(program=program)
    job = wait_until_finished(services.document_job_retry(job=job))
    assert job.status == JobStatus.DONE
    assert DocumentJob.objects.filter(program=program).count() == 1
