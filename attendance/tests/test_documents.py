import io

from pypdf import PdfReader

from attendance import services
from attendance.enums import CheckinMethod
from participants.tests.factories import EnrollmentFactory
from retreat import services as retreat_services
from retreat.enums import JobStatus
from retreat.tests.pdf import pdf_text


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
    archive, job = _job(program, organizer, "attendance_set_zip", django_capture_on_commit_callbacks)
    assert job.file.name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        names = sorted(files.namelist())
        assert len(names) == 3
        assert all(name.endswith(".pdf") for name in names)
        first = pdf_text(files.read(names[0]))
    assert "Apel Pagi" in first
    assert "Outbound" not in first


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
    assert "67%" in text  # 2 of 3
    assert "2/2" in text  # day 2 for the first participant
