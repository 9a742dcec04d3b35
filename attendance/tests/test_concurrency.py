"""Fifty phones checking in one participant for one session at the same moment leave exactly one record.
Runs on PostgreSQL (real row locks and a real unique index), where CI runs it; elsewhere it skips."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from attendance import services
from attendance.enums import CheckinMethod
from attendance.models import AttendanceRecord
from attendance.tests.conftest import at
from participants.tests.factories import EnrollmentFactory
from sessions.models import Session

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_simultaneous_checkins_leave_one_record(program, organizer, require_postgresql):
    enrollment = EnrollmentFactory(program=program)
    session = Session.objects.create(program=program, kind="materi", title="Apel", starts_at=at(program, 2, "07:00"),
                                     ends_at=at(program, 2, "08:00"))  # fmt: skip
    barrier = threading.Barrier(50)
    outcomes, errors = [], []

    def check_in(n):
        try:
            barrier.wait()
            result = services.checkin_apply(session=session, enrollment=enrollment,
                                            occurred_at=at(program, 2, "07:00"), method=CheckinMethod.QR,
                                            user=organizer)  # fmt: skip
            outcomes.append(result.outcome)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check_in, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AttendanceRecord.objects.filter(session=session, enrollment=enrollment).count() == 1
    assert sorted(outcomes).count("saved") == 1
    assert outcomes.count("unchanged") == 49
    assert connection.vendor == "postgresql"


def test_closing_while_phones_check_in_loses_nothing_and_marks_the_rest_alpa(program, organizer, require_postgresql):
    people = EnrollmentFactory.create_batch(30, program=program)
    session = Session.objects.create(program=program, kind="materi", title="Apel", starts_at=at(program, 2, "07:00"),
                                     ends_at=at(program, 2, "08:00"))  # fmt: skip
    barrier = threading.Barrier(31)
    errors = []

    def check_in(enrollment):
        try:
            barrier.wait()
            services.checkin_apply(session=session, enrollment=enrollment, occurred_at=at(program, 2, "07:00"),
                                   method=CheckinMethod.QR, user=organizer)  # fmt: skip
        except ValidationError:
            pass  # the register closed first: refused, and the phone keeps it
        except Exception as exc:  # every other failure is reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def close():
        try:
            barrier.wait()
            services.register_close(session=session, user=organizer)
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check_in, args=(e,)) for e in people] + [threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    records = AttendanceRecord.objects.filter(session=session)
    assert records.count() == 30  # everyone once: present, or alpa by the closing
    assert set(records.values_list("status", flat=True)) <= {"hadir", "alpa"}
