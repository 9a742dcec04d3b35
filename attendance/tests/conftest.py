import datetime as dt

import pytest

from participants import services as participant_services
from participants.tests.factories import EnrollmentFactory
from sessions.models import Session


def at(program, day: int, hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(program.start_date + dt.timedelta(days=day - 1), dt.time(hours, minutes),
                               tzinfo=program.tzinfo)  # fmt: skip


@pytest.fixture
def session(program):
    """A mandatory morning session on the program's second day, for the whole program."""
    return Session.objects.create(program=program, kind="materi", title="Kepemimpinan Pancasila",
                                  starts_at=at(program, 2, "08:00"), ends_at=at(program, 2, "10:00"),
                                  counts_for_jp=True)  # fmt: skip


@pytest.fixture
def people(program):
    """Three participants with personal links."""
    return [
        participant_services.access_link_issue(enrollment=e) for e in EnrollmentFactory.create_batch(3, program=program)
    ]
