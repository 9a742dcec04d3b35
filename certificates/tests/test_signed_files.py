"""Certificates issued with the institution's electronic signature: each file signed last (valid, covering
the whole file, its visible field in the main signatory's space), the footer naming the issuer, the QR still
readable; a password typed when issuing travels with the job sealed and leaves it."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext

from certificates.documents import SIGNING, certificates_make
from certificates.models import CertificateSettings
from certificates.signing import FIELD_NAME, password_variable
from evaluations.services.completion import completion_override_set
from participants.tests.factories import EnrollmentFactory
from retreat.enums import JobStatus
from retreat.models import DocumentJob
from retreat.tests.pdf import pdf_text

from .pki import PASSWORD, SIGNER, make_pki, validate
from .test_files import qr_texts


@pytest.fixture
def complete(program, organizer):
    people = EnrollmentFactory.create_batch(2, program=program)
    for enrollment in people:
        completion_override_set(enrollment=enrollment, complete=True, reason="Lulus (uji)", user=organizer)
    return people


@pytest.fixture
def pki(institution):
    ca, data = make_pki()
    row, _ = CertificateSettings.objects.get_or_create(institution=institution)
    row.signing_file.save("uji.p12", ContentFile(data), save=False)
    row.signing_enabled = True
    row.save()
    return ca


def test_each_file_is_signed_last_with_its_field_in_the_signatory_space(program, organizer, complete, pki,
                                                                         monkeypatch):  # fmt: skip
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    monkeypatch.setenv(password_variable(program.organizer), PASSWORD)
    certificates = certificates_make(program, user=organizer)
    for certificate in certificates:
        pdf = certificate.file.read()
        embedded, status = validate(pdf, pki)
        assert (status.intact, status.valid, status.trusted) == (True, True, True), status.pretty_print_details()
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE  # nothing was added after the signature
        assert embedded.field_name == FIELD_NAME
        text = " ".join(pdf_text(pdf).split())
        assert certificate.holder_name in text
        assert "ditandatangani secara elektronik" in text.casefold()
        assert "Lembaga Sertifikasi Uji" in text  # the footer names who issued the signing certificate
        assert qr_texts(pdf)
    # The visible field sits between the main signatory's position and name, in the right half of the page.
    left, bottom, right, top = (float(v) for v in embedded.sig_field["/Rect"])
    assert 421 < left < right < 842 - 40
    assert 60 < bottom < top < 200
    assert round(right - left) == 170  # 60 mm


def test_a_typed_password_travels_sealed_and_leaves_the_job(organizer_client, program, complete, pki,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    url = reverse("certificates:issue", kwargs={"program_pk": program.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(url, {"kind": "certificates", "password": PASSWORD})
    assert response.status_code == 302
    job = DocumentJob.objects.get(program=program)
    assert job.status == JobStatus.DONE, job.error
    assert SIGNING not in job.params
    assert PASSWORD not in json.dumps(job.params)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        for name in archive.namelist():
            _embedded, status = validate(archive.read(name), pki)
            assert status.valid, name


def test_a_wrong_password_fails_the_job_and_is_forgotten(organizer_client, program, complete, pki,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    url = reverse("certificates:issue", kwargs={"program_pk": program.pk})
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url, {"kind": "certificates", "password": "salah-sandi"})
    job = DocumentJob.objects.get(program=program)
    assert job.status == JobStatus.FAILED
    assert gettext("The password does not open %(file)s.").split("%(file)s")[0] in job.error
    assert SIGNER not in job.error
    assert job.params == {}


def test_no_password_anywhere_says_where_to_put_it(organizer_client, program, complete, pki, monkeypatch,
                                                   django_capture_on_commit_callbacks):  # fmt: skip
    monkeypatch.delenv(password_variable(program.organizer), raising=False)
    page = organizer_client.get(reverse("certificates:home", kwargs={"program_pk": program.pk})).content.decode()
    assert 'name="password"' in page  # asked for, since the server has none
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(reverse("certificates:issue", kwargs={"program_pk": program.pk}),
                              {"kind": "certificates"})  # fmt: skip
    job = DocumentJob.objects.get(program=program)
    assert job.status == JobStatus.FAILED
    assert password_variable(program.organizer) in job.error


def test_the_general_document_request_never_takes_a_signing_password(organizer_client, program, complete, pki):
    url = reverse("retreat:document_request", kwargs={"program_pk": program.pk, "kind": "certificates"})
    organizer_client.post(url, {SIGNING: PASSWORD})
    job = DocumentJob.objects.get(program=program)
    assert job.params == {}
