"""The post-retreat report (laporan pelaksanaan): what the PDF says (its chapters, the organizer's texts or
the defaults, the same figures as the attendance recap and the evaluation results), its photos, its versions,
and who may write and read it."""

import io
import time
from pathlib import Path

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image

from attendance.enums import AttendanceStatus, CheckinMethod
from attendance.models import AttendanceRecord
from attendance.selectors import recap
from attendance.tests.conftest import at
from certificates import services_report
from certificates.models import ReportPhoto, ReportText
from certificates.report import DEFAULT_LEGAL_BASIS, PROGRAM_REPORT
from evaluations.enums import QuestionKind, QuestionnaireKind
from evaluations.models import Answer, Form, Response
from evaluations.selectors.results import organization_results, speaker_results
from evaluations.services.forms import evaluations_setup
from participants.tests.factories import EnrollmentFactory
from retreat import services as document_services
from retreat.enums import JobStatus, Role
from retreat.formatting import tanggal
from retreat.identity import format_nip
from retreat.models import DocumentJob
from retreat.tests.factories import CohortFactory, MembershipFactory, UserFactory
from retreat.tests.pdf import pdf_text
from sessions import services as session_services
from sessions.models import Session
from sessions.tests.factories import SpeakerFactory

BACKGROUND = "Retret ini lahir dari arahan Wali Kota agar pejabat bekerja lintas perangkat daerah."


def _jpeg(name: str = "apel.jpg", size=(1200, 800), color="#2a6") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _answer_scale(form, enrollment, number: int) -> None:
    response = Response.objects.create(form=form, enrollment=enrollment)
    questions = form.questionnaire.questions.filter(kind=QuestionKind.SCALE)
    Answer.objects.bulk_create(Answer(response=response, question=q, number=number) for q in questions)


@pytest.fixture
def retreat(program, organizer):
    """Five participants in two cohorts (one woman), two sessions with a speaker, attendance taken, the
    organization and speaker evaluations answered, one session moved after the agenda was published."""
    first, second = (
        CohortFactory(program=program, name="Angkatan I"),
        CohortFactory(program=program, name="Angkatan II"),
    )
    people = [
        EnrollmentFactory(
            program=program,
            cohort=first,
            participant__phone="081234567890",
            participant__nik="3573015505750001",
            participant__health_notes="Alergi udang",
        )
    ]
    people += [EnrollmentFactory(program=program, cohort=first, participant__sex="P")]
    people += EnrollmentFactory.create_batch(3, program=program, cohort=second)
    speaker = SpeakerFactory(institution=program.organizer, name="Zudan Arif Fakrulloh", front_title="Prof. Dr.")
    opening = Session.objects.create(program=program, kind="upacara", title="Upacara Pembukaan",
                                     starts_at=at(program, 1, "19:00"), ends_at=at(program, 1, "21:00"))  # fmt: skip
    lecture = Session.objects.create(program=program, kind="materi", title="Kuliah Umum ASN sebagai Penggerak",
                                     starts_at=at(program, 2, "08:00"), ends_at=at(program, 2, "10:00"),
                                     counts_for_jp=True)  # fmt: skip
    lecture.speakers.add(speaker)
    session_services.agenda_publish(program=program)
    session_services.session_move(session=lecture, minutes=30)
    for session, absent in ((opening, people[4]), (lecture, None)):
        for person in people:
            status = AttendanceStatus.ALPA if person == absent else AttendanceStatus.HADIR
            AttendanceRecord.objects.create(session=session, enrollment=person, status=status,
                                            method=CheckinMethod.ROLL_CALL, occurred_at=session.starts_at)  # fmt: skip
    evaluations_setup(program=program)
    organization = Form.objects.get(program=program, questionnaire__kind=QuestionnaireKind.ORGANIZATION)
    for person, number in zip(people, [4, 3, 3, 4], strict=False):
        _answer_scale(organization, person, number)
    speaker_form = Form.objects.get(program=program, session=lecture)
    for person, number in zip(people, [4, 4, 3], strict=False):
        _answer_scale(speaker_form, person, number)
    return {"people": people, "lecture": lecture, "speaker": speaker}


def _make(program, user, django_capture_on_commit_callbacks) -> DocumentJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = document_services.document_job_request(program=program, kind=PROGRAM_REPORT, user=user)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job


def _images(pdf: bytes) -> list[tuple[int, int]]:
    """(width, height) of every distinct image XObject of the PDF."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return sorted(
            (int(obj.Width), int(obj.Height))
            for obj in document.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        )


def test_the_report_has_every_chapter_the_organizers_texts_defaults_and_the_pages_figures(
    program, organizer, retreat, django_capture_on_commit_callbacks
):
    services_report.report_texts_save(program=program, user=organizer, data={"background": BACKGROUND})
    services_report.report_photos_add(program=program, user=organizer, files=[_jpeg()], caption="Apel pembukaan")
    pdf = _make(program, organizer, django_capture_on_commit_callbacks).file.read()
    text = pdf_text(pdf)
    for chapter in ("LAPORAN PELAKSANAAN", "BAB I PENDAHULUAN", "BAB II PELAKSANAAN", "BAB III HASIL DAN EVALUASI",
                    "BAB IV PENUTUP", "LAMPIRAN I DAFTAR PESERTA", "LAMPIRAN II REKAPITULASI KEHADIRAN",
                    "LAMPIRAN III DOKUMENTASI", "A. Latar Belakang", "B. Dasar Hukum", "E. Susunan Acara",
                    "E. Permasalahan dan Solusi", "C. Rencana Aksi dan Monitoring"):  # fmt: skip
        assert chapter in text, chapter
    assert BACKGROUND in text  # the organizer's own
    assert "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara" in text  # a default
    assert " ".join(DEFAULT_LEGAL_BASIS[2].split()) in text
    # Participants by cohort: name, men, women, total.
    assert "Angkatan I 1 1 2" in text
    assert "Angkatan II 3 0 3" in text
    # The speaker and the moved session, marked with where it was.
    assert "Prof. Dr. Zudan Arif Fakrulloh" in text
    assert "Diubah: waktu semula 08.00–10.00" in text
    # Attendance: the recap selector's figures.
    figures = recap(program)
    with translation.override("id"):
        for day, percent in figures.by_day:
            assert f"{tanggal(day)} {percent}%" in text
        assert "tercatat 9 dari 10 kehadiran" in text
        assert f"{len(figures.rows) - len(figures.below_minimum)} dari 5 peserta memenuhi" in text
        # Evaluations: the results selectors' averages, as the results pages show them.
        [organization] = organization_results(program)
        assert f"nilai rata-rata seluruh aspek {floatformat(organization.overall, 2)}" in text
        for aspect in organization.aspects:
            assert f"{aspect.text} {aspect.count} {floatformat(aspect.average, 2)}" in text
        [lecture] = speaker_results(program)
        assert f"{lecture.responses} {floatformat(lecture.overall, 2)}" in text
    # The participant list: full NIPs for the institution, never phone, NIK or health notes.
    participant = retreat["people"][0].participant
    assert format_nip(participant.nip) in text
    for secret in ("081234567890", "3573015505750001", "Alergi udang"):
        assert secret not in text
    # The photo appendix: the photo as an image, with its caption.
    assert "Foto 1. Apel pembukaan" in text
    assert (1200, 800) in _images(pdf)  # the photo as uploaded (under 1600 px: not resized)


def test_charts_are_drawn_for_the_evaluations(program, organizer, retreat, django_capture_on_commit_callbacks):
    pdf = _make(program, organizer, django_capture_on_commit_callbacks).file.read()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        drawn = b"".join(page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array)
                         else b"".join(c.read_bytes() for c in page.Contents) for page in document.pages)  # fmt: skip
    assert drawn.count(b" re") > 10  # the bars of the charts (rectangles), beside the tables' text


def test_a_21st_photo_is_refused_with_a_message_and_nothing_is_saved(organizer_client, program, organizer, settings):
    files = [_jpeg(f"foto-{n}.png", size=(40, 30)) for n in range(services_report.MAX_PHOTOS)]
    services_report.report_photos_add(program=program, user=organizer, files=files)
    stored = sorted(p.name for p in (settings.MEDIA_ROOT / "reports").rglob("*"))
    response = organizer_client.post(reverse("certificates:report_photo_add", kwargs={"program_pk": program.pk}),
                                     {"photos": [_jpeg("foto-21.jpg")]})  # fmt: skip
    with translation.override("id"):  # the page's language
        message = services_report._too_many(20, 1)
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert ReportPhoto.objects.filter(program=program).count() == 20
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "reports").rglob("*")) == stored


def test_two_photos_over_the_limit_in_one_upload_save_none(program, organizer):
    services_report.report_photos_add(program=program, user=organizer,
                                      files=[_jpeg(f"f{n}.jpg", size=(40, 30)) for n in range(19)])  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services_report.report_photos_add(program=program, user=organizer, files=[_jpeg("a.jpg"), _jpeg("b.jpg")])
    assert refused.value.message_dict == {"photos": [services_report._too_many(19, 2)]}
    assert ReportPhoto.objects.filter(program=program).count() == 19


def test_a_file_that_is_not_an_image_is_refused_naming_it(organizer_client, program, settings):
    fake = SimpleUploadedFile("notulen-rapat.pdf", b"%PDF-1.4\n%...", content_type="application/pdf")
    response = organizer_client.post(reverse("certificates:report_photo_add", kwargs={"program_pk": program.pk}),
                                     {"photos": [_jpeg("baik.jpg"), fake]})  # fmt: skip
    assert response.status_code == 200
    assert "notulen-rapat.pdf" in response.content.decode()
    assert not ReportPhoto.objects.filter(program=program).exists()  # the good one was not kept either
    assert not (settings.MEDIA_ROOT / "reports").exists()


def test_photos_are_resized_reordered_captioned_and_removed(organizer_client, program, organizer,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    first, second = services_report.report_photos_add(
        program=program, user=organizer, files=[_jpeg("a.jpg", size=(4000, 3000)), _jpeg("b.jpg", color="#a62")]
    )
    with Image.open(first.image.path) as image:
        assert max(image.size) == 1600
    url = reverse("certificates:report_photo_update", kwargs={"program_pk": program.pk, "report_photo_pk": second.pk})
    organizer_client.post(url, {"caption": "  Apel   pagi ", "move": "up"})
    assert [(p.pk, p.caption) for p in ReportPhoto.objects.order_by("position")] == [(second.pk, "Apel pagi"),
                                                                                      (first.pk, "")]  # fmt: skip
    path = first.image.path
    url = reverse("certificates:report_photo_delete", kwargs={"program_pk": program.pk, "report_photo_pk": first.pk})
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url)
    assert list(ReportPhoto.objects.values_list("pk", "position")) == [(second.pk, 1)]
    assert not Path(path).exists()


def test_each_regeneration_keeps_the_older_version(organizer_client, program, leader, retreat,
                                                   django_capture_on_commit_callbacks):  # fmt: skip
    url = reverse("certificates:report_make", kwargs={"program_pk": program.pk})
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url)
    services_report.report_texts_save(program=program, user=None, data={"conclusions": "Kesimpulan versi kedua."})
    time.sleep(0.01)
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url)
    jobs = list(DocumentJob.objects.filter(program=program, kind=PROGRAM_REPORT).order_by("created_at"))
    assert [job.status for job in jobs] == [JobStatus.DONE, JobStatus.DONE]
    assert jobs[0].file.name != jobs[1].file.name
    page = organizer_client.get(reverse("certificates:report", kwargs={"program_pk": program.pk})).content.decode()
    for job in jobs:
        assert reverse("certificates:report_download", kwargs={"program_pk": program.pk, "version_pk": job.pk}) in page
    organizer_client.force_login(leader)  # leaders read and download the report
    texts = []
    for job in jobs:
        response = organizer_client.get(
            reverse("certificates:report_download", kwargs={"program_pk": program.pk, "version_pk": job.pk})
        )
        assert response.status_code == 200
        texts.append(pdf_text(b"".join(response.streaming_content)))
    assert "Kesimpulan versi kedua." not in texts[0]
    assert "Kesimpulan versi kedua." in texts[1]


def test_the_organizer_saves_texts_with_history_and_an_empty_text_keeps_the_default(organizer_client, program,
                                                                                     organizer):  # fmt: skip
    url = reverse("certificates:report_texts", kwargs={"program_pk": program.pk})
    response = organizer_client.post(url, {"background": f"  {BACKGROUND}  \r\n\r\n\r\nParagraf kedua.", "scope": ""})
    assert response.status_code == 302
    text = ReportText.objects.get(program=program)
    assert text.background == f"{BACKGROUND}\n\nParagraf kedua."
    assert text.scope == ""
    assert text.history.latest().history_user == organizer
    page = organizer_client.get(reverse("certificates:report", kwargs={"program_pk": program.pk})).content.decode()
    assert "Ruang lingkup laporan ini meliputi" in page  # the default, shown as the placeholder


def test_another_institutions_organizer_gets_404(client, program, other_institution):
    outsider = MembershipFactory(user=UserFactory(username="panitia.lain"), institution=other_institution,
                                 role=Role.ORGANIZER).user  # fmt: skip
    client.force_login(outsider)
    assert client.get(reverse("certificates:report", kwargs={"program_pk": program.pk})).status_code == 404
    response = client.post(reverse("certificates:report_texts", kwargs={"program_pk": program.pk}),
                           {"background": "Bukan urusan kami."})  # fmt: skip
    assert response.status_code == 404
    assert not ReportText.objects.exists()


def test_a_facilitator_reads_the_report_but_cannot_change_its_texts(client, program, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("certificates:report", kwargs={"program_pk": program.pk}))
    assert page.status_code == 200
    assert reverse("certificates:report_texts", kwargs={"program_pk": program.pk}) not in page.content.decode()
    response = client.post(reverse("certificates:report_texts", kwargs={"program_pk": program.pk}),
                           {"background": "Diubah pendamping."})  # fmt: skip
    assert response.status_code == 403
    assert not ReportText.objects.exists()


@pytest.mark.parametrize("many", [False, True])
def test_the_report_page_reads_in_a_constant_number_of_queries(organizer_client, program, organizer, retreat, many,
                                                               django_assert_max_num_queries):  # fmt: skip
    count = 8 if many else 1
    services_report.report_photos_add(program=program, user=organizer,
                                      files=[_jpeg(f"f{n}.jpg", size=(40, 30)) for n in range(count)])  # fmt: skip
    for _ in range(count):
        DocumentJob.objects.create(program=program, kind=PROGRAM_REPORT, status=JobStatus.DONE, file="documents/x.pdf",
                                   requested_by=organizer)  # fmt: skip
    url = reverse("certificates:report", kwargs={"program_pk": program.pk})
    with django_assert_max_num_queries(40):  # the same with 1 or 8 photos and versions
        page = organizer_client.get(url)
    assert page.content.decode().count('class="list-group-item report-photo"') == count
    assert page.content.decode().count("report-version") == count


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_report(celery_worker, program, organizer):
    EnrollmentFactory.create_batch(2, program=program)
    services_report.report_photos_add(program=program, user=organizer, files=[_jpeg()], caption="Apel pembukaan")
    job = document_services.document_job_request(program=program, kind=PROGRAM_REPORT, user=organizer)
    deadline = time.monotonic() + 120
    while not job.is_finished and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    pdf = job.file.read()
    assert "BAB IV PENUTUP" in pdf_text(pdf)
    assert (1200, 800) in _images(pdf)


def test_report_versions_outlive_the_purge_of_old_documents(program, organizer):
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    old = timezone.now() - dt.timedelta(days=400)
    jobs = {}
    for kind in (PROGRAM_REPORT, "participant_list"):
        job = DocumentJob.objects.create(program=program, kind=kind, status=JobStatus.DONE, requested_by=organizer)
        job.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.7"), save=False)
        job.save()
        DocumentJob.objects.filter(pk=job.pk).update(created_at=old)
        jobs[kind] = job
    assert document_services.document_jobs_purge(older_than_days=30) == 1
    assert list(DocumentJob.objects.values_list("kind", flat=True)) == [PROGRAM_REPORT]
    assert jobs[PROGRAM_REPORT].file.storage.exists(jobs[PROGRAM_REPORT].file.name)
