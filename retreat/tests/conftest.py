import pytest

from participants.tests.factories import EnrollmentFactory
from retreat.enums import Role
from retreat.tests.factories import InstitutionFactory, MembershipFactory, ProgramFactory, UserFactory


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
