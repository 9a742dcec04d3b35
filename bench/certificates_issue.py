"""Certificates for a program of 100 participants (the issue target is 500 at 60 a second through a real
worker; this measures where the in-process path stands): numbering, then one file per participant made
with certificates.documents.certificates_make (one WeasyPrint layout and write per certificate, fonts and
stylesheet kept per process), and the ZIP. Also the naive rate in the same run: a fresh FontConfiguration
and stylesheet for every certificate. Prints certificates a second, peak RSS, mean file size and ratios.

On its own SQLite database in a temporary folder. Asserts nothing.

    .venv/bin/python bench/certificates_issue.py [--participants 100]
"""

import argparse
import resource
import shutil
import time

from setup import django_on_temp_database

TARGET_PER_SECOND = 60  # end to end through a real worker, two processes (issue target)


def build(participants: int):
    import datetime as dt

    from evaluations.services.completion import completion_override_set
    from participants.tests.factories import EnrollmentFactory
    from retreat.enums import Role
    from retreat.tests.factories import InstitutionFactory, MembershipFactory, ProgramFactory

    institution = InstitutionFactory(name="Pemerintah Kota Bench", short_name="Pemkot Bench",
                                     letterhead_lines="PEMERINTAH KOTA BENCH\nBADAN KEPEGAWAIAN DAERAH")  # fmt: skip
    program = ProgramFactory(organizer=institution, start_date=dt.date(2025, 5, 15), end_date=dt.date(2025, 5, 17))
    organizer = MembershipFactory(institution=institution, role=Role.ORGANIZER).user
    for enrollment in EnrollmentFactory.create_batch(participants, program=program):
        completion_override_set(enrollment=enrollment, complete=True, reason="Lulus (bench)", user=organizer)
    return program, organizer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=100)
    args = parser.parse_args()
    tmp = django_on_temp_database()
    try:
        run(args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args):
    from django.utils import translation

    from certificates.documents import certificate_pdf, certificates_make, shared_context
    from certificates.models import Certificate
    from certificates.services import certificates_number

    translation.activate("id")
    program, organizer = build(args.participants)
    started = time.perf_counter()
    certificates_number(program=program, user=organizer)
    numbered = time.perf_counter() - started
    print(f"numbering {args.participants} certificates: {numbered:.2f} s")

    started = time.perf_counter()
    certificates = certificates_make(program, user=organizer)
    made = time.perf_counter() - started
    rate = len(certificates) / made
    sizes = [c.file.size for c in Certificate.objects.filter(enrollment__program=program)]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mean = sum(sizes) / len(sizes) / 1024
    print(f"made with reuse: {len(certificates)} in {made:.1f} s = {rate:.1f}/s; mean file {mean:.0f} KB; "
          f"peak RSS {peak:.0f} MB")  # fmt: skip

    import retreat.pdf as pdf

    sample = certificates[:10]
    shared = shared_context(program)
    started = time.perf_counter()
    for certificate in sample:
        pdf._font_config.cache_clear()  # the naive way: fonts and stylesheet afresh for every certificate
        pdf._stylesheet.cache_clear()
        certificate_pdf(certificate, shared)
    naive = len(sample) / (time.perf_counter() - started)
    print(f"naive (fresh fonts and stylesheet each): {naive:.1f}/s; reuse is {rate / naive:.2f}× the naive rate")
    share = rate / TARGET_PER_SECOND
    print(f"target {TARGET_PER_SECOND}/s through a worker on two processes: this path reaches {share:.2f} of it on "
          f"one process (the overlay path is still to come)")  # fmt: skip


if __name__ == "__main__":
    main()
