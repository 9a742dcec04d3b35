"""Seconds and peak memory to render the ~100-participant list PDF of the Malang demo retreat.

Runs on its own SQLite database in a temporary folder (or DATABASE_URL if set), seeds the demo data,
then renders the participant list: once cold (fonts, stylesheet and WeasyPrint's import), then N warm
times as a worker process does. Prints figures and ratios; asserts nothing.

    .venv/bin/python bench/participant_list_pdf.py [--runs 10]
"""

import argparse
import io
import resource
import statistics
import time
import tracemalloc

from setup import django_on_temp_database


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    django_on_temp_database()

    from demo.seeding import seed_demo
    from participants.documents import PARTICIPANT_LIST, participant_list
    from retreat.models import DocumentJob, Program
    from retreat.pdf import render_pdf

    seed_demo()
    program = Program.objects.get(organizer__short_name="Pemkot Malang")
    job = DocumentJob(program=program, kind=PARTICIPANT_LIST)

    def render() -> bytes:
        document = participant_list(job)
        return render_pdf(document.template, document.context)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    pdf = render()
    cold = time.perf_counter() - start
    rss_after_cold = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    rows = program.enrollments.count()

    warm = []
    for _ in range(args.runs):
        start = time.perf_counter()
        render()
        warm.append(time.perf_counter() - start)
    tracemalloc.start()  # one more render, traced (tracing slows it, so it is not timed)
    render()
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    median = statistics.median(warm)
    print(f"participant list PDF: {rows} participants, {pages} pages, {len(pdf) / 1024:.0f} KB")
    print(f"cold render (first in process): {cold:.2f} s")
    print(f"warm render, {args.runs} runs: median {median:.3f} s, min {min(warm):.3f} s, max {max(warm):.3f} s")
    print(f"per page (warm median): {median / pages * 1000:.0f} ms; per participant: {median / rows * 1000:.1f} ms")
    print(f"cold / warm ratio: {cold / median:.1f}x")
    print(f"peak RSS: {rss_end:.0f} MB (before first render {rss_before:.0f} MB, after it {rss_after_cold:.0f} MB)")
    print(f"RSS growth over {args.runs} warm renders: {rss_end - rss_after_cold:.1f} MB")
    print(f"peak Python allocations during one warm render (tracemalloc): {python_peak / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
