import datetime as dt

import factory

from participants.models import DiscussionGroup
from retreat.tests.factories import InstitutionFactory, ProgramFactory
from sessions.enums import SessionKind, VenueKind
from sessions.models import Session, Speaker, Venue


def local_time(program, day: int, hhmm: str) -> dt.datetime:
    """An aware moment on the program's `day` (1 = its first day) at `hhmm` local time."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    date = program.start_date + dt.timedelta(days=day - 1)
    return dt.datetime.combine(date, dt.time(hour, minute), tzinfo=program.tzinfo)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Narasumber {n}")
    position = "Kepala Badan"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Ruang {n}")
    kind = VenueKind.ROOM
    capacity = None


# Lives here rather than in participants/tests/factories.py only because this change may not touch that file.
class DiscussionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscussionGroup

    program = factory.SubFactory(ProgramFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Kelompok {o.number}")


class SessionFactory(factory.django.DjangoModelFactory):
    """A one-hour lecture at 08.00 on the program's first day unless told otherwise."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    kind = SessionKind.MATERI
    title = factory.Sequence(lambda n: f"Materi {n}")
    starts_at = factory.LazyAttribute(lambda o: local_time(o.program, 1, "08:00"))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    venue = None
    moderator = None

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if create and extracted:
            self.speakers.set(extracted)

    @factory.post_generation
    def cohorts(self, create, extracted, **kwargs):
        if create and extracted:
            self.cohorts.set(extracted)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(extracted)
