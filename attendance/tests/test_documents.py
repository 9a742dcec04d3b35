import io
import re

import pytest
from pypdf import PdfReader

from attendance import services
from attendance.enums import CheckinMethod
from participants.tests.factories import EnrollmentFactory
from retreat import services as retreat_services
from retreat.enums import JobStatus
from retreat.formatting import tanggal
from retreat.tests.pdf import pdf_text
from sessions.tests.factories import SpeakerFactory


def _sheet(program, organizer, session, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        job = retreat_services.document_job_request(program=program, kind="attendance_sheet", user=organizer,
                                                    params={"session": str(session.pk), **params})  # fmt: skip
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.file.open("rb") as handle:
        return handle.read(), job


def test_blank_sheet_lists_everyone_with_the_header_on_every_page(program, organizer, session,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    enrollments = EnrollmentFactory.create_batch(40, program=program)
    data, job = _sheet(program, organizer, session, django_capture_on_commit_callbacks)
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    for page in pages:
        text = page.extract_text().upper()
        for heading in ("NO", "NAMA", "NIP", "GOL", "JABATAN/UNIT", "TANDA TANGAN"):
            assert heading in text
    text = pdf_text(data)
    assert "DAFTAR HADIR" in text
    assert "Kepemimpinan Pancasila" in text
    assert "08.00–10.00 WIB" in text
    for enrollment in enrollments:
        assert enrollment.participant.display_name in text
    assert "40." in text  # the numbered signature cells
    assert job.rows == 40
    assert job.file.name.endswith(".pdf")


def test_filled_sheet_shows_statuses_and_counts(program, organizer, session, people,
                                                django_capture_on_commit_callbacks):  # fmt: skip
    services.settings_update(
        program=program,
        data={
            "officer_name": "Dra. Sri Wahyuni, M.Si.",
            "officer_nip": "196805171994032005",
            "officer_position": "Kepala Bidang PKSDM",
            "paper_size": "F4",
        },
    )
    program.refresh_from_db()
    services.checkin_apply(session=session, enrollment=people[0], occurred_at=session.starts_at,
                           method=CheckinMethod.ROLL_CALL, user=organizer, status="hadir")  # fmt: skip
    services.checkin_apply(session=session, enrollment=people[1], occurred_at=session.starts_at,
                           method=CheckinMethod.ROLL_CALL, user=organizer, status="izin",
                           note="Sakit anak")  # fmt: skip
    data, _job = _sheet(program, organizer, session, django_capture_on_commit_callbacks, filled="1")
    text = pdf_text(data)
    assert "Hadir" in text
    assert "Izin" in text
    assert "Dra. Sri Wahyuni, M.Si." in text
    assert "NIP 19680517 199403 2 005" in text
    page = PdfReader(io.BytesIO(data)).pages[0]
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in (page.mediabox.width, page.mediabox.height))
    assert (round(width_mm), round(height_mm)) == (215, 330)  # F4


def test_sheet_of_another_programs_session_fails_with_a_reason(program, organizer, other_program,
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    from attendance.tests.conftest import at
    from sessions.models import Session

    foreign = Session.objects.create(program=other_program, kind="materi", title="Asing",
                                     starts_at=at(other_program, 1, "08:00"),
                                     ends_at=at(other_program, 1, "09:00"))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = retreat_services.document_job_request(program=program, kind="attendance_sheet", user=organizer,
                                                    params={"session": str(foreign.pk)})  # fmt: skip
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "sesi" in job.error.lower()


def _job(program, organizer, kind, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        job = retreat_services.document_job_request(program=program, kind=kind, user=organizer, params=params)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.file.open("rb") as handle:
        return handle.read(), job


def _two_days(program):
    from attendance.tests.conftest import at
    from sessions.models import Session

    return [
        Session.objects.create(program=program, kind="materi", title=title, starts_at=at(program, day, start),
                               ends_at=at(program, day, end), counts_for_jp=True)
        for title, day, start, end in [("Apel Pagi", 2, "07:00", "07:45"), ("Materi Inti", 2, "08:00", "09:30"),
                                       ("Outbound", 3, "07:00", "11:00")]
    ]  # fmt: skip


def test_daily_set_has_one_section_per_session_of_the_day(program, organizer, people,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    _two_days(program)
    day = program.start_date.replace(day=program.start_date.day + 1).isoformat()
    data, job = _job(program, organizer, "attendance_day", django_capture_on_commit_callbacks, day=day)
    text = pdf_text(data)
    assert text.count("DAFTAR HADIR") >= 2
    assert "Apel Pagi" in text
    assert "Materi Inti" in text
    assert "Outbound" not in text
    assert job.rows == 6


def test_whole_set_as_one_pdf_and_as_a_zip_of_one_pdf_per_session(program, organizer, people,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    import zipfile

    sessions = _two_days(program)
    data, _job_pdf = _job(program, organizer, "attendance_set", django_capture_on_commit_callbacks)
    text = pdf_text(data)
    for session in sessions:
        assert session.title in text
    assert text.index("Outbound") < text.index("REKAP PRESENSI")  # the recap closes the set
    archive, job = _job(program, organizer, "attendance_set_zip", django_capture_on_commit_callbacks)
    assert job.file.name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        names = sorted(files.namelist())
        assert len(names) == 4
        assert all(name.endswith(".pdf") for name in names)
        first = pdf_text(files.read(names[0]))
        recap_text = pdf_text(files.read("rekap-presensi.pdf"))
    assert "Apel Pagi" in first
    assert "Outbound" not in first
    assert "REKAP PRESENSI" in recap_text


@pytest.mark.parametrize("processes", [1, 2])
def test_filled_set_shows_each_sessions_own_title_statuses_counts_and_date(
    program, organizer, settings, processes, django_capture_on_commit_callbacks
):
    """The table is laid out once and each session's texts drawn over it: every page must carry its own
    session's title, statuses and counts, also past the first page, and a session whose title block is too
    tall for the room kept is laid out on its own."""
    settings.PDF_PROCESSES = processes
    people = EnrollmentFactory.create_batch(30, program=program)
    sessions = _two_days(program)
    sessions[2].title = "Outbound: " + "kepemimpinan kolaboratif dan ketangguhan tim lintas perangkat daerah " * 3
    sessions[2].save()
    sessions[2].speakers.set(
        SpeakerFactory.create_batch(4, institution=program.organizer)
    )  # a title block too tall for its room
    statuses = {sessions[0].pk: "hadir", sessions[1].pk: "dinas_luar", sessions[2].pk: "sakit"}
    for session in sessions:
        for enrollment in people[:25]:
            services.checkin_apply(session=session, enrollment=enrollment, occurred_at=session.starts_at,
                                   method=CheckinMethod.ROLL_CALL, user=organizer,
                                   status=statuses[session.pk])  # fmt: skip
    data, _job_pdf = _job(program, organizer, "attendance_set", django_capture_on_commit_callbacks, filled="1")
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]
    labels = {"hadir": "Hadir", "sakit": "Sakit", "dinas_luar": "Dinas luar"}
    by_session = {session.pk: [] for session in sessions}
    current = None
    for text in pages:
        if "REKAP PRESENSI" in text:
            break
        for session in sessions:
            if session.title[:40] in text and "DAFTAR HADIR" in text:
                current = session
        by_session[current.pk].append(text)
    for session in sessions:
        sheet = by_session[session.pk]
        assert len(sheet) >= 2, session.title
        label = labels[statuses[session.pk]]
        assert all(session.title[:30] in page for page in sheet)  # the footer names the session on every page
        assert all(label in page for page in sheet), session.title  # the statuses on every page
        others = {labels[s] for pk, s in statuses.items() if pk != session.pk} - {"Hadir"}  # also a count's label
        assert not any(other in page for page in sheet for other in others)
        in_counts = 1 if label == "Hadir" else 0  # "Hadir 25" is also the first of the counts
        assert sum(page.count(label) for page in sheet) == 25 + in_counts
        # the counts (25 of a status, 5 not recorded): after their labels, or drawn over the table after it
        assert "Belum tercatat 5" in sheet[-1] or "25 0 0 0 5" in sheet[-1]
        assert tanggal(session.starts_at.astimezone(program.tzinfo).date()) in sheet[-1]
    # The first two were drawn over the shared table (their statuses come after it in the text); the long
    # title needed a sheet laid out on its own (its statuses come in the rows).
    assert not re.search(r"\b\d+\. Hadir", by_session[sessions[0].pk][0])
    assert not re.search(r"\b\d+\. Dinas luar", by_session[sessions[1].pk][0])
    assert re.search(r"\b\d+\. Sakit", by_session[sessions[2].pk][0])


def test_recap_pdf_is_landscape_with_percentages(program, organizer, people, django_capture_on_commit_callbacks):
    sessions = _two_days(program)
    for session in sessions[:2]:
        services.checkin_apply(session=session, enrollment=people[0], occurred_at=session.starts_at,
                               method=CheckinMethod.ROLL_CALL, user=organizer, status="hadir")  # fmt: skip
    services.register_close(session=sessions[2], user=organizer)  # taken: everyone alpa
    data, _job_pdf = _job(program, organizer, "attendance_recap", django_capture_on_commit_callbacks)
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = pdf_text(data)
    assert "REKAP PRESENSI" in text
    assert people[0].participant.display_name in text
    assert "66%" in text  # 2 of 3, cut: never rounded up towards the minimum
    assert "2/2" in text  # day 2 for the first participant


def test_building_the_set_reads_the_database_a_constant_number_of_times(program, organizer, people,
                                                                        django_assert_max_num_queries):  # fmt: skip
    """Sheets of three sessions or of ten: the same queries (the sessions' program is not read per session)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from attendance import documents
    from retreat.models import DocumentJob

    _two_days(program)
    job = DocumentJob(program=program, kind="attendance_set", requested_by=organizer, params={"filled": "1"})
    with CaptureQueriesContext(connection) as few:
        documents.attendance_set(job)
    from attendance.tests.conftest import at
    from sessions.models import Session

    for n in range(7):
        Session.objects.create(program=program, kind="materi", title=f"Sesi {n}", starts_at=at(program, 3, f"1{n}:00"),
                               ends_at=at(program, 3, f"1{n}:45"))  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        documents.attendance_set(job)
