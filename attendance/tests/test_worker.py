"""The attendance set through the production stack: a real worker process lays the tables out on
PDF_PROCESSES processes of its own (2 here), as a prefork worker's task does."""

import pytest

from attendance import services
from attendance.enums import CheckinMethod
from participants.tests.factories import EnrollmentFactory
from participants.tests.test_worker import wait_until_finished
from retreat import services as retreat_services
from retreat.enums import JobStatus
from retreat.tests.pdf import pdf_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_real_worker_makes_the_filled_set_with_the_recap(celery_worker, program, organizer):
    from attendance.tests.test_documents import _two_days

    people = EnrollmentFactory.create_batch(12, program=program)
    sessions = _two_days(program)
    for session in sessions:
        services.checkin_apply(session=session, enrollment=people[0], occurred_at=session.starts_at,
                               method=CheckinMethod.ROLL_CALL, user=organizer, status="terlambat")  # fmt: skip
    job = retreat_services.document_job_request(program=program, kind="attendance_set", user=organizer,
                                                params={"filled": "1"})  # fmt: skip
    job = wait_until_finished(job)
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job.file.read())
    for session in sessions:
        assert session.title in text
    assert text.count("Terlambat") >= 3 + 3  # the first participant's status, and each sheet's count label
    assert "REKAP PRESENSI" in text
    assert "test-" in celery_worker.log.read_text()
