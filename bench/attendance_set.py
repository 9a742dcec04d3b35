"""Time and peak memory of a 500-participant, 12-session program's attendance documents, and the recap's
query count as the program grows.

On its own SQLite database in a temporary folder (or DATABASE_URL): builds the program with attendance
taken at every session (most present, some late, excused or absent), then prints, in one run:

- the calibration: the reference sheet the target was set with (CONVENTIONS: one 500-row A4 table, six
  columns, fixed layout, 10 mm rows: 2.65 s here when the target was set), to tell a slow day from a
  slow program;
- one session's daftar hadir laid out on its own, and every sheet plus the recap laid out on their own one
  after another (the naive set);
- the whole set (every sheet and the recap in one PDF, the table laid out once and the session texts drawn
  over it, on PDF_PROCESSES processes: 2 unless --processes), blank and filled, with seconds, pages, peak
  RSS (this process and its children) and the ratios to the target (under 8 s on 2 cores, under 500 MB)
  and to the naive set;
- the queries of the recap page at 50 × 3 and 500 × 12.

Asserts nothing.

    .venv/bin/python bench/attendance_set.py [--participants 500] [--sessions 12] [--processes 2]
"""

import argparse
import datetime as dt
import io
import resource
import time

from setup import django_on_temp_database

SET_TARGET_S = 8
MEMORY_TARGET_MB = 500
REFERENCE_S = 2.65  # the reference sheet when the target was set


def peak_mb() -> float:
    """The largest resident set of this process or of any of its finished children."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def reference_sheet() -> float:
    """Seconds for the sheet of CONVENTIONS (layout and write), the better of two."""
    from weasyprint import HTML

    rows = "".join(f"<tr><td>{n}</td><td>Nama Peserta {n}</td><td>19750101 200001 1 002</td><td>IV/b</td>"
                   f"<td>Kepala Dinas Uji {n}</td><td>{n}.</td></tr>" for n in range(500))  # fmt: skip
    html = ("<style>@page{size:A4;margin:18mm 15mm 20mm 20mm} table{width:100%;border-collapse:collapse;"
            "table-layout:fixed} td,th{border:0.6pt solid #000} td{height:10mm;font-size:8.5pt}"
            "thead{display:table-header-group} tr{page-break-inside:avoid}</style><table><thead><tr><th>NO</th>"
            f"<th>NAMA</th><th>NIP</th><th>GOL</th><th>JABATAN</th><th>TTD</th></tr></thead><tbody>{rows}</tbody>"
            "</table>")  # fmt: skip
    best = None
    for _ in range(2):
        started = time.perf_counter()
        HTML(string=html).render().write_pdf()
        best = min(best or 1e9, time.perf_counter() - started)
    return best


def build(participants: int, sessions: int):
    from participants.tests.factories import EnrollmentFactory
    from retreat.tests.factories import InstitutionFactory, ProgramFactory
    from sessions.models import Session

    institution = InstitutionFactory(name=f"Pemerintah Kota Bench {participants}", short_name="Pemkot Bench")
    program = ProgramFactory(organizer=institution, name=f"Retret {participants} peserta",
                             start_date=dt.date(2025, 5, 15), end_date=dt.date(2025, 5, 17))  # fmt: skip
    EnrollmentFactory.create_batch(participants, program=program)
    for n in range(sessions):
        start = dt.datetime(2025, 5, 15 + n % 3, 7 + n // 3 * 2, 0, tzinfo=program.tzinfo)
        Session.objects.create(program=program, kind="materi", title=f"Sesi {n + 1}", starts_at=start,
                               ends_at=start + dt.timedelta(hours=1, minutes=30), counts_for_jp=True)  # fmt: skip
    take_attendance(program)
    return program


def take_attendance(program) -> None:
    """A record for nearly everyone at every session: mostly present, some late, excused or absent."""
    from attendance.models import AttendanceRecord

    statuses = ["hadir"] * 16 + ["terlambat", "sakit", "dinas_luar", "alpa"]
    enrollments = list(program.enrollments.order_by("pk"))
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(session=session, enrollment=enrollment, status=statuses[(n + i) % len(statuses)],
                         method="roll_call", occurred_at=session.starts_at)
        for i, session in enumerate(program.sessions.all())
        for n, enrollment in enumerate(enrollments) if n % 50 != 7
    )  # fmt: skip


def timed(label, make):
    from pypdf import PdfReader

    started = time.perf_counter()
    data = make()
    seconds = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(data)).pages) if data[:4] == b"%PDF" else "-"
    print(f"  {label:<48} {seconds:6.1f} s  {pages!s:>5} pages  peak RSS {peak_mb():.0f} MB")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    django_on_temp_database()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PDF_PROCESSES = args.processes
    from attendance import documents
    from retreat.models import DocumentJob
    from retreat.pdf import render_pdf

    reference = reference_sheet()
    print(f"calibration: the reference 500-row sheet {reference:.2f} s (when the target was set: {REFERENCE_S} s);"
          f" this machine today / then: {reference / REFERENCE_S:.2f}")  # fmt: skip
    program = build(args.participants, args.sessions)
    sessions = list(program.sessions.order_by("starts_at"))
    print(f"{args.participants} participants, {len(sessions)} sessions, attendance taken; documents:")

    def render(builder, **params):
        document = builder(DocumentJob(program=program, kind="bench", params=params))
        return document.render(lambda step: None) if document.render else render_pdf(document.template,
                                                                                     document.context)  # fmt: skip

    timed("one session's sheet (warm-up, fonts loaded)", lambda: render(documents.attendance_sheet,
                                                                        session=str(sessions[0].pk)))  # fmt: skip
    one = timed("one session's sheet, laid out on its own", lambda: render(documents.attendance_sheet,
                                                                           session=str(sessions[1].pk)))  # fmt: skip
    started = time.perf_counter()
    for session in sessions:
        render(documents.attendance_sheet, session=str(session.pk))
    render(documents.attendance_recap)
    naive = time.perf_counter() - started
    print(f"  {'every sheet and the recap on their own (naive)':<48} {naive:6.1f} s            "
          f"peak RSS {peak_mb():.0f} MB")  # fmt: skip
    for label, params in (("blank", {}), ("filled", {"filled": "1"})):
        whole = timed(f"the whole set + recap, {label}, {args.processes} processes",
                      lambda params=params: render(documents.attendance_set, **params))  # fmt: skip
        scaled = SET_TARGET_S * reference / REFERENCE_S
        print(f"    / target {SET_TARGET_S} s: {whole / SET_TARGET_S:.2f}; / target scaled by the calibration "
              f"({scaled:.1f} s): {whole / scaled:.2f};"
              f" naive / this: {naive / whole:.1f}; peak RSS / target {MEMORY_TARGET_MB} MB: "
              f"{peak_mb() / MEMORY_TARGET_MB:.2f}")  # fmt: skip
    print(f"  (one sheet on its own: {one:.1f} s)")

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from retreat.enums import Role
    from retreat.tests.factories import MembershipFactory

    print("recap page queries:")
    for size, count in ((50, 3), (args.participants, args.sessions)):
        small = build(size, count) if size != args.participants else program
        user = MembershipFactory(institution=small.organizer, role=Role.ORGANIZER).user
        client = Client()
        client.force_login(user)
        url = f"/program/{small.pk}/presensi/rekap/"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(url)
        print(f"  {size} × {count}: {len(queries)} queries, {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
