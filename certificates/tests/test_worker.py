"""Certificates issued through the production stack: PostgreSQL, Redis and a real worker process."""

import io
import posixpath
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from certificates.documents import CERTIFICATES
from certificates.models import Certificate
from evaluations.services.completion import completion_override_set
from participants.tests.factories import EnrollmentFactory
from retreat import services
from retreat.enums import JobStatus
from retreat.tests.pdf import pdf_text


def _running(pid: str) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


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
    """The pool process dies (SIGKILL) while it makes the certificates (its layout processes die with it):
    the task is handed back, the worker's new pool process takes the job over and makes only what is
    missing; numbers do not move, and each certificate has one file."""
    import os
    import signal
    import subprocess

    people = EnrollmentFactory.create_batch(60, program=program)
    for enrollment in people:
        completion_override_set(enrollment=enrollment, complete=True, reason="Lulus (uji)", user=organizer)
    job = services.document_job_request(program=program, kind=CERTIFICATES, user=organizer)
    deadline = time.monotonic() + 120
    while Certificate.objects.exclude(file="").count() < 1:
        assert time.monotonic() < deadline, "no certificate was made"
        time.sleep(0.05)
    numbers = dict(Certificate.objects.values_list("enrollment_id", "number"))
    children = subprocess.run(["pgrep", "-P", str(celery_worker.process.pid)], capture_output=True, text=True)
    layout = [subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
              for pid in children.stdout.split()]  # fmt: skip
    for pid in children.stdout.split():
        os.kill(int(pid), signal.SIGKILL)  # the pool process making the certificates
    made_before = Certificate.objects.exclude(file="").count()
    time.sleep(1)
    alive = [pid for pids in layout for pid in pids if _running(pid)]
    assert not alive, "layout processes outlived the killed pool process"
    assert made_before < 60, "the job ended before the kill: make it longer"
    while not job.is_finished:
        assert time.monotonic() < deadline, f"job still {job.status}"
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 2  # taken over once
    assert dict(Certificate.objects.values_list("enrollment_id", "number")) == numbers  # nothing renumbered
    assert sorted(Certificate.objects.values_list("seq", flat=True)) == list(range(1, 61))
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        names = archive.namelist()
    assert len(names) == len(set(names)) == 60
    files = [c.file.name for c in Certificate.objects.all()]
    assert len(set(files)) == 60
    folders = {posixpath.dirname(name) for name in files}  # nothing left behind by the killed process
    assert all(len(default_storage.listdir(folder)[1]) == 1 for folder in folders)
