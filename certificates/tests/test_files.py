"""Certificate files: what they say, their QR code read back as a phone would, made once, issued through
the document pipeline as a ZIP and as one PDF for printing, and downloaded by the participant."""

import io
import subprocess
import zipfile

import pytest
from django.urls import reverse

from certificates import services
from certificates.documents import CERTIFICATES, CERTIFICATES_PRINT, certificates_make
from certificates.models import Certificate
from evaluations.services.completion import completion_override_set
from participants.tests.factories import EnrollmentFactory
from retreat import services as document_services
from retreat.enums import JobStatus
from retreat.identity import format_nip
from retreat.links import verify_url
from retreat.tests.pdf import pdf_text


@pytest.fixture
def complete(program, organizer):
    people = [EnrollmentFactory(program=program, participant__nip=f"19750515200003100{n}") for n in (2, 3, 4)]
    for enrollment in people:
        completion_override_set(enrollment=enrollment, complete=True, reason="Lulus (uji)", user=organizer)
    return people


def qr_texts(pdf: bytes) -> list[str]:
    """The QR codes on the first page, as a phone camera would read them (rendered at 150 dpi)."""
    import zxingcpp
    from PIL import Image

    png = subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-"], input=pdf,
                         capture_output=True, check=True).stdout  # fmt: skip
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_a_certificate_says_who_what_and_its_qr_opens_its_verification_page(program, organizer, complete):
    certificates = certificates_make(program, user=organizer)
    assert len(certificates) == 3
    first = certificates[0]
    pdf = first.file.read()
    text = pdf_text(pdf)
    for expected in ("SERTIFIKAT", first.number, first.holder_name, format_nip(first.nip), program.name,
                     program.organizer.name):  # fmt: skip
        assert " ".join(expected.split()) in " ".join(text.split())
    assert qr_texts(pdf) == [verify_url(first.code)]


def test_making_again_makes_nothing_twice_and_a_reissue_remakes_one(program, organizer, complete):
    first_run = {c.pk: c.file.name for c in certificates_make(program, user=organizer)}
    second_run = {c.pk: c.file.name for c in certificates_make(program, user=organizer)}
    assert second_run == first_run
    assert Certificate.objects.count() == 3
    certificate = Certificate.objects.order_by("seq").first()
    services.certificate_reissue(certificate=certificate, reason="Gelar dibetulkan", user=organizer)
    third_run = {c.pk: (c.file.name, c.file_revision) for c in certificates_make(program, user=organizer)}
    assert third_run[certificate.pk][1] == 1
    assert {pk: name for pk, (name, _revision) in third_run.items() if pk != certificate.pk} == {
        pk: name for pk, name in first_run.items() if pk != certificate.pk}  # fmt: skip
    certificate.refresh_from_db()
    assert f"{certificate.number} (Rev. 1)" in " ".join(pdf_text(certificate.file.read()).split())


def test_issuing_through_the_pipeline_gives_a_zip_and_one_pdf_for_printing(
    program, organizer, complete, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = document_services.document_job_request(program=program, kind=CERTIFICATES, user=organizer)
        printing = document_services.document_job_request(program=program, kind=CERTIFICATES_PRINT, user=organizer)
    job.refresh_from_db()
    printing.refresh_from_db()
    assert (job.status, printing.status) == (JobStatus.DONE, JobStatus.DONE), (job.error, printing.error)
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        names = archive.namelist()
    assert len(names) == 3
    assert all(name.startswith("sertifikat-") and name.endswith(".pdf") for name in names)
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(printing.file.read())).pages
    per_person = len(PdfReader(io.BytesIO(Certificate.objects.first().file.read())).pages)
    assert len(pages) == 3 * per_person
    assert Certificate.objects.count() == 3  # the second job numbered nobody again


def test_only_complete_participants_get_a_certificate(program, organizer, complete):
    refused = EnrollmentFactory(program=program)
    completion_override_set(enrollment=refused, complete=False, reason="Tidak hadir", user=organizer)
    certificates_make(program, user=organizer)
    assert set(Certificate.objects.values_list("enrollment_id", flat=True)) == {e.pk for e in complete}


def test_the_participant_downloads_their_own_certificate(client, program, organizer, complete):
    from participants import services as participant_services

    certificates_make(program, user=organizer)
    mine = participant_services.access_link_issue(enrollment=complete[0])
    page = client.get(reverse("portal:personal_page", args=[mine.access_token])).content.decode()
    assert reverse("portal:certificate", args=[mine.access_token]) in page
    response = client.get(reverse("portal:certificate", args=[mine.access_token]))
    pdf = b"".join(response.streaming_content)
    assert Certificate.objects.get(enrollment=mine).number in " ".join(pdf_text(pdf).split())
    services.certificate_revoke(certificate=mine.certificate, reason="Data keliru", user=organizer)
    assert client.get(reverse("portal:certificate", args=[mine.access_token])).status_code == 404


def test_preview_with_a_real_participant_numbers_nothing(organizer_client, program, complete):
    response = organizer_client.get(reverse("certificates:preview", args=[program.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert any(" ".join(e.participant.display_name.split()) in text for e in complete)
    assert "PRATINJAU" in text
    assert not Certificate.objects.exists()


def test_the_issue_job_counts_certificates(program, organizer, complete, django_capture_on_commit_callbacks):

    with django_capture_on_commit_callbacks(execute=True):
        job = document_services.document_job_request(program=program, kind=CERTIFICATES, user=organizer)
    job.refresh_from_db()
    assert (job.progress_items, job.progress_total) == (True, 4)  # three certificates, after the build step
    assert job.status == JobStatus.DONE


def test_a_running_issue_job_shows_how_many_of_how_many(organizer_client, program):
    from retreat.models import DocumentJob

    job = DocumentJob.objects.create(program=program, kind=CERTIFICATES, status=JobStatus.RUNNING,
                                     progress_items=True, progress_done=124, progress_total=501)  # fmt: skip
    page = organizer_client.get(reverse("retreat:document_job", args=[job.pk])).content.decode()
    assert "123 dari 500" in page


def test_after_a_reissue_or_a_lost_file_the_participant_gets_no_stale_or_broken_file(client, program, organizer,
                                                                                     complete):  # fmt: skip
    from participants import services as participant_services

    certificates_make(program, user=organizer)
    mine = participant_services.access_link_issue(enrollment=complete[0])
    url = reverse("portal:certificate", args=[mine.access_token])
    assert client.get(url).status_code == 200
    services.certificate_reissue(certificate=mine.certificate, reason="Nama dibetulkan", user=organizer)
    assert client.get(url).status_code == 404  # the old revision's file is not handed out
    certificates_make(program, user=organizer)
    mine.certificate.refresh_from_db()
    assert mine.certificate.file_revision == 1
    assert client.get(url).status_code == 200
    mine.certificate.file.storage.delete(mine.certificate.file.name)
    assert client.get(url).status_code == 404  # missing from storage: not a server error
    certificates_make(program, user=organizer)  # and it is made again
    assert client.get(url).status_code == 200


def test_a_finished_issue_job_offers_its_zip(organizer_client, program, organizer, complete,
                                            django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = document_services.document_job_request(program=program, kind=CERTIFICATES, user=organizer)
    page = organizer_client.get(reverse("retreat:document_job", args=[job.pk])).content.decode()
    assert "Unduh ZIP" in page


def test_a_certificate_of_someone_who_withdrew_stays_listed_to_revoke(organizer_client, program, organizer, complete):
    from participants.enums import EnrollmentStatus

    certificates_make(program, user=organizer)
    gone = complete[0]
    gone.status = EnrollmentStatus.WITHDRAWN
    gone.save(update_fields=["status"])
    page = organizer_client.get(reverse("certificates:home", kwargs={"program_pk": program.pk})).content.decode()
    section = page.split("Sertifikat orang yang tidak lagi terdaftar")[1]
    assert gone.certificate.number in section
    assert (
        reverse("certificates:revoke", kwargs={"program_pk": program.pk, "certificate_pk": gone.certificate.pk})
        in section
    )


def test_issuing_for_the_ticked_participants_only(organizer_client, program, organizer, complete,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    from retreat.models import DocumentJob

    chosen = complete[1]
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(reverse("certificates:issue", kwargs={"program_pk": program.pk}),
                              {"kind": "certificates", "enrollment": [str(chosen.pk), "999999", "x"]})  # fmt: skip
    job = DocumentJob.objects.get(program=program)
    assert job.status == JobStatus.DONE, job.error
    assert list(Certificate.objects.values_list("enrollment_id", flat=True)) == [chosen.pk]
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        (name,) = archive.namelist()
        assert chosen.participant.display_name in " ".join(pdf_text(archive.read(name)).split())
    assert (job.progress_total, job.rows) == (2, 1)  # one certificate, counted as such
