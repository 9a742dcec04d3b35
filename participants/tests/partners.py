"""The partnership the registry tests are built on: Pemkot Malang organizes a retreat that Pemkot Batu
partners, an earlier one Batu partnered too, and one of Malang's own, with an organizer of each."""

from retreat.enums import Role
from retreat.tests.factories import InstitutionFactory, MembershipFactory, ProgramFactory, UserFactory


def malang_and_batu() -> dict:
    malang = InstitutionFactory(name="Pemerintah Kota Malang", short_name="Pemkot Malang")
    batu = InstitutionFactory(name="Pemerintah Kota Batu", short_name="Pemkot Batu")
    return {
        "malang": malang,
        "batu": batu,
        "program": ProgramFactory(organizer=malang, partner=batu, name="Retret Bersama Malang-Batu"),
        "earlier": ProgramFactory(organizer=malang, partner=batu, name="Retret Bersama 2024"),
        "own": ProgramFactory(organizer=malang, name="Retret Internal Malang"),
        "organizer": MembershipFactory(user=UserFactory(username="panitia.malang"), institution=malang,
                                       role=Role.ORGANIZER).user,
        "partner": MembershipFactory(user=UserFactory(username="panitia.batu"), institution=batu,
                                     role=Role.ORGANIZER).user,
    }  # fmt: skip


def client_as(client, user, settings):
    """``client`` logged in as ``user``, reading the pages in English."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
