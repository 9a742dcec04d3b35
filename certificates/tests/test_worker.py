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
