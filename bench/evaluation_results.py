"""Time and queries of the evaluation results page for a large program: 500 participants, each answering
20 speaker sessions (10 aspects and a comment each: 10,000 responses, 110,000 answers), the organization
evaluation, the BerAKHLAK self-assessment and the test before and after, and a facilitator's assessment
of everyone.

On its own SQLite database in a temporary folder (or DATABASE_URL), the answers written with bulk_create.
Prints, in one run: the seconds and queries of the selectors alone, of the whole page (selectors,
template and the program frame, through the test client as an organizer), of one speaker session's page
and of the XLSX export; and the queries of the same page on a program of 5 × 2, which should be the same.
Asserts nothing.

    .venv/bin/python bench/evaluation_results.py [--participants 500] [--sessions 20]
"""

import argparse
import datetime as dt
import shutil
import statistics
import time

from setup import django_on_temp_database


def build(participants: int, sessions: int):
    from evaluations.enums import QuestionKind, QuestionnaireKind
    from evaluations.models import Answer, Form, Question, Response
    from evaluations.services.forms import evaluations_setup
    from participants.tests.factories import EnrollmentFactory
    from retreat.tests.factories import CohortFactory, InstitutionFactory, ProgramFactory, UserFactory
    from sessions.models import Session
    from sessions.tests.factories import SpeakerFactory

    institution = InstitutionFactory(name=f"Pemerintah Kota Bench {participants}x{sessions}", short_name="Bench")
    program = ProgramFactory(organizer=institution, name=f"Retret {participants} peserta {sessions} sesi",
                             start_date=dt.date(2025, 5, 15), end_date=dt.date(2025, 5, 17))  # fmt: skip
    cohorts = [CohortFactory(program=program, name=f"Angkatan {n}") for n in (1, 2)]
    enrollments = EnrollmentFactory.create_batch(participants, program=program)
    for n, enrollment in enumerate(enrollments):
        enrollment.cohort = cohorts[n % 2]
    type(enrollments[0]).objects.bulk_update(enrollments, ["cohort"])
    speakers = SpeakerFactory.create_batch(5, institution=institution)
    for n in range(sessions):
        start = dt.datetime(2025, 5, 15 + n % 3, 7 + n // 3, 0, tzinfo=program.tzinfo)
        session = Session.objects.create(program=program, kind="materi", title=f"Materi {n + 1}", starts_at=start,
                                         ends_at=start + dt.timedelta(minutes=50), counts_for_jp=True)  # fmt: skip
        session.speakers.add(speakers[n % len(speakers)])
    evaluations_setup(program=program)
    questions = {}
    for question in Question.objects.filter(questionnaire__program=program).order_by("pk"):
        questions.setdefault(question.questionnaire_id, []).append(question)
    assessor = UserFactory(username=f"pendamping.bench{participants}")
    for form in Form.objects.filter(program=program).select_related("questionnaire"):
        if form.questionnaire.kind == QuestionnaireKind.ASSESSMENT:
            rows = [Response(form=form, assessor=assessor, subject=e) for e in enrollments]
        else:
            rows = [Response(form=form, enrollment=e) for e in enrollments]
        Response.objects.bulk_create(rows, batch_size=500)
        answers = []
        for n, response in enumerate(Response.objects.filter(form=form).order_by("pk")):
            for question in questions[form.questionnaire_id]:
                number = {
                    QuestionKind.SCALE: 1 + (n * 7 + question.pk) % question.scale_max,
                    QuestionKind.SCORE: 55 + (n * 13 + question.pk) % 45,
                    QuestionKind.SINGLE: (n + question.pk) % max(1, len(question.choices)),
                }.get(question.kind)
                text = "" if number is not None else f"Catatan peserta nomor {n} tentang {form}."
                answers.append(Answer(response=response, question=question, number=number, text=text))
        Answer.objects.bulk_create(answers, batch_size=2000)
    return program


def measure(client, url, runs: int = 3) -> tuple[float, int, int]:
    """Median seconds, queries and bytes of a GET."""
    from django.db import connection, reset_queries

    client.get(url)  # warm
    times = []
    for _ in range(runs):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        queries = len(connection.queries)
    assert response.status_code == 200, response.status_code
    return statistics.median(times), queries, len(response.content)


PAGE_TARGET_SECONDS = 1.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    tmp = django_on_temp_database()
    try:
        run(args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args):
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    connection.force_debug_cursor = True
    from evaluations.models import Answer, Form
    from evaluations.selectors.results import program_results
    from retreat.enums import Role
    from retreat.tests.factories import MembershipFactory

    started = time.perf_counter()
    program = build(args.participants, args.sessions)
    small = build(5, 2)
    print(f"built {args.participants} × {args.sessions} (and 5 × 2) in {time.perf_counter() - started:.1f} s: "
          f"{Answer.objects.filter(response__form__program=program).count():,} answers")  # fmt: skip
    user = MembershipFactory(institution=program.organizer, role=Role.ORGANIZER).user
    MembershipFactory(institution=small.organizer, role=Role.ORGANIZER, user=user)
    client = Client()
    client.force_login(user)

    times = []
    for _ in range(3):
        reset_queries()
        started = time.perf_counter()
        program_results(program)
        times.append(time.perf_counter() - started)
    print(f"{'what':<34} {'seconds':>8} {'queries':>8} {'KB':>7}")
    print(f"{'selectors (program_results)':<34} {statistics.median(times):>8.3f} {len(connection.queries):>8}")

    def url(name, p, **kwargs):
        return reverse(f"evaluations:{name}", kwargs={"program_pk": p.pk, **kwargs})

    form = Form.objects.filter(program=program, session__isnull=False).first()
    rows = [
        ("results page", url("results", program)),
        ("one speaker session's page", url("speaker_result", program, form_pk=form.pk)),
        ("XLSX export (every table)", url("results_xlsx", program)),
    ]
    figures, timings = {}, {}
    for label, address in rows:
        seconds, queries, size = measure(client, address)
        figures[label], timings[label] = queries, seconds
        print(f"{label:<34} {seconds:>8.3f} {queries:>8} {size / 1024:>7.0f}")
    _seconds, small_queries, _size = measure(client, url("results", small))
    big = figures["results page"]
    print(f"results page queries: {big} at {args.participants} × {args.sessions}, {small_queries} at 5 × 2 "
          f"(ratio {big / small_queries:.2f}; 1.00 = does not grow)")  # fmt: skip
    # An organizer opening the page on the venue's laptop should not wait: under a second at full size.
    print(f"results page time: {timings['results page']:.2f} s (target {PAGE_TARGET_SECONDS:.0f} s: "
          f"ratio {timings['results page'] / PAGE_TARGET_SECONDS:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
