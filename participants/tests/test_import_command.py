from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from participants.models import Enrollment, Participant
from participants.tests.conftest import DATA


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(*args) -> str:
    out = StringIO()
    call_command("import_participants", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_preview_and_writes_nothing(import_program):
    output = run(import_program.pk, DATA / "peserta_excel_id.csv", "--dry-run")
    assert "Header on row 4: No | Nama | NIP | Pangkat/Gol | Jabatan | Unit Kerja | No HP" in output
    assert "New: 12 · Update: 0 · Unchanged: 0 · Refused: 2" in output
    assert "Row 10 · NIP 196802301994031005: Digits 1–8 of the NIP must be a real birth date" in output
    assert "Row 14 · No HP: 0812-345 is not a phone number" in output
    assert "Dry run: nothing was written." in output
    assert Participant.objects.count() == Enrollment.objects.count() == 0


def test_import_commits_then_a_second_run_changes_nothing(import_program):
    output = run(import_program.pk, DATA / "peserta_merged.xlsx")
    assert "Row 7 · NIP: 197505171994031000: Excel stored this NIP as a number" in output
    assert "Imported: 6 new, 0 updated. Refused rows: 1." in output
    assert Participant.objects.count() == 6
    assert Enrollment.objects.filter(program=import_program).count() == 6
    again = run(import_program.pk, DATA / "peserta_merged.xlsx")
    assert "New: 0 · Update: 0 · Unchanged: 6 · Refused: 1" in again
    assert Participant.objects.count() == 6


def test_import_lists_updates_with_their_fields(import_program, tmp_path):
    run(import_program.pk, DATA / "peserta_cp1252.csv")
    changed = (DATA / "peserta_cp1252.csv").read_bytes().replace(b"Camat Sukun", b"Camat Klojen")
    path = tmp_path / "peserta.csv"
    path.write_bytes(changed)
    output = run(import_program.pk, path)
    assert "Row 4 · Yohanes Muñoz Fernandez, S.T.: update Position" in output
    assert Participant.objects.get(nip="198007072006041003").position_title == "Camat Klojen"


def test_unreadable_file_is_a_command_error(import_program):
    with pytest.raises(CommandError, match="The file is empty"):
        run(import_program.pk, DATA / "kosong.csv")
    with pytest.raises(CommandError, match="No header row was found"):
        run(import_program.pk, DATA / "tanpa_header.csv")


def test_unknown_program_and_missing_file_are_command_errors(import_program, tmp_path):
    with pytest.raises(CommandError, match="There is no program with id 999999"):
        run(999999, DATA / "peserta_excel_id.csv")
    with pytest.raises(CommandError, match="Cannot read"):
        run(import_program.pk, tmp_path / "tidak_ada.csv")
    assert Participant.objects.count() == 0
