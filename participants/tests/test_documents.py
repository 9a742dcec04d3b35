import io

from pypdf import PdfReader

from participants import services
from participants.documents import GROUP_LIST, ID_CARDS
from participants.tests.factories import EnrollmentFactory
from retreat.enums import JobStatus
from retreat.tests.pdf import document_made, pdf_text


def test_id_cards_hold_names_groups_and_a_link_each(program, organizer, django_capture_on_commit_callbacks):
    enrollments = EnrollmentFactory.create_batch(12, program=program)
    services.groups_form(program=program, group_count=3)
    job = document_made(program, organizer, ID_CARDS, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job.file.read())
    for enrollment in enrollments:
        assert enrollment.participant.name in text
    assert "Kelompok 3" in text
    assert "Pindai untuk jadwal" in text
    assert program.enrollments.filter(access_token__isnull=True).count() == 0


def test_group_list_pdf(program, organizer, facilitator, django_capture_on_commit_callbacks):
    enrollments = EnrollmentFactory.create_batch(6, program=program)
    services.groups_form(program=program, group_count=2)
    facilitator.full_name = "Siti Rahmawati, S.Sos."
    facilitator.save()
    services.group_facilitators_set(group=program.groups.get(number=1), users=[facilitator])
    job = document_made(program, organizer, GROUP_LIST, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    data = job.file.read()
    text = pdf_text(data)
    assert "KELOMPOK DISKUSI" in text
    assert all(e.participant.name in text for e in enrollments)
    first, second = (" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)
    assert "KELOMPOK DISKUSI Pelatihan" in first  # each group on its own page, the first under the title
    assert "Kelompok 1 (3 peserta) Pendamping: Siti Rahmawati, S.Sos." in first
    assert "Kelompok 2 (3 peserta)" in second
    assert "Pendamping" not in second  # the second group has none


def test_group_list_without_groups_fails_with_a_reason(program, organizer, django_capture_on_commit_callbacks):
    EnrollmentFactory(program=program)
    job = document_made(program, organizer, GROUP_LIST, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert "kelompok" in job.error.lower()
