"""The embedded SQLite database under two writers at once (a double-clicked confirm, a task beside a request):
the second waits for the first instead of failing with "database is locked"."""

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import connections, transaction

ALIAS = "sqlite_file"


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """A file SQLite database of its own, with the options the settings give SQLite (whatever the default
    database is), as a connection alias of its own."""
    options = dict(settings.SQLITE_OPTIONS)
    connections.settings[ALIAS] = connections.configure_settings(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "retret.sqlite3"),
                "OPTIONS": options,
            }
        }  # fmt: skip
    )["default"]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE confirm (step integer)")
        connections[ALIAS].close()
        yield
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def test_two_writers_at_once_both_succeed_one_after_the_other(sqlite_file):
    """Each writer reads, then writes in one transaction (a confirm checks the import's state, then writes
    rows). Started together, the second waits at BEGIN until the first commits."""
    both_read = threading.Barrier(2, timeout=1)
    errors = []

    def confirm(step: int) -> None:
        try:
            with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM confirm")
                # With the write lock taken at BEGIN, the other one is still waiting there: go on alone.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait()
                cursor.execute("INSERT INTO confirm (step) VALUES (%s)", [step])
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections[ALIAS].close()

    threads = [threading.Thread(target=confirm, args=(step,)) for step in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT step FROM confirm ORDER BY step")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]
