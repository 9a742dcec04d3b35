"""Bounded imports: a file that would take the server minutes or gigabytes to read is refused while it is
read, with a message naming the limit; the preview is read from the rows kept at upload, never parsed again."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from participants.importing import MAX_CELLS, MAX_COLUMNS, ImportFileError, plan_import, read_table
from participants.models import Enrollment, Participant, ParticipantImport
from participants.tests.factories import valid_nip
from participants.tests.hostile import (
    shared_strings_bomb_xlsx,
    sheet_bomb_xlsx,
    wide_csv_row,
    xfd_column_xlsx,
)
from participants.tests.uploads import post_upload

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def sheet_bomb():
    return sheet_bomb_xlsx()


@pytest.fixture(scope="module")
def shared_strings_bomb():
    return shared_strings_bomb_xlsx()


def refusal(response) -> str:
    """The error shown under the file field."""
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    return errors[0]


def nothing_saved():
    assert not ParticipantImport.objects.exists()
    assert not Participant.objects.exists()
    assert not Enrollment.objects.exists()
    assert not default_storage.exists("imports")


def test_upload_of_a_csv_row_with_20000_cells_is_refused_naming_the_column_limit(organizer_client, program):
    message = refusal(post_upload(organizer_client, program, name="lebar.csv", data=wide_csv_row(20_000)))
    assert message.startswith("Row 2 has values up to column ACOF; at most 100 columns (A to CV) can be read.")
    nothing_saved()


def test_upload_of_an_xlsx_with_a_value_in_column_xfd_is_refused_naming_the_cell(organizer_client, program):
    message = refusal(post_upload(organizer_client, program, name="xfd.xlsx", data=xfd_column_xlsx(5000)))
    assert message.startswith("Row 2 has values up to column XFD; at most 100 columns (A to CV) can be read.")
    nothing_saved()


def test_upload_of_an_xlsx_whose_sheet_unpacks_to_600_mb_is_refused_before_reading(
    organizer_client, program, sheet_bomb
):
    assert len(sheet_bomb) < 5 * 1024 * 1024  # small enough to pass the upload size check
    message = refusal(post_upload(organizer_client, program, name="bom.xlsx", data=sheet_bomb))
    assert message.startswith("The workbook unpacks to 600 MB; at most 30 MB can be read.")
    nothing_saved()


def test_upload_of_an_xlsx_whose_shared_strings_unpack_to_300_mb_is_refused_before_reading(
    organizer_client, program, shared_strings_bomb
):
    message = refusal(post_upload(organizer_client, program, name="teks.xlsx", data=shared_strings_bomb))
    assert message.startswith("The workbook's table of texts (shared strings) unpacks to 300 MB; at most 10 MB")
    nothing_saved()


def test_file_with_too_many_filled_cells_is_refused_naming_the_cell_limit():
    columns = 80
    header = ";".join(["Nama", "NIP", *(f"Kolom {n}" for n in range(3, columns + 1))])
    row = ";".join(["Budi"] * columns)
    rows = MAX_CELLS // columns + 1
    data = ("\r\n".join([header, *[row] * rows]) + "\r\n").encode()
    with pytest.raises(ImportFileError) as refused:
        read_table(data, "banyak.csv")
    assert str(refused.value).startswith(
        f"The file has more than {MAX_CELLS:,} filled cells; at most {MAX_CELLS:,} cells can be read at once."
    )


def test_columns_up_to_the_limit_are_read():
    row = ["Budi", *(f"x{n}" for n in range(2, MAX_COLUMNS + 1))]
    data = ("Nama;NIP\r\n" + ";".join(row) + "\r\n").encode()
    assert read_table(data, "pas.csv")[1] == row


def test_empty_cells_far_right_are_not_a_column_problem():
    """A row that only ends in separators (Excel's export of formatted empty columns) is trimmed, not refused."""
    data = ("Nama;NIP\r\nBudi;" + valid_nip(1) + ";" * 20_000 + "\r\n").encode()
    assert read_table(data, "kosong.csv")[1] == ["Budi", valid_nip(1)]


def test_preview_is_read_from_the_rows_kept_at_upload_not_from_the_file(organizer_client, program):
    data = f"Nama;NIP;Jenis Kelamin\r\nBudi Santoso;{valid_nip(1)};L\r\n".encode()
    response = post_upload(organizer_client, program, name="peserta.csv", data=data)
    batch = ParticipantImport.objects.get()
    assert response.url == reverse(
        "participants:import_preview", kwargs={"program_pk": program.pk, "import_pk": batch.pk}
    )
    with default_storage.open(batch.file.name, "wb") as stored:  # the stored file can't be read any more
        stored.write(b"\x00\x01 not a spreadsheet")
    page = organizer_client.get(response.url)
    assert page.status_code == 200
    assert [row.name for row in page.context["plan"].rows] == ["Budi Santoso"]


def test_column_mapping_is_offered_only_for_columns_with_a_header_or_a_value(organizer_client, program):
    empty = ";" * 6
    data = (
        f"Nama;NIP;Jabatan{empty};Catatan\r\n"
        f"Budi Santoso;{valid_nip(1)};Camat{empty};\r\n"
        f"Sri Lestari;{valid_nip(2)};Lurah{empty};Vegetarian\r\n"
    ).encode()
    response = post_upload(organizer_client, program, name="peserta.csv", data=data)
    page = organizer_client.get(response.url)
    form = page.context["mapping_form"]
    assert [(name, str(field.label)) for name, field in form.fields.items()] == [
        ("col_0", "Nama"),
        ("col_1", "NIP"),
        ("col_2", "Jabatan"),
        ("col_9", "Catatan"),
    ]


def test_limits_hold_for_the_planner_and_the_management_command_too(import_program):
    with pytest.raises(ImportFileError, match="at most 100 columns"):
        plan_import(program=import_program, data=xfd_column_xlsx(10), filename="xfd.xlsx")
