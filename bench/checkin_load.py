"""Latency of the attendance check-in endpoint under concurrent facilitators' phones.

Like schedule_load.py: a fresh PostgreSQL database ``retret_bench`` with the demo retreats, gunicorn in
production mode on 127.0.0.1, and a second process whose N threads (one keep-alive connection each, all
logged in as the Malang facilitator) post check-ins for T seconds: each request one check-in with its
own id, for the participants of one session in turn (new records first, then repeats and the latest-wins
path). Two runs in one: phones at a door (each checks in one person about every --pause seconds, 0.5 s
by default, not in step with the others: 40 check-ins a second for 20 phones, faster than people walk
through a door), which the target is about, then every phone as fast as the server answers (capacity).
Prints throughput, latency percentiles and errors with the ratio to the target (p95 50 ms, 0 errors).
Asserts nothing; gunicorn is stopped and the database dropped at the end.

    .venv/bin/python bench/checkin_load.py [--clients 20] [--seconds 15] [--workers 4] [--threads 1]
"""

import argparse
import collections
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from schedule_load import (
    DB_NAME,
    HOST,
    P95_TARGET_MS,
    ROOT,
    admin_sql,
    clean_up,
    manage,
    percentile,
    production_env,
    start_gunicorn,
)

SETUP_CODE = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string
from participants.models import Enrollment
from sessions.models import Session
user = get_user_model().objects.get(username="pendamping.malang")
store = SessionStore()
store["_auth_user_id"] = str(user.pk)
store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
store["_auth_user_hash"] = user.get_session_auth_hash()
store.create()
session = Session.objects.filter(program__organizer__short_name="Pemkot Malang", cohorts__isnull=True,
                                 groups__isnull=True).order_by("starts_at").first()
ids = list(Enrollment.objects.filter(program=session.program).values_list("pk", flat=True))
print("BENCH=" + __import__("json").dumps({"cookie": store.session_key, "csrf": _get_new_csrf_string(),
      "path": f"/program/{session.program_id}/presensi/sesi/{session.pk}/kirim/", "ids": ids,
      "session": session.title}))
"""


def load_worker(args) -> None:
    setup = json.loads(args.setup)
    headers = {
        "Content-Type": "application/json",
        "Cookie": f"sessionid={setup['cookie']}; csrftoken={setup['csrf']}",
        "X-CSRFToken": setup["csrf"],
        "Referer": f"http://{HOST}:{args.port}/",
    }
    samples, errors, lock = [], collections.Counter(), threading.Lock()
    barrier = threading.Barrier(args.clients + 1)
    state = {}
    counter = iter(range(10**9))

    def client():
        conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
        mine, my_errors = [], collections.Counter()
        pace = random.Random()
        barrier.wait()
        if args.pause:  # phones are not in step: each starts at its own moment
            time.sleep(pace.uniform(0, args.pause))
        while time.perf_counter() < state["deadline"]:
            n = next(counter)
            now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
            event = {"id": str(uuid.uuid4()), "enrollment": setup["ids"][n % len(setup["ids"])],
                     "status": "hadir", "occurred_at": now}  # fmt: skip
            t0 = time.perf_counter()
            try:
                conn.request("POST", setup["path"], body=json.dumps({"events": [event]}), headers=headers)
                response = conn.getresponse()
                body = response.read()
                status = response.status
                if status == 200 and json.loads(body)["results"][0]["outcome"] == "refused":
                    my_errors["refused: " + json.loads(body)["results"][0]["message"][:80]] += 1
                if response.will_close:
                    conn.close()
            except Exception as exc:  # every failure counts as an error
                status = 0
                my_errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
                conn.close()
            mine.append(time.perf_counter() - t0)
            if status not in (200, 0):
                my_errors[f"HTTP {status}"] += 1
            if args.pause:  # about one person every --pause seconds, a little irregular
                time.sleep(max(0.0, pace.uniform(0.5, 1.5) * args.pause - (time.perf_counter() - t0)))
        conn.close()
        with lock:
            samples.extend(mine)
            errors.update(my_errors)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    state["start"] = time.perf_counter()
    state["deadline"] = state["start"] + args.seconds
    barrier.wait()
    for thread in threads:
        thread.join(args.seconds + 40)
    json.dump({"samples": samples, "errors": dict(errors), "wall": time.perf_counter() - state["start"]}, sys.stdout)


def run(args) -> None:
    base_url = os.environ.get("PG_URL_BASE", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    tmp = Path(tempfile.mkdtemp(prefix="retret-bench-checkin-"))
    env = production_env(base_url, tmp)
    gunicorn = loader = None
    created = False
    try:
        admin_sql(base_url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", f"CREATE DATABASE {DB_NAME}")
        created = True
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo", "--quiet-logins", "--force")
        out = manage(env, "shell", "-v", "0", "-c", SETUP_CODE)
        setup = next(line.split("=", 1)[1] for line in out.splitlines() if line.startswith("BENCH="))
        info = json.loads(setup)
        print(f"check-ins for “{info['session']}”: {len(info['ids'])} participants, as pendamping.malang")
        gunicorn, port = start_gunicorn(env, tmp, workers=args.workers, threads=args.threads)
        for pause, what in ((args.pause, f"one check-in every {args.pause:g} s per phone"), (0, "as fast as possible")):
            print(f"\nload: {args.clients} phones, {what}, for {args.seconds:g} s …", flush=True)
            loader = subprocess.Popen(
                [sys.executable, __file__, "--load-worker", "--port", str(port), "--clients", str(args.clients),
                 "--seconds", str(args.seconds), "--pause", str(pause), "--setup", setup],
                cwd=ROOT, stdout=subprocess.PIPE,
            )  # fmt: skip
            out, _ = loader.communicate(timeout=args.seconds + 120)
            report(json.loads(out))
    finally:
        clean_up(base_url, tmp, loader=loader, gunicorn=gunicorn, created=created)


def report(result: dict) -> None:
    latencies = sorted(result["samples"])
    count = len(latencies)
    p50, p95, p99 = (percentile(latencies, p) * 1000 for p in (50, 95, 99))
    print(f"requests: {count} in {result['wall']:.1f} s = {count / result['wall']:.0f} check-ins/s")
    print(f"latency: median {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max {latencies[-1] * 1000:.0f} ms")
    print(f"p95 / target {P95_TARGET_MS} ms: {p95 / P95_TARGET_MS:.2f}")
    errors = sum(result["errors"].values())
    print(f"errors: {errors}" + "".join(f"\n  {n} × {e}" for e, n in result["errors"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between one phone's check-ins")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (2 per core, as deployed)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--load-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_worker:
        load_worker(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
