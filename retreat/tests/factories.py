import datetime as dt

import factory

from retreat.enums import InstitutionKind, ProgramStatus, Role
from retreat.models import Cohort, Institution, Membership, Program, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password("sandi-uji-123")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Pemerintah Kota Uji {n}")
    short_name = factory.Sequence(lambda n: f"Pemkot Uji {n}")
    kind = InstitutionKind.PEMKOT
    letterhead_lines = factory.LazyAttribute(lambda o: f"{o.name.upper()}\nBADAN KEPEGAWAIAN DAN PENGEMBANGAN SDM")
    address = "Jl. Merdeka No. 1"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Role.ORGANIZER


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    organizer = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Retret Kepemimpinan {n}")
    venue_name = "Aula Utama"
    start_date = dt.date(2025, 5, 15)
    end_date = dt.date(2025, 5, 17)
    status = ProgramStatus.PUBLISHED


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Angkatan {n + 1}")
