"""Fixtures shared by every app's tests: media in a temporary folder, Celery eager unless a test asks for
the real worker, a real Celery worker process on the test database, and Playwright on Debian's Chromium.

Tests that need PostgreSQL + Redis (marked ``worker``) or Chromium (marked ``browser``) skip where those
are missing, and fail instead when RETRET_REQUIRE_SERVICES=1 (as in CI), so CI can't pass by skipping.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent

# Fixtures of an app that the tests of a higher app use too (the portal serves evaluation forms).
pytest_plugins = ["evaluations.tests.fixtures"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("RETRET_REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    """A fast password hasher: tests create many users, and PBKDF2 is slow on purpose."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def unavailable(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}; RETRET_REQUIRE_SERVICES=1 requires this test to run.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process in every test, except where the ``celery_worker`` fixture is used."""
    from retreat.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


class WorkerProcess:
    def __init__(self, process: subprocess.Popen, media_root: Path, log: Path):
        self.process, self.media_root, self.log = process, media_root, log


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real ``celery worker`` process on the test database and Redis, for the whole session."""
    from django.conf import settings
    from django.db import connection

    if not settings.REDIS_URL:
        unavailable("REDIS_URL is not set: the real Celery worker needs Redis")
    if connection.vendor != "postgresql":
        unavailable("the real Celery worker shares the test database, which needs PostgreSQL")
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at {settings.REDIS_URL} does not answer ({exc})")

    from retreat.celery import app

    app.control.purge()
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    media_root = tmp_path_factory.mktemp("worker-media")
    log = tmp_path_factory.mktemp("worker-log") / "worker.log"
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root), "CONN_MAX_AGE": "0"}
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    # A prefork worker, as in production: its task runs in a daemonic process (see retreat.pdf).
    command = [sys.executable, "-m", "celery", "-A", "retreat", "worker", "--pool=prefork", "--concurrency=1",
               "--loglevel=INFO", "--without-gossip", "--without-mingle", "-Q", queue,
               "-n", f"test-{os.getpid()}@%h"]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"test-{os.getpid()}@{os.uname().nodename}"], timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start:\n{log.read_text()[-3000:]}", pytrace=False)
        yield WorkerProcess(process, media_root, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def celery_worker(celery_worker_process, settings):
    """Tasks go through Redis to the real worker; files land where the worker writes them.
    Use with a transactional database, so that the worker sees the test's rows."""
    from retreat.celery import app

    settings.MEDIA_ROOT = celery_worker_process.media_root
    app.conf.task_always_eager = False
    return celery_worker_process


@pytest.fixture
def require_postgresql():
    """For tests of row locks and concurrent writes: they need PostgreSQL (CI); elsewhere they skip."""
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("this test needs PostgreSQL (row locks, concurrent transactions)")


@pytest.fixture
def task_runner(request, settings):
    """The real worker where the production stack is configured (PostgreSQL + Redis), else in-process."""
    from django.db import connection

    if settings.REDIS_URL and connection.vendor == "postgresql":
        return request.getfixturevalue("celery_worker")
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],  # fmt: skip
    }


@pytest.fixture(scope="session")
def screenshot_dir():
    path = ROOT / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- Institutions, programs and people shared by every app's tests ---------------------------------
from participants.tests.factories import EnrollmentFactory  # noqa: E402
from retreat.enums import Role  # noqa: E402
from retreat.tests.factories import InstitutionFactory, MembershipFactory, ProgramFactory, UserFactory  # noqa: E402


@pytest.fixture
def institution(db):
    return InstitutionFactory(
        name="Pemerintah Kota Malang",
        short_name="Pemkot Malang",
        letterhead_lines="PEMERINTAH KOTA MALANG\nBADAN KEPEGAWAIAN DAN PENGEMBANGAN SDM",
    )


@pytest.fixture
def other_institution(db):
    return InstitutionFactory(name="Pemerintah Kota Magelang", short_name="Pemkot Magelang")


@pytest.fixture
def program(institution):
    return ProgramFactory(organizer=institution, name="Pelatihan Leadership Kota Malang")


@pytest.fixture
def other_program(other_institution):
    return ProgramFactory(organizer=other_institution, name="Mandala Magelang Strategic Learning")


def _member(institution, role, username):
    return MembershipFactory(user=UserFactory(username=username), institution=institution, role=role).user


@pytest.fixture
def organizer(institution):
    return _member(institution, Role.ORGANIZER, "panitia")


@pytest.fixture
def facilitator(institution):
    return _member(institution, Role.FACILITATOR, "pendamping")


@pytest.fixture
def leader(institution):
    return _member(institution, Role.LEADER, "pimpinan")


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


@pytest.fixture
def enrolled(program):
    return EnrollmentFactory.create_batch(3, program=program)


@pytest.fixture
def english(client, settings):
    """Messages and pages in English (the language switcher's cookie on the test client, which
    ``organizer_client`` logs in), as a test's expected texts are written."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
