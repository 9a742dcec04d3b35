import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.documents import PARTICIPANT_LIST
from retreat import services
from retreat.documents import DocumentError
from retreat.enums import JobStatus
from retreat.models import DocumentJob
from retreat.tests.pdf import pdf_text


def _request(program, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.document_job_request(program=program, kind=PARTICIPANT_LIST, user=user)
    job.refresh_from_db()
    return job


def test_participant_list_pdf_holds_names_and_grouped_nips(
    program, enrolled, organizer, django_capture_on_commit_callbacks
):
    job = _request(program, organizer, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    assert job.progress_done == job.progress_total == services.RENDER_STEPS
    text = pdf_text(job.file.read())
    assert "PEMERINTAH KOTA MALANG" in text
    assert "DAFTAR PESERTA" in text
    for enrollment in enrolled:
        participant = enrollment.participant
        assert participant.name in text
        nip = participant.nip
        assert f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" in text


def test_rerunning_a_done_job_keeps_one_file(program, enrolled, organizer, django_capture_on_commit_callbacks):
    job = _request(program, organizer, django_capture_on_commit_callbacks)
    first_name = job.file.name
    folder = job.file.storage.path(first_name).rsplit("/", 1)[0]
    services.document_job_run(job_id=job.pk)  # a duplicated delivery
    job.refresh_from_db()
    assert job.file.name == first_name
    assert job.attempts == 1
    assert os.listdir(folder) == [first_name.rsplit("/", 1)[1]]


def test_rerun_after_a_crash_replaces_the_partial_file(program, enrolled, organizer):
    """A worker died after storing the file but before marking the job done: the redelivery reuses the name."""
    job = DocumentJob.objects.create(program=program, kind=PARTICIPANT_LIST, requested_by=organizer)
    services.document_job_run(job_id=job.pk)
    job.refresh_from_db()
    name = job.file.name
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    services.document_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.file.name == name
    assert job.attempts == 2
    assert len(os.listdir(job.file.storage.path(name).rsplit("/", 1)[0])) == 1


def test_missing_logo_fails_with_a_reason_and_retry_succeeds(
    program, enrolled, organizer, django_capture_on_commit_callbacks
):
    program.organizer.logo.name = "institutions/hilang.png"
    program.organizer.save()
    job = _request(program, organizer, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert "institutions/hilang.png" in job.error
    assert "logo" in job.error.lower()
    assert not job.file

    program.organizer.logo = ""
    program.organizer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_job_retry(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.error == ""
    assert job.attempts == 2


def test_empty_program_fails_with_a_reason(program, organizer, django_capture_on_commit_callbacks):
    job = _request(program, organizer, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert "peserta" in job.error


def test_only_failed_jobs_can_be_retried(program, enrolled, organizer, django_capture_on_commit_callbacks):
    job = _request(program, organizer, django_capture_on_commit_callbacks)
    with pytest.raises(DocumentError):
        services.document_job_retry(job=job)


def test_request_view_then_poll_then_download(organizer_client, program, enrolled, django_capture_on_commit_callbacks):
    url = reverse("retreat:document_request", kwargs={"program_pk": program.pk, "kind": "participant_list"})
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(url, headers={"HX-Request": "true"})
    job = program.document_jobs.get()
    assert f'id="job-{job.pk}"' in response.content.decode()

    partial = organizer_client.get(
        reverse("retreat:document_job", kwargs={"job_pk": job.pk}), headers={"HX-Request": "true"}
    )
    assert reverse("retreat:document_download", kwargs={"job_pk": job.pk}) in partial.content.decode()
    assert "<html" not in partial.content.decode()

    download = organizer_client.get(reverse("retreat:document_download", kwargs={"job_pk": job.pk}))
    assert download["Content-Disposition"].startswith("attachment")
    assert enrolled[0].participant.name in pdf_text(b"".join(download.streaming_content))


def test_failed_job_page_offers_retry(organizer_client, program, organizer, django_capture_on_commit_callbacks):
    job = _request(program, organizer, django_capture_on_commit_callbacks)
    page = organizer_client.get(reverse("retreat:document_job", kwargs={"job_pk": job.pk})).content.decode()
    assert job.error in page.replace("&#x27;", "'")
    assert reverse("retreat:document_retry", kwargs={"job_pk": job.pk}) in page


def test_other_institution_cannot_see_a_job(client, program, enrolled, organizer, other_institution,
                                            django_capture_on_commit_callbacks):  # fmt: skip
    from retreat.tests.factories import MembershipFactory

    job = _request(program, organizer, django_capture_on_commit_callbacks)
    client.force_login(MembershipFactory(institution=other_institution).user)
    for name in ("retreat:document_job", "retreat:document_download", "retreat:document_retry"):
        method = client.post if name == "retreat:document_retry" else client.get
        assert method(reverse(name, kwargs={"job_pk": job.pk})).status_code == 404, name


def test_purge_removes_old_jobs_and_files(program, enrolled, organizer, django_capture_on_commit_callbacks):
    job = _request(program, organizer, django_capture_on_commit_callbacks)
    path = job.file.path
    assert services.document_jobs_purge(older_than_days=30) == 0
    DocumentJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    assert services.document_jobs_purge(older_than_days=30) == 1
    assert not DocumentJob.objects.filter(pk=job.pk).exists()
    assert not os.path.exists(path)


def test_a_job_whose_worker_keeps_dying_is_failed_not_retried_forever(program, enrolled, organizer):
    job = DocumentJob.objects.create(
        program=program, kind=PARTICIPANT_LIST, requested_by=organizer,
        status=JobStatus.RUNNING, attempts=services.MAX_ATTEMPTS,
    )  # fmt: skip
    services.document_job_run(job_id=job.pk)  # the redelivery after the last crash
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert str(services.MAX_ATTEMPTS) in job.error
    assert not job.file
