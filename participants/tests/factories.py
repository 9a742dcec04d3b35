import datetime as dt

import factory

from participants.enums import ParticipantType, RetreatRole, Sex
from participants.models import Enrollment, Participant, Room
from retreat.tests.factories import InstitutionFactory, ProgramFactory


def valid_nip(n: int, sex: str = Sex.MALE) -> str:
    """A NIP that obeys every rule: birth date, TMT CPNS 25 years later, sex digit, sequence."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=97 * n % 7000)
    tmt_year, tmt_month = birth.year + 25, birth.month
    sex_digit = "1" if sex == Sex.MALE else "2"
    return f"{birth:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{sex_digit}{n % 999 + 1:03d}"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    institution = factory.SubFactory(InstitutionFactory)
    participant_type = ParticipantType.PNS
    sex = Sex.MALE
    nip = factory.Sequence(lambda n: valid_nip(n))
    name = factory.Faker("name", locale="id_ID")
    position_title = "Kepala Dinas"
    unit_name = factory.Sequence(lambda n: f"Dinas Uji {n}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    program = factory.SubFactory(ProgramFactory)
    participant = factory.SubFactory(ParticipantFactory, institution=factory.SelfAttribute("..program.organizer"))
    role = RetreatRole.KEPALA_PD

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        """``room="B-07"`` puts the person in the program's room of that number (made if missing)."""
        if isinstance(kwargs.get("room"), str):
            label = kwargs["room"]
            kwargs["room"] = (
                Room.objects.get_or_create(
                    program=kwargs["program"], building="", number=label, defaults={"capacity": 4}
                )[0]
                if label
                else None
            )
        return kwargs


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    program = factory.SubFactory(ProgramFactory)
    building = "Wisma A"
    number = factory.Sequence(lambda n: f"{n + 101}")
    capacity = 2
    sex = Sex.MALE
