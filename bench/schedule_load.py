"""Requests per second, latency and transferred size of the participant's schedule page (/p/<token>/) under load.

Creates a fresh PostgreSQL database ``retret_bench`` (base URL from PG_URL_BASE, default
postgres://postgres@127.0.0.1:5432), migrates it and seeds the demo data, runs ``collectstatic`` and serves
the app with gunicorn in production mode (DEBUG=false, whitenoise, no Redis) on a free port of 127.0.0.1.
A second process (this script with --load-worker) then opens N keep-alive HTTP/1.1 connections, one per
thread, and requests one Malang participant's page for T seconds. Prints throughput, latency percentiles,
errors and the page's transferred size (HTML and the static files it references), with ratios to the
targets (p95 50 ms, 0 errors, 30 KB on a repeat visit). Asserts nothing. Gunicorn is stopped and the
database dropped at the end, whatever happens.

    .venv/bin/python bench/schedule_load.py [--clients 20] [--seconds 20] [--workers 2] [--threads 4]
"""

import argparse
import collections
import gzip
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "retret_bench"
HOST = "127.0.0.1"
P95_TARGET_MS = 50
REPEAT_VISIT_TARGET_KB = 30
KB = 1024

TOKEN_CODE = """
from participants.models import Enrollment
from sessions.models import Session
qs = Enrollment.objects.filter(program__organizer__short_name="Pemkot Malang", access_token__isnull=False)
e = qs.select_related("program").order_by("order", "pk").first()
print("BENCH_TOKEN=" + e.access_token)
print("BENCH_INFO=" + str(qs.count()) + " Malang enrollments with a link, "
      + str(Session.objects.filter(program=e.program).count()) + " sessions in " + e.program.name)
"""


# --- Load generator (runs in its own process) ---------------------------------------------------------


def load_worker(args) -> None:
    """N threads, each with one keep-alive connection, request the path until the deadline or the cap.
    Writes the samples as JSON on stdout: [start offset s, latency s, status (0 = exception)]."""
    per_client_cap = max(1, args.max_requests // args.clients)
    samples: list[list] = []
    firsts: list[float] = []
    errors: collections.Counter = collections.Counter()
    reconnects = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(args.clients + 1)
    headers = {"Accept-Encoding": "gzip", "User-Agent": "retret-bench/1"}
    state = {}

    def client():
        conn = http.client.HTTPConnection(HOST, args.port, timeout=args.request_timeout)
        mine, my_errors, my_reconnects = [], collections.Counter(), 0
        barrier.wait()
        start, deadline = state["start"], state["deadline"]
        while len(mine) < per_client_cap:
            t0 = time.perf_counter()
            if t0 >= deadline:
                break
            try:
                conn.request("GET", args.path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.will_close:  # the server ended the keep-alive connection; reopen on next request
                    my_reconnects += 1
                    conn.close()
            except Exception as exc:  # every failure counts as an error
                status = 0
                my_errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
                conn.close()
                my_reconnects += 1
            mine.append([t0 - start, time.perf_counter() - t0, status])
            if status != 200 and status != 0:
                my_errors[f"HTTP {status}"] += 1
        conn.close()
        with lock:
            samples.extend(mine)
            if mine:
                firsts.append(mine[0][1])
            errors.update(my_errors)
            reconnects[0] += my_reconnects

    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    cpu_before = os.times()
    state["start"] = time.perf_counter()
    state["deadline"] = state["start"] + args.seconds
    barrier.wait()
    for thread in threads:
        thread.join(args.seconds + args.request_timeout + 5)
    wall = time.perf_counter() - state["start"]
    cpu_after = os.times()
    cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    result = {
        "samples": samples,
        "firsts": firsts,
        "errors": dict(errors),
        "reconnects": reconnects[0],
        "wall": wall,
        "cpu": cpu,
        "stuck_threads": sum(t.is_alive() for t in threads),
    }
    json.dump(result, sys.stdout)


# --- Helpers for the parent process -------------------------------------------------------------------


class AssetParser(HTMLParser):
    """<link href>, <script src> and <img src> of a page, in order."""

    def __init__(self):
        super().__init__()
        self.assets: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            self.assets.append((f"link rel={attrs.get('rel', '')}", attrs["href"]))
        elif tag in ("script", "img") and attrs.get("src"):
            self.assets.append((tag, attrs["src"]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, accept_encoding: str, timeout: float = 30) -> tuple[int, dict, bytes, float]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        start = time.perf_counter()
        conn.request("GET", path, headers={"Accept-Encoding": accept_encoding})
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body, elapsed
    finally:
        conn.close()


def decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


def admin_sql(base_url: str, *statements: str) -> None:
    """Runs statements on the maintenance database, then closes the connection at once."""
    import psycopg2

    conn = psycopg2.connect(f"{base_url}/postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


def manage(env: dict, *command: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {command[0]} failed (exit {result.returncode})")
    return result.stdout


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (all its threads), from /proc; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(gunicorn_pid: int) -> dict:
    """CPU used so far by the machine (busy, total jiffies), gunicorn (master and workers) and the PostgreSQL
    backends serving the bench database (their process title names it)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        machine = (sum(fields) - idle, sum(fields))
    except OSError:
        machine = (0, 0)
    try:
        workers = [int(x) for x in Path(f"/proc/{gunicorn_pid}/task/{gunicorn_pid}/children").read_text().split()]
    except OSError:
        workers = []
    backends = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres:") and DB_NAME.encode() in title:
                backends[entry.name] = process_cpu(int(entry.name))
    gunicorn = sum(process_cpu(pid) for pid in [gunicorn_pid, *workers])
    return {"machine": machine, "gunicorn": gunicorn, "postgres": backends}


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def stop(proc: subprocess.Popen | None, name: str, grace: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.terminate()
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop within {grace:.0f} s; killing it", file=sys.stderr)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # its own session, started by us
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.wait(5)


def start_gunicorn(env: dict, tmp: Path, *, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    """collectstatic, then gunicorn on a free port of 127.0.0.1, waiting until /healthz/ answers."""
    started = time.perf_counter()
    manage(env, "collectstatic", "--noinput", "-v", "0")
    print(f"collectstatic: {time.perf_counter() - started:.1f} s")
    port = free_port()
    log_path = tmp / "gunicorn.log"
    command = [
        sys.executable, "-m", "gunicorn", "retreat.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "--threads", str(threads),
        "--log-level", "warning", "--error-logfile", str(log_path),
    ]  # fmt: skip
    with open(log_path, "ab") as log:
        gunicorn = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    started = time.perf_counter()
    while True:
        if gunicorn.poll() is not None:
            print(log_path.read_text()[-3000:], file=sys.stderr)
            raise SystemExit(f"gunicorn exited with {gunicorn.returncode}")
        try:
            status, _, _, _ = fetch(port, "/healthz/", "identity", timeout=2)
            if status == 200:
                break
        except OSError:
            pass
        if time.perf_counter() - started > 60:
            raise SystemExit("gunicorn did not answer /healthz/ within 60 s")
        time.sleep(0.2)
    kind = "gthread" if threads > 1 else "sync"
    print(
        f"gunicorn {HOST}:{port}: --workers {workers} --threads {threads} ({kind} workers), "
        f"answering after {time.perf_counter() - started:.1f} s; {os.cpu_count()} CPU cores on this machine"
    )
    return gunicorn, port


def clean_up(base_url: str, tmp: Path, *, loader, gunicorn, created: bool) -> None:
    """Whatever happened: stop the load generator and gunicorn, drop the bench database, remove tmp."""
    stop(loader, "load generator", grace=5)
    stop(gunicorn, "gunicorn")
    if created:
        try:
            admin_sql(base_url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            print(f"\ngunicorn stopped, database {DB_NAME} dropped")
        except Exception as exc:  # report and go on
            print(f"could not drop {DB_NAME}: {exc}", file=sys.stderr)
    shutil.rmtree(tmp, ignore_errors=True)


def production_env(base_url: str, tmp: Path) -> dict:
    """The environment of the app in production mode on the bench database (no Redis)."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="retreat.settings",
        DATABASE_URL=f"{base_url}/{DB_NAME}",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        MEDIA_ROOT=str(tmp / "media"),
        PYTHONUNBUFFERED="1",
    )
    return env


def raise_interrupt(signum, frame):
    raise KeyboardInterrupt


# --- The benchmark ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent keep-alive connections (threads)")
    parser.add_argument("--seconds", type=float, default=20, help="length of the load")
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn worker processes (2 per core, as in docker-compose.yml)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="gunicorn threads per worker (1 = sync workers; more = gthread)"
    )
    parser.add_argument("--max-requests", type=int, default=500_000, help="cap on requests in all")
    parser.add_argument("--request-timeout", type=float, default=10, help="seconds before one request fails")
    parser.add_argument("--load-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_worker:
        try:
            load_worker(args)
        except KeyboardInterrupt:
            raise SystemExit(130)  # the parent reports and cleans up
        return
    signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        run(args)
    except KeyboardInterrupt:
        print("\ninterrupted; cleaned up", file=sys.stderr)
        raise SystemExit(130)


def run(args) -> None:
    base_url = os.environ.get("PG_URL_BASE", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    tmp = Path(tempfile.mkdtemp(prefix="retret-bench-load-"))
    env = production_env(base_url, tmp)
    gunicorn = loader = None
    created = False
    try:
        # 1. Database, demo data, one Malang participant's link.
        admin_sql(base_url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", f"CREATE DATABASE {DB_NAME}")
        created = True
        started = time.perf_counter()
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")  # the seed makes certificates (emblem)
        seeded = manage(env, "seed_demo", "--quiet-logins", "--force")
        out = manage(env, "shell", "-v", "0", "-c", TOKEN_CODE)
        lines = dict(line.split("=", 1) for line in out.splitlines() if line.startswith("BENCH_"))
        token = lines["BENCH_TOKEN"]
        path = f"/p/{token}/"
        print(f"database {DB_NAME}: migrated and seeded in {time.perf_counter() - started:.1f} s")
        for line in seeded.splitlines():
            print(f"  {line.strip()}")
        print(f"  {lines.get('BENCH_INFO', '')}; page /p/{token[:6]}…/")

        # 2. Static files and gunicorn.
        gunicorn, port = start_gunicorn(env, tmp, workers=args.workers, threads=args.threads)

        # 3. First requests and the transferred size (from this process, before the load).
        firsts = []
        for _ in range(3):
            status, headers, body, elapsed = fetch(port, path, "gzip")
            firsts.append(f"{elapsed * 1000:.0f} ms ({status})")
        print(f"first page requests after start: {', '.join(firsts)}")
        if status != 200:
            print(body[:2000].decode(errors="replace"), file=sys.stderr)
            raise SystemExit(f"the page answered {status}")
        report_size(port, token, headers, body)

        # 4. The load, from another process.
        print(f"\nload: {args.clients} clients (threads, keep-alive HTTP/1.1) for {args.seconds:g} s …", flush=True)
        cpu_before = cpu_snapshot(gunicorn.pid)
        loader = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--load-worker",
                "--port",
                str(port),
                "--path",
                path,
                "--clients",
                str(args.clients),
                "--seconds",
                str(args.seconds),
                "--max-requests",
                str(args.max_requests),
                "--request-timeout",
                str(args.request_timeout),
            ],  # fmt: skip
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        out, _ = loader.communicate(timeout=args.seconds + args.request_timeout + 60)
        cpu_after = cpu_snapshot(gunicorn.pid)
        if loader.returncode != 0:
            raise SystemExit(f"the load generator exited with {loader.returncode}")
        report_load(json.loads(out), args, cpu_before, cpu_after)
        gunicorn_log = (tmp / "gunicorn.log").read_text().strip()
        if gunicorn_log:
            print(f"\ngunicorn log (last lines):\n{gunicorn_log[-2000:]}")
    finally:
        # 5. Always: stop the load generator and gunicorn, drop the database.
        clean_up(base_url, tmp, loader=loader, gunicorn=gunicorn, created=created)


def report_size(port: int, token: str, headers: dict, body: bytes) -> None:
    encoding = headers.get("content-encoding", "")
    raw = decoded(body, encoding)
    html = raw.decode()
    sessions = html.count('class="card mb-2 session"')
    days = html.count('class="day-panel')
    print(f"\npage content: {sessions} session cards over {days} day panels", end="")
    print(' — the schedule is NOT on the page ("not published")' if "day-panel" not in html else "")
    if encoding == "gzip":
        html_size = len(body)
        how = "gzip, as sent by the server"
    else:
        html_size = len(gzip.compress(raw, compresslevel=6, mtime=0))
        how = f"gzip level 6 compressed locally: the server sent it {encoding or 'uncompressed'}"
    print(f"HTML: {len(raw):,} B raw, {html_size:,} B compressed ({how})")
    print(f"  Content-Length sent: {len(body):,} B; Cache-Control: {headers.get('cache-control', '—')}")

    parser = AssetParser()
    parser.feed(html)
    static_total = 0
    print("static files referenced (link href, script src, img src), fetched once with Accept-Encoding: br, gzip:")
    print(f"  {'file':<58} {'encoding':>8} {'sent B':>9} {'raw B':>9}  Cache-Control")
    others = []
    for kind, url in parser.assets:
        if not url.startswith("/static/"):
            others.append(f"{kind} {url.replace(token, token[:6] + '…')}")
            continue
        status, asset_headers, asset_body, _ = fetch(port, url, "br, gzip")
        asset_encoding = asset_headers.get("content-encoding", "")
        asset_raw = decoded(asset_body, asset_encoding)
        static_total += len(asset_body)
        name = url.removeprefix("/static/")
        print(
            f"  {name:<58} {asset_encoding or 'none':>8} {len(asset_body):>9,} {len(asset_raw):>9,}  "
            f"{asset_headers.get('cache-control', '—')}" + ("" if status == 200 else f"  HTTP {status}!")
        )
    for other in others:
        print(f"  not a static file, not counted: {other}")
    first = html_size + static_total
    print(f"first visit (HTML + static, compressed): {first:,} B = {first / KB:.1f} KB")
    print(
        f"repeat visit, static cached (HTML only): {html_size:,} B = {html_size / KB:.1f} KB; "
        f"ratio to the {REPEAT_VISIT_TARGET_KB} KB target: {html_size / (REPEAT_VISIT_TARGET_KB * KB):.2f}"
    )
    print(f"  (first visit / {REPEAT_VISIT_TARGET_KB} KB: {first / (REPEAT_VISIT_TARGET_KB * KB):.2f})")


def report_load(result: dict, args, cpu_before: dict, cpu_after: dict) -> None:
    samples = result["samples"]
    ok = sorted(latency * 1000 for _, latency, status in samples if status == 200)
    all_ms = sorted(latency * 1000 for _, latency, _ in samples)
    errors = sum(1 for _, _, status in samples if status != 200)
    statuses = collections.Counter(status for _, _, status in samples)
    wall = result["wall"]
    p50, p95, p99 = (percentile(all_ms, p) for p in (50, 95, 99))
    print(f"requests: {len(samples):,} in {wall:.1f} s = {len(samples) / wall:.0f} requests/s")
    by_status = ", ".join(f"{status or 'exception'}: {count:,}" for status, count in sorted(statuses.items()))
    print(f"  statuses: {by_status}")
    print(
        f"latency (all requests): median {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, "
        f"max {all_ms[-1] if all_ms else float('nan'):.1f} ms, mean {statistics.fmean(all_ms):.1f} ms"
    )
    if errors and ok:
        print(f"latency (200 only): median {percentile(ok, 50):.1f} ms, p95 {percentile(ok, 95):.1f} ms")
    print(f"p95 / {P95_TARGET_MS} ms target: {p95 / P95_TARGET_MS:.2f}")
    print(f"errors (non-200 or exceptions): {errors} — target 0: {'met' if errors == 0 else 'NOT met'}")
    for message, count in sorted(result["errors"].items(), key=lambda item: -item[1])[:5]:
        print(f"  {count:,} × {message}")
    print(f"connections reopened (server close or error): {result['reconnects']}", end="")
    print(f"; threads still running at the end: {result['stuck_threads']}" if result["stuck_threads"] else "")

    # Warm-up and steadiness.
    first_of_client = sorted(latency * 1000 for latency in result["firsts"])
    early = sorted(latency * 1000 for offset, latency, _ in samples if offset < 1)
    late = sorted(latency * 1000 for offset, latency, _ in samples if offset >= 1)
    if early and late:
        print(
            f"first second: {len(early)} requests, median {percentile(early, 50):.1f} ms, p95 "
            f"{percentile(early, 95):.1f} ms; after it: median {percentile(late, 50):.1f} ms, "
            f"p95 {percentile(late, 95):.1f} ms"
        )
    if first_of_client:
        print(
            f"the clients' first requests: median {percentile(first_of_client, 50):.0f} ms, "
            f"max {first_of_client[-1]:.0f} ms"
        )
    per_second = collections.Counter(int(offset) for offset, _, _ in samples)
    seconds = int(min(args.seconds, wall))
    print(f"requests per second, second by second: {' '.join(str(per_second.get(s, 0)) for s in range(seconds))}")

    busy = cpu_after["machine"][0] - cpu_before["machine"][0]
    total = cpu_after["machine"][1] - cpu_before["machine"][1]
    cores = os.cpu_count() or 1
    if total:
        print(f"machine CPU busy during the load: {busy / total * 100:.0f}% of {cores} cores (every process on it)")
    gunicorn = cpu_after["gunicorn"] - cpu_before["gunicorn"]
    postgres = sum(seconds - cpu_before["postgres"].get(pid, 0.0) for pid, seconds in cpu_after["postgres"].items())
    per_request = 1000 / len(samples) if samples else float("nan")
    print(
        f"CPU during the load: gunicorn {gunicorn:.1f} s ({gunicorn * per_request:.1f} ms a request), "
        f"PostgreSQL backends ({len(cpu_after['postgres'])}) {postgres:.1f} s ({postgres * per_request:.1f} ms a "
        f"request), load generator {result['cpu']:.1f} s; {cores} cores × {wall:.1f} s = {cores * wall:.1f} s"
    )


if __name__ == "__main__":
    main()
