"""Certificates issued through the production stack: PostgreSQL, Redis and a real worker process."""

import io
import time
import zipfile

import pytest

from certificates.documents import CERTIFICATES
from certificates.models import Certificate
from evaluations.services.completion import completion_override_set
from participants.tests.factories import EnrollmentFactory
from retreat import services
from retreat.enums import JobStatus
from retreat.tests.pdf import pdf_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_real_worker_issues_the_certificates_once(celery_worker, program, organizer):
    people = EnrollmentFactory.create_batch(2, program=program)
    for enrollment in people:
        completion_override_set(enrollment=enrollment, complete=True, reason="Lulus (uji)", user=organizer)
    jobs = [services.document_job_request(program=program, kind=CERTIFICATES, user=organizer) for _ in range(2)]
    deadline = time.monotonic() + 120
    for job in jobs:
        while not job.is_finished and time.monotonic() < deadline:
            time.sleep(0.2)
            job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.error
    certificates = list(Certificate.objects.order_by("seq"))
    assert [c.seq for c in certificates] == [1, 2]  # two jobs, each certificate numbered and made once
    with zipfile.ZipFile(io.BytesIO(jobs[1].file.read())) as archive:
        texts = [pdf_text(archive.read(name)) for name in sorted(archive.namelist())]
    assert [any(c.number in text for text in texts) for c in certificates] == [True, True]


def test_a_worker_killed_in_the_middle_leaves_every_certificate_once_with_its_number(celery_worker, program,
                                                                                     organizer):  # fmt: skip
    """The pool process dies (SIGKILL) while it makes the certificates: the task is handed back, the worker's
    new pool process takes the job over and makes only what is missing; numbers do not move."""
    import os
    import signal
    import subprocess

    people = EnrollmentFactory.create_batch(16, program=program)
    for enrollment in people:
        completion_override_set(enrollment=enrollment, complete=True, reason="Lulus (uji)", user=organizer)
    job = services.document_job_request(program=program, kind=CERTIFICATES, user=organizer)
    deadline = time.monotonic() + 120
    while Certificate.objects.exclude(file="").count() < 3:
        assert time.monotonic() < deadline, "no certificate was made"
        time.sleep(0.05)
    numbers = dict(Certificate.objects.values_list("enrollment_id", "number"))
    children = subprocess.run(["pgrep", "-P", str(celery_worker.process.pid)], capture_output=True, text=True)
    for pid in children.stdout.split():
        os.kill(int(pid), signal.SIGKILL)  # the pool process making the certificates
    made_before = Certificate.objects.exclude(file="").count()
    assert made_before < 16, "the job ended before the kill: make it longer"
    while not job.is_finished:
        assert time.monotonic() < deadline, f"job still {job.status}"
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 2  # taken over once
    assert dict(Certificate.objects.values_list("enrollment_id", "number")) == numbers  # nothing renumbered
    assert sorted(Certificate.objects.values_list("seq", flat=True)) == list(range(1, 17))
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        names = archive.namelist()
    assert len(names) == len(set(names)) == 16
    files = [c.file.name for c in Certificate.objects.all()]
    assert len(set(files)) == 16
