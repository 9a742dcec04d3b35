"""Fixtures for the participant import tests.

Named apart from the shared ``institution``/``program`` fixtures on purpose: a fixture here with the same name
would silently replace the shared one for every test in this folder.
"""

from pathlib import Path

import pytest

from retreat.tests.factories import InstitutionFactory, ProgramFactory

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def import_program(db):
    """A program of Pemkot Malang to import into."""
    malang = InstitutionFactory(name="Pemerintah Kota Malang (impor)", short_name="Pemkot Malang")
    return ProgramFactory(organizer=malang, name="Pelatihan Leadership dan Penguatan Teamwork Building")


@pytest.fixture
def foreign_program(db):
    """A program of another institution, whose registry an import must never touch."""
    magelang = InstitutionFactory(name="Pemerintah Kota Magelang (impor)", short_name="Pemkot Magelang")
    return ProgramFactory(organizer=magelang, name="Mandala Magelang Strategic Learning")


@pytest.fixture
def data_file():
    """The bytes of a committed test file in participants/tests/data/."""
    return lambda name: (DATA / name).read_bytes()
