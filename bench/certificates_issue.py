"""Certificates for a program of 500 participants, end to end through a real Celery worker (prefork, its job
laying out on two processes): numbering, one PDF per participant (the shared page laid out once, the person
layers in chunks drawn over it with pikepdf), storage and the ZIP, timed from the request to the finished
job. Also, in the same run: the same making in this process on one and on two processes, and the naive rate
(a whole certificate laid out per person with fresh fonts and stylesheet each time) as the reference.
Prints certificates a second, peak RSS of every worker process, the mean file size and the ratios.

On its own database in a temporary folder (SQLite, or DATABASE_URL): the worker shares it. The worker
needs Redis: REDIS_URL, or a Redis answering on 127.0.0.1:6379 (database 14 is used and emptied). Asserts
nothing.

    .venv/bin/python bench/certificates_issue.py [--participants 500]
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

TARGET_PER_SECOND = 60  # end to end through a real worker on two processes
TARGET_RSS_MB = 400  # each worker process
TARGET_FILE_KB = 150


def redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return ""
    return url


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    args = parser.parse_args()
    url = redis_url()
    if url:
        os.environ["REDIS_URL"] = url  # this process requests the job through the same broker
    from setup import django_on_temp_database

    tmp = django_on_temp_database()
    try:
        run(args, tmp, url)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def build(participants: int, name: str):
    import datetime as dt

    from certificates.services import certificate_design_update
    from evaluations.services.completion import completion_override_set
    from participants.tests.factories import EnrollmentFactory
    from retreat.enums import Role
    from retreat.tests.factories import InstitutionFactory, MembershipFactory, ProgramFactory
    from sessions.tests.factories import SessionFactory, local_time

    lines = f"PEMERINTAH KOTA {name.upper()}\nBADAN KEPEGAWAIAN DAERAH"
    institution = InstitutionFactory(name=f"Pemerintah Kota {name}", short_name=f"Pemkot {name}",
                                     letterhead_lines=lines)  # fmt: skip
    program = ProgramFactory(organizer=institution, start_date=dt.date(2025, 5, 15), end_date=dt.date(2025, 5, 17))
    for day in (1, 2, 3):
        for hour in ("08:00", "10:00", "13:00"):
            starts = local_time(program, day, hour)
            SessionFactory(program=program, title=f"Materi hari {day} pukul {hour}", starts_at=starts,
                           ends_at=starts + dt.timedelta(minutes=90), counts_for_jp=True)  # fmt: skip
    organizer = MembershipFactory(institution=institution, role=Role.ORGANIZER).user
    certificate_design_update(program=program, user=organizer, data={
        "background": upload("latar.jpg", background()), "signature": upload("ttd.png", signature()),
        "signatory_name": "Drs. Bambang Sutrisno, M.Si.", "signatory_rank": "Pembina Utama Muda (IV/c)",
        "signatory_nip": "196805121990031004", "on_behalf": f"a.n. Wali Kota {name}",
        "signatory_position": "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"})  # fmt: skip
    for enrollment in EnrollmentFactory.create_batch(participants, program=program):
        completion_override_set(enrollment=enrollment, complete=True, reason="Lulus (bench)", user=organizer)
    return program, organizer


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def background() -> bytes:
    """A certificate background at 300 dpi: a soft gradient and a border of rings."""
    import io
    import math

    from PIL import Image, ImageDraw, ImageFilter

    width, height = 3508, 2480
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = Image.blend(Image.new("RGB", (width, height), (250, 246, 232)), image, 0.08)
    draw = ImageDraw.Draw(image)
    for n in range(0, 360, 3):
        angle = math.radians(n)
        for inset in (90, 140):
            x, y = (
                width / 2 + (width / 2 - inset) * math.cos(angle),
                height / 2 + (height / 2 - inset) * math.sin(angle),
            )
            draw.ellipse((x - 60, y - 60, x + 60, y + 60), outline=(176, 141, 60), width=3)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def signature() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (1200, 500), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(60, 380), (260, 90), (330, 400), (520, 120), (620, 360), (900, 200), (1140, 260)]
    draw.line(points, fill=(20, 40, 140, 255), width=14, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def sizes_kb(program) -> float:
    from certificates.models import Certificate

    sizes = [c.file.size for c in Certificate.objects.filter(enrollment__program=program)]
    return sum(sizes) / len(sizes) / 1024


def in_process(program, organizer, processes: int) -> float:
    from certificates.documents import certificates_make
    from certificates.services import certificates_number

    certificates_number(program=program, user=organizer)
    started = time.perf_counter()
    made = certificates_make(program, user=organizer, processes=processes)
    return len(made) / (time.perf_counter() - started)


def naive(program) -> float:
    import retreat.pdf as pdf
    from certificates.documents import certificate_pdf, shared_context
    from certificates.models import Certificate

    sample = list(
        Certificate.objects.filter(enrollment__program=program).select_related("enrollment__participant")[:10]
    )
    shared = shared_context(program)
    started = time.perf_counter()
    for certificate in sample:
        pdf._font_config.cache_clear()
        pdf._stylesheet.cache_clear()
        certificate_pdf(certificate, shared)
    return len(sample) / (time.perf_counter() - started)


class RssWatch:
    """Samples the resident memory of a process and all its descendants, keeping each one's peak."""

    def __init__(self, pid: int):
        self.pid, self.peaks, self._stop = pid, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            children = Path(f"/proc/{pid}/task/{pid}/children")
            if children.exists():
                todo.extend(int(p) for p in children.read_text().split())
        return pids

    def _run(self):
        while not self._stop.is_set():
            for pid in self._tree():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        kb = int(line.split()[1])
                        self.peaks[pid] = max(self.peaks.get(pid, 0), kb)
            time.sleep(0.05)

    def stop(self) -> dict[int, float]:
        self._stop.set()
        self._thread.join()
        return {pid: kb / 1024 for pid, kb in self.peaks.items()}


def through_worker(program, organizer, tmp: Path, url: str) -> tuple[float, dict, float, int]:
    from django.conf import settings
    from django.db import connection

    from certificates.documents import CERTIFICATES
    from retreat import services
    from retreat.celery import app
    from retreat.enums import JobStatus

    app.conf.task_always_eager = False
    app.control.purge()
    db = connection.settings_dict
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    database = (f"sqlite:///{db['NAME']}" if connection.vendor == "sqlite" else
                f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}")  # fmt: skip
    env = {**os.environ, "DATABASE_URL": database, "MEDIA_ROOT": str(settings.MEDIA_ROOT), "REDIS_URL": url,
           "PDF_PROCESSES": "2", "CONN_MAX_AGE": "0"}  # fmt: skip
    root = Path(__file__).resolve().parent.parent
    name = f"bench-{os.getpid()}"
    log = (tmp / "worker.log").open("wb")
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "retreat", "worker", "--pool=prefork",
                               "--concurrency=1", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
                               "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "-n", f"{name}@%h"],
                              cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{name}@{os.uname().nodename}"], timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the worker did not start: {(tmp / 'worker.log').read_text()[-2000:]}")
        watch = RssWatch(worker.pid)
        connection.close()  # SQLite: let the worker write
        started = time.perf_counter()
        job = services.document_job_request(program=program, kind=CERTIFICATES, user=organizer)
        while not job.is_finished:
            time.sleep(0.1)
            job.refresh_from_db()
        elapsed = time.perf_counter() - started
        peaks = watch.stop()
        if job.status != JobStatus.DONE:
            raise SystemExit(f"the job failed: {job.error}")
        return elapsed, peaks, job.file.size / 1024 / 1024, job.progress_total
    finally:
        worker.terminate()
        worker.wait(30)


def run(args, tmp: Path, url: str):
    from django.utils import translation

    translation.activate("id")
    n = args.participants
    program, organizer = build(n, "Bench")
    print(f"{n} certificates, A4 landscape with a background JPEG, emblem, signature PNG, texts, back page and a "
          "vector QR")  # fmt: skip

    if url:
        elapsed, peaks, zip_mb, _total = through_worker(program, organizer, tmp, url)
        rate = n / elapsed
        worst = max(peaks.values())
        print(f"through a real Celery worker (prefork, PDF_PROCESSES=2), numbering, files, storage and ZIP: "
              f"{n} in {elapsed:.1f} s = {rate:.1f}/s; ZIP {zip_mb:.1f} MB")  # fmt: skip
        shown = ", ".join(f"{mb:.0f} MB" for mb in sorted(peaks.values(), reverse=True))
        print(f"  peak RSS per worker process: {shown}"
              f" (target under {TARGET_RSS_MB} MB: {'met' if worst < TARGET_RSS_MB else 'NOT met'})")  # fmt: skip
        mean = sizes_kb(program)
        print(f"  mean file {mean:.0f} KB (target about {TARGET_FILE_KB} KB or less)")
        print(f"  {rate / TARGET_PER_SECOND:.2f}× the target of {TARGET_PER_SECOND}/s")
    else:
        rate = None
        print("no Redis answered: the run through a worker is left out (set REDIS_URL)")

    for processes in (1, 2):
        other, other_organizer = build(n if processes == 2 else min(n, 200), f"Bench {processes}")
        made = in_process(other, other_organizer, processes=processes)
        print(f"in this process, laid out on {processes} process{'es' if processes > 1 else ''}: {made:.1f}/s; "
              f"mean file {sizes_kb(other):.0f} KB")  # fmt: skip
    reference = naive(program)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"naive reference (a whole certificate per person, fresh fonts and stylesheet each): {reference:.1f}/s")
    if rate:
        print(f"through the worker: {rate / reference:.1f}× the naive rate")
    print(f"this process's peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
