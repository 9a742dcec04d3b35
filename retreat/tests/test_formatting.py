import datetime as dt

from django.utils import translation

from retreat.formatting import date_range, program_datetime, program_time, tanggal
from retreat.tests.factories import ProgramFactory


def test_program_time_uses_the_programs_zone(db):
    moment = dt.datetime(2025, 5, 16, 1, 0, tzinfo=dt.UTC)
    assert program_time(moment, ProgramFactory.build(timezone="Asia/Jakarta")) == "08.00 WIB"
    assert program_time(moment, ProgramFactory.build(timezone="Asia/Makassar")) == "09.00 WITA"
    assert program_time(moment, ProgramFactory.build(timezone="Asia/Jayapura")) == "10.00 WIT"


def test_indonesian_dates():
    with translation.override("id"):
        assert tanggal(dt.date(2025, 5, 17)) == "Sabtu, 17 Mei 2025"
        assert date_range(dt.date(2025, 5, 15), dt.date(2025, 5, 17)) == "15–17 Mei 2025"
        assert date_range(dt.date(2025, 4, 30), dt.date(2025, 5, 2)) == "30 April – 2 Mei 2025"
        assert date_range(dt.date(2025, 12, 31), dt.date(2026, 1, 2)) == "31 Desember 2025 – 2 Januari 2026"


def test_program_datetime_in_a_wita_program(db):
    moment = dt.datetime(2025, 11, 4, 16, 30, tzinfo=dt.UTC)
    with translation.override("id"):
        assert program_datetime(moment, ProgramFactory.build(timezone="Asia/Makassar")) == "5 November 2025 00.30 WITA"


def test_names_of_users_are_their_full_names_never_their_logins():
    from retreat.models import User
    from retreat.templatetags.retret import names

    users = [User(username="siti", full_name="Siti Rahmawati, S.Sos."), User(username="budi", first_name="Budi",
             last_name="Santoso"), User(username="tanpa.nama")]  # fmt: skip
    assert names(users) == "Siti Rahmawati, S.Sos.; Budi Santoso"
