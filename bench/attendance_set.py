"""Time and peak memory of a 500-participant, 12-session program's attendance documents, and the recap's
query count as the program grows.

On its own SQLite database in a temporary folder (or DATABASE_URL): builds the program, then renders
(1) one session's daftar hadir, (2) every session's sheet on its own, one after another (the naive set),
(3) the whole set as one PDF, and (4) the recap PDF, printing seconds, pages and peak RSS with the ratio
to the target (the full set under 8 s on 2 cores and under 500 MB). Then counts the queries of the
recap page at 50 × 3 and 500 × 12. Asserts nothing.

    .venv/bin/python bench/attendance_set.py [--participants 500] [--sessions 12]
"""

import argparse
import datetime as dt
import io
import resource
import time

from setup import django_on_temp_database

SET_TARGET_S = 8
MEMORY_TARGET_MB = 500


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    return program


def timed(label, make):
    from pypdf import PdfReader

    started = time.perf_counter()
    data = make()
    seconds = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(data)).pages) if data[:4] == b"%PDF" else "-"
    print(f"  {label:<44} {seconds:6.1f} s  {pages!s:>5} pages  peak RSS {peak_mb():.0f} MB")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=12)
    args = parser.parse_args()
    django_on_temp_database()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from attendance import documents
    from retreat.models import DocumentJob
    from retreat.pdf import render_pdf

    program = build(args.participants, args.sessions)
    sessions = list(program.sessions.order_by("starts_at"))
    print(f"{args.participants} participants, {len(sessions)} sessions; documents:")

    def render(builder, **params):
        document = builder(DocumentJob(program=program, kind="bench", params=params))
        return document.render(lambda step: None) if document.render else render_pdf(document.template,
                                                                                     document.context)  # fmt: skip

    timed("one session's sheet (warm-up, fonts loaded)", lambda: render(documents.attendance_sheet,
                                                                        session=str(sessions[0].pk)))  # fmt: skip
    one = timed("one session's sheet", lambda: render(documents.attendance_sheet, session=str(sessions[1].pk)))
    naive = 0.0
    started = time.perf_counter()
    for session in sessions:
        render(documents.attendance_sheet, session=str(session.pk))
    naive = time.perf_counter() - started
    print(f"  {'every sheet on its own (naive set)':<44} {naive:6.1f} s         peak RSS {peak_mb():.0f} MB")
    whole = timed("the whole set as one PDF", lambda: render(documents.attendance_set))
    recap = timed("the recap (landscape)", lambda: render(documents.attendance_recap))
    total = whole + recap
    print(f"full set + recap: {total:.1f} s; / target {SET_TARGET_S} s: {total / SET_TARGET_S:.2f}; "
          f"naive / one sheet: {naive / one:.1f}; peak RSS / target {MEMORY_TARGET_MB} MB: "
          f"{peak_mb() / MEMORY_TARGET_MB:.2f}")  # fmt: skip

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
