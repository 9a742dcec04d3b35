import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from participants.enums import EnrollmentStatus, ParticipantType, RetreatRole, Sex
from participants.importing import (
    IMPORT_FIELDS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    import_commit,
    plan_import,
    read_table,
)
from participants.importing.columns import field_for_header
from participants.importing.values import CellError, infer_role, parse_golongan, split_name
from participants.models import Enrollment, Participant
from participants.tests.factories import EnrollmentFactory, ParticipantFactory, valid_nip
from retreat.models import Cohort
from retreat.tests.factories import CohortFactory, ProgramFactory

EXCEL_FIX = "Format the NIP column as Text (Format Cells → Text)"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def csv(*lines: str, encoding="utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def db_state():
    return Participant.objects.count(), Enrollment.objects.count(), Cohort.objects.count()


def rows_by_number(plan):
    return {row.row_number: row for row in plan.rows}


# Reading ------------------------------------------------------------------------------------------------------
def test_read_table_excel_csv_with_bom_semicolons_and_quoted_commas(data_file):
    rows = read_table(data_file("peserta_excel_id.csv"), "peserta_excel_id.csv")
    assert rows[0][0].startswith("DAFTAR PESERTA PELATIHAN LEADERSHIP")  # no BOM glued to the first cell
    assert rows[1] == ["PEMERINTAH KOTA MALANG"]
    assert rows[2] == ["No", "Nama", "NIP", "Pangkat/Gol", "Jabatan", "Unit Kerja", "No HP"]  # empty row 3 skipped
    assert rows[3][1] == "Indra Nurcahyo, S.Sos., M.Si."
    assert len(rows) == 3 + 14


def test_read_table_windows_1252_with_commas(data_file):
    rows = read_table(data_file("peserta_cp1252.csv"), "peserta_cp1252.csv")
    assert rows[0][:3] == ["Nama", "NIP", "Jenis Kelamin"]
    assert rows[1][0] == "Andrés Pereira Da Costa, S.H., M.H."
    assert rows[1][3] == "Penata Tingkat I, III/d"
    assert rows[3][0] == "Yohanes Muñoz Fernandez, S.T."


def test_read_table_xlsx_keeps_merged_titles_and_cell_types(data_file):
    rows = read_table(data_file("peserta_merged.xlsx"), "peserta_merged.xlsx")
    assert rows[0] == ["DAFTAR PESERTA PELATIHAN LEADERSHIP DAN PENGUATAN TEAMWORK BUILDING ASN KOTA MALANG TAHUN 2025"]
    assert rows[1] == ["PEMERINTAH KOTA MALANG"]
    assert rows[2][:3] == ["No", "Nama", "NIP"]
    nips = [row[2] for row in rows[3:]]
    assert nips[0] == "196712111991011043"
    assert isinstance(nips[2], float)  # the NIP kept as a number stays a number, to be refused
    assert rows[4][6] == 81346912560


def test_read_table_tab_separated_and_xlsx_sniffed_despite_extension():
    rows = read_table(csv("Nama\tNIP\tJabatan", "Rudi Sulistyo\t196712111991011043\tAsisten"), "daftar.txt")
    assert rows == [["Nama", "NIP", "Jabatan"], ["Rudi Sulistyo", "196712111991011043", "Asisten"]]
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nama", "Jabatan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer.getvalue(), "daftar.csv") == [["Nama", "Jabatan"]]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("kosong.csv", "The file is empty"),
        ("hanya_judul.csv", "No header row was found in the first 20 rows"),
        ("tanpa_header.csv", "No header row was found"),
    ],
)
def test_files_without_data_or_header_are_refused_and_write_nothing(import_program, data_file, name, words):
    before = db_state()
    with pytest.raises(ImportFileError, match=words):
        plan_import(program=import_program, data=data_file(name), filename=name)
    assert db_state() == before


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"PK\x03\x04 this is not really a workbook", "peserta.xlsx", "cannot be read as an Excel workbook"),
        (b"\x00\x01\x02\x03binary\x00junk\x00" * 20, "peserta.csv", "cannot be read"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "peserta.xls", r"old Excel file \(\.xls\)"),
        (b"%PDF-1.7 not a table", "peserta.pdf", "cannot be read"),
        (b"   \r\n\r\n  ", "peserta.csv", "The file is empty"),
    ],
)
def test_unreadable_files_are_refused(import_program, data, filename, words):
    with pytest.raises(ImportFileError, match=words):
        plan_import(program=import_program, data=data, filename=filename)
    assert db_state() == (0, 0, 0)


def test_file_over_the_size_limit_says_the_limit_and_its_size(import_program):
    data = b"Nama;NIP\r\n" + b"x" * int(5.5 * 1024 * 1024)
    assert len(data) > MAX_FILE_BYTES
    with translation.override("id"), pytest.raises(ImportFileError) as info:
        plan_import(program=import_program, data=data, filename="besar.csv")
    assert "5,5 MB" in str(info.value)  # with a decimal comma
    assert "5 MB" in str(info.value)


def test_file_over_the_row_limit_says_both_counts_the_indonesian_way(import_program):
    lines = ["DAFTAR PESERTA", "Nama;NIP;Jabatan"] + [f"Peserta {n};;Staf" for n in range(MAX_ROWS + 1)]
    with translation.override("id"), pytest.raises(ImportFileError) as info:
        plan_import(program=import_program, data=csv(*lines), filename="besar.csv")
    assert "5.001" in str(info.value)
    assert "5.000" in str(info.value)
    assert db_state() == (0, 0, 0)


def test_exactly_max_rows_below_titles_and_header_is_accepted():
    lines = ["DAFTAR PESERTA", "PEMERINTAH KOTA MALANG", "Nama;NIP;Jabatan"]
    lines += [f"Peserta {n};;Staf" for n in range(MAX_ROWS)]
    assert len(read_table(csv(*lines), "pas.csv")) == MAX_ROWS + 3


def test_xlsx_over_the_row_limit_is_refused(import_program, tmp_path):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Nama", "Jabatan"])
    for n in range(MAX_ROWS + 2):
        sheet.append([f"Peserta {n}", "Staf"])
    path = tmp_path / "besar.xlsx"
    workbook.save(path)
    with pytest.raises(ImportFileError, match="5,002 data rows"):
        plan_import(program=import_program, data=path.read_bytes(), filename="besar.xlsx")


# Header row and columns ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Nama", "name"),
        ("NAMA LENGKAP", "name"),
        ("Nama Peserta", "name"),
        ("Name", "name"),
        ("NIP", "nip"),
        ("NIP/NIK", "nip"),
        ("NIP / NI PPPK", "nip"),
        ("NIP Baru", "nip"),
        ("NIK", "nik"),
        ("Gelar Depan", "front_title"),
        ("Gelar Belakang", "back_title"),
        ("Pangkat/Gol", "golongan"),
        ("Pangkat / Golongan", "golongan"),
        ("Gol.", "golongan"),
        ("Gol. Ruang", "golongan"),
        ("Golongan", "golongan"),
        ("Eselon", "eselon"),
        ("Jabatan", "position_title"),
        ("Nama Jabatan", "position_title"),
        ("Position", "position_title"),
        ("Unit Kerja", "unit_name"),
        ("OPD", "unit_name"),
        ("Perangkat Daerah", "unit_name"),
        ("Instansi", "unit_name"),
        ("No HP", "phone"),
        ("No. HP", "phone"),
        ("No WA", "phone"),
        ("Nomor Telepon", "phone"),
        ("Phone", "phone"),
        ("E-mail", "email"),
        ("Surel", "email"),
        ("Jenis Kelamin", "sex"),
        ("JK", "sex"),
        ("L/P", "sex"),
        ("Peran dalam Retret", "retreat_role"),
        ("Angkatan", "cohort"),
        ("Kamar", "room"),
        ("Ukuran Baju/Seragam", "uniform_size"),
        ("Catatan Makanan/Diet", "dietary_notes"),
        ("Riwayat Penyakit", "health_notes"),
        ("Status Kepegawaian", "participant_type"),
        ("Jabatan Struktural", None),
    ],
)
def test_header_names_people_write(header, key):
    assert field_for_header(header) == key


def test_import_fields_are_ordered_and_labelled():
    assert list(IMPORT_FIELDS)[:3] == ["name", "front_title", "back_title"]
    assert {"nip", "nik", "golongan", "retreat_role", "cohort", "room", "phone", "sex"} <= set(IMPORT_FIELDS)
    assert str(IMPORT_FIELDS["position_title"]) == "Position"


# The Indonesian Excel CSV, end to end ---------------------------------------------------------------------------
def test_plan_of_excel_csv_reads_every_row_and_writes_nothing(import_program, data_file):
    plan = plan_import(program=import_program, data=data_file("peserta_excel_id.csv"), filename="peserta_excel_id.csv")
    assert db_state() == (0, 0, 0)
    assert plan.header_row_number == 4
    assert plan.mapping == {1: "name", 2: "nip", 3: "golongan", 4: "position_title", 5: "unit_name", 6: "phone"}
    assert plan.unmapped == []  # "No" is dropped silently
    assert plan.counts == {"new": 12, "update": 0, "unchanged": 0, "refused": 2}
    rows = rows_by_number(plan)
    assert sorted(rows) == list(range(5, 19))

    assert rows[10].action == "refused"
    assert rows[10].errors == [
        ("NIP", "NIP 196802301994031005: Digits 1–8 of the NIP must be a real birth date (YYYYMMDD); 19680230 is not.")
    ]
    assert rows[14].action == "refused"
    [(column, reason)] = rows[14].errors
    assert column == "No HP"
    assert "0812-345 is not a phone number" in reason

    golongan = {number: row.values["golongan"] for number, row in rows.items() if row.action == "new"}
    assert golongan == {
        5: "IV/d",  # Pembina Utama Madya (IV/d)
        6: "IV/c",
        7: "IV/c",  # IV c
        8: "IV/b",  # Pembina Tingkat I, IV/b
        9: "IV/b",  # IVb
        11: "IV/c",
        12: "IV/c",
        13: "IV/c",  # Pembina Utama Muda
        15: "IV/c",
        16: "IV/a",  # Pembina (IV/a)
        17: "III/d",  # Penata Tingkat I (III/d)
        18: "III/d",
    }
    roles = {number: row.values["retreat_role"] for number, row in rows.items() if row.action == "new"}
    assert roles[5] == RetreatRole.SEKDA
    assert roles[6] == roles[7] == RetreatRole.ASISTEN
    assert roles[8] == RetreatRole.STAF_AHLI
    assert roles[9] == roles[11] == roles[12] == roles[13] == roles[15] == RetreatRole.KEPALA_PD
    assert roles[16] == roles[17] == RetreatRole.CAMAT
    assert roles[18] == RetreatRole.LURAH

    assert rows[5].nip == "196804121991111070"  # typed grouped, stored as digits
    assert rows[5].values["phone"] == "+6289628438936"
    assert rows[6].values["phone"] == "+6281346912560"
    assert rows[6].values["sex"] == Sex.FEMALE  # from digit 15 of the NIP
    assert rows[11].name == "Dr. Ir. Hj. Ayu Eka Setyaningsih, M.T."
    assert rows[11].values["front_title"] == "Dr. Ir. Hj."
    assert rows[11].values["name"] == "Ayu Eka Setyaningsih"
    assert rows[11].values["back_title"] == "M.T."
    assert rows[11].values["position_title"].startswith("Kepala Dinas Pekerjaan Umum, Penataan Ruang")


def test_commit_of_excel_csv_writes_exactly_the_accepted_rows(import_program, data_file):
    plan = plan_import(program=import_program, data=data_file("peserta_excel_id.csv"), filename="peserta_excel_id.csv")
    counts = import_commit(program=import_program, plan=plan)
    assert counts == {"new": 12, "update": 0, "unchanged": 0, "refused": 2}
    assert Participant.objects.filter(institution=import_program.organizer).count() == 12
    enrollments = list(Enrollment.objects.filter(program=import_program).order_by("order"))
    assert [e.order for e in enrollments] == list(range(1, 13))
    assert {e.status for e in enrollments} == {EnrollmentStatus.INVITED}
    assert not Participant.objects.filter(nip="196802301994031005").exists()
    assert not Participant.objects.filter(name="Dyah Nur Setyaningsih").exists()

    indra = Participant.objects.get(nip="196804121991111070")
    assert (indra.front_title, indra.name, indra.back_title) == ("", "Indra Nurcahyo", "S.Sos., M.Si.")
    assert (indra.golongan, indra.sex, indra.participant_type) == ("IV/d", Sex.MALE, ParticipantType.PNS)
    assert indra.phone == "+6289628438936"
    assert indra.enrollments.get().role == RetreatRole.SEKDA
    yudi = Participant.objects.get(nip="196912261992101011")
    assert (yudi.front_title, yudi.name, yudi.back_title) == ("Drs.", "Yudi Dwi Anggoro", "M.AP.")


def test_reimport_after_commit_is_all_unchanged_and_writes_nothing(import_program, data_file):
    data = data_file("peserta_excel_id.csv")
    import_commit(program=import_program, plan=plan_import(program=import_program, data=data, filename="a.csv"))
    before = db_state()
    again = plan_import(program=import_program, data=data, filename="a.csv")
    assert again.counts == {"new": 0, "update": 0, "unchanged": 12, "refused": 2}
    with CaptureQueriesContext(connection) as queries:
        counts = import_commit(program=import_program, plan=again)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert counts["new"] == counts["update"] == 0
    assert db_state() == before


def test_cancelled_import_writes_nothing(import_program, data_file):
    plan = plan_import(program=import_program, data=data_file("peserta_excel_id.csv"), filename="a.csv")
    assert plan.counts["new"] == 12
    del plan  # the clerk closes the preview
    assert db_state() == (0, 0, 0)


def test_changed_position_is_an_update_listing_that_field(import_program, data_file):
    data = data_file("peserta_excel_id.csv")
    import_commit(program=import_program, plan=plan_import(program=import_program, data=data, filename="a.csv"))
    changed = data.replace(b";Kepala Dinas Kesehatan;", b";Kepala Dinas Kesehatan dan Keluarga Berencana;")
    plan = plan_import(program=import_program, data=changed, filename="a.csv")
    assert plan.counts == {"new": 0, "update": 1, "unchanged": 11, "refused": 2}
    row = rows_by_number(plan)[9]
    assert (row.action, row.changes) == ("update", ["Position"])
    assert row.name == "dr. Bagus Pamungkas, M.M.Kes."
    assert import_commit(program=import_program, plan=plan)["update"] == 1
    bagus = Participant.objects.get(nip="197603132002021083")
    assert bagus.position_title == "Kepala Dinas Kesehatan dan Keluarga Berencana"
    assert bagus.enrollments.get().role == RetreatRole.KEPALA_PD
    assert Participant.objects.count() == 12


def test_empty_cells_never_blank_existing_values(import_program):
    nip = valid_nip(11)
    full = csv("Nama;NIP;Jabatan;No HP", f"Rudi Sulistyo, S.E., M.Si.;{nip};Asisten Perekonomian;0856-1400-2032")
    import_commit(program=import_program, plan=plan_import(program=import_program, data=full, filename="a.csv"))
    sparse = csv("Nama;NIP;Jabatan;No HP", f"Rudi Sulistyo;{nip};;-")
    plan = plan_import(program=import_program, data=sparse, filename="b.csv")
    assert plan.counts["unchanged"] == 1
    rudi = Participant.objects.get(nip=nip)
    assert (rudi.back_title, rudi.position_title, rudi.phone) == (
        "S.E., M.Si.",
        "Asisten Perekonomian",
        "+6285614002032",
    )


def test_commit_is_all_or_nothing(import_program, data_file):
    plan = plan_import(program=import_program, data=data_file("peserta_excel_id.csv"), filename="a.csv")
    # Someone else registers the last person between the preview and the confirmation.
    ParticipantFactory(institution=import_program.organizer, nip="197712042003031134", name="Lutfi Nur Sudibyo")
    with pytest.raises(ImportFileError, match="changed after the preview"):
        import_commit(program=import_program, plan=plan)
    assert db_state() == (1, 0, 0)


# Other files ------------------------------------------------------------------------------------------------------
def test_windows_1252_file_keeps_accents(import_program, data_file):
    plan = plan_import(program=import_program, data=data_file("peserta_cp1252.csv"), filename="peserta_cp1252.csv")
    assert plan.counts == {"new": 3, "update": 0, "unchanged": 0, "refused": 0}
    import_commit(program=import_program, plan=plan)
    andres = Participant.objects.get(nip="197803152004031012")
    assert (andres.name, andres.back_title, andres.golongan) == ("Andrés Pereira Da Costa", "S.H., M.H.", "III/d")
    assert Participant.objects.get(nip="198007072006041003").name == "Yohanes Muñoz Fernandez"
    maria = Participant.objects.get(nip="198512242010012015")
    assert (maria.sex, maria.email) == (Sex.FEMALE, "maria.ximenes@demo.malangkota.go.id")
    assert Enrollment.objects.get(participant__nip="198007072006041003").role == RetreatRole.CAMAT


def test_xlsx_with_merged_titles_refuses_the_numeric_nip(import_program, data_file):
    plan = plan_import(program=import_program, data=data_file("peserta_merged.xlsx"), filename="peserta_merged.xlsx")
    assert plan.header_row_number == 4
    assert plan.counts == {"new": 6, "update": 0, "unchanged": 0, "refused": 1}
    row = rows_by_number(plan)[7]
    assert row.action == "refused"
    [(column, reason)] = row.errors
    assert column == "NIP"
    assert "197505171994031000" in reason
    assert EXCEL_FIX in reason
    assert "apostrophe (')" in reason
    assert rows_by_number(plan)[6].values["phone"] == "+6281346912560"  # typed as a number, 0 lost: fine for phones
    import_commit(program=import_program, plan=plan)
    assert Participant.objects.count() == 6
    assert not Participant.objects.filter(name__startswith="Budi Santoso").exists()


def test_duplicates_inside_the_file_are_refused_naming_the_first_row(import_program, data_file):
    plan = plan_import(program=import_program, data=data_file("peserta_duplikat.csv"), filename="peserta_duplikat.csv")
    rows = rows_by_number(plan)
    assert [rows[n].action for n in range(2, 7)] == ["new", "refused", "new", "refused", "new"]
    assert rows[3].errors == [("NIP", "Same NIP as row 2.")]
    assert rows[5].errors == [("NIK", "Same NIK as row 4.")]
    import_commit(program=import_program, plan=plan)
    assert Participant.objects.count() == 3
    yoga = Participant.objects.get(nik="3573011504780001")
    assert (yoga.name, yoga.participant_type, yoga.nip) == ("Yoga Agung Sasongko", ParticipantType.NON_ASN, "")
    assert yoga.enrollments.get().role == RetreatRole.DIREKTUR_BUMD


def test_every_refused_row_names_its_row_column_and_reason(import_program, data_file):
    for name in ("peserta_excel_id.csv", "peserta_merged.xlsx", "peserta_duplikat.csv"):
        plan = plan_import(program=import_program, data=data_file(name), filename=name)
        assert plan.counts["refused"] > 0
        for row in plan.rows:
            if row.action != "refused":
                assert row.errors == []
                continue
            assert row.row_number > plan.header_row_number
            assert row.errors
            for column, reason in row.errors:
                assert column in plan.headers
                assert len(reason) > 10


# Excel damage --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["1,97505E+17", "1.97505E+17", "197505171994031000", "1.97505171994031E17"])
def test_nip_that_lost_digits_in_csv_is_refused_with_the_excel_fix(import_program, value):
    data = csv("Nama;NIP;Jabatan", f"Budi Santoso Wibowo;{value};Kepala Bagian Umum")
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    [row] = plan.rows
    assert row.action == "refused"
    [(column, reason)] = row.errors
    assert column == "NIP"
    assert reason.startswith(value)
    assert EXCEL_FIX in reason


def test_numeric_nik_in_xlsx_is_refused(import_program):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nama", "NIK", "L/P", "Jabatan"])
    workbook.active.append(["Yoga Agung Sasongko", 3573011504780001, "L", "Direktur Utama Perumda"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [row] = plan_import(program=import_program, data=buffer.getvalue(), filename="a.xlsx").rows
    [(column, reason)] = row.errors
    assert column == "NIK"
    assert "Format the NIK column as Text" in reason


def test_integer_nip_cell_in_xlsx_is_refused_even_when_it_looks_whole(import_program):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nama", "NIP"])
    workbook.active.append(["Rudi Sulistyo", 196712111991011043])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [row] = plan_import(program=import_program, data=buffer.getvalue(), filename="a.xlsx").rows
    assert row.action == "refused"
    assert EXCEL_FIX in row.errors[0][1]


# Mapping chosen by the user -----------------------------------------------------------------------------------------
def test_user_maps_an_unknown_column(import_program):
    nip = valid_nip(21)
    data = csv(
        "Nama;NIP;Jabatan Struktural;Keterangan",
        f"Rudi Sulistyo, S.E., M.Si.;{nip};Asisten Perekonomian dan Pembangunan;hadir",
    )
    automatic = plan_import(program=import_program, data=data, filename="a.csv")
    assert automatic.unmapped == [(2, "Jabatan Struktural"), (3, "Keterangan")]
    assert "position_title" not in automatic.rows[0].values

    plan = plan_import(program=import_program, data=data, filename="a.csv", mapping={"2": "position_title"})
    assert plan.mapping == {0: "name", 1: "nip", 2: "position_title"}
    assert plan.unmapped == [(3, "Keterangan")]
    assert plan.rows[0].values["retreat_role"] == RetreatRole.ASISTEN
    import_commit(program=import_program, plan=plan)
    assert Participant.objects.get(nip=nip).position_title == "Asisten Perekonomian dan Pembangunan"


def test_user_ignores_a_column(import_program):
    nip = valid_nip(22)
    data = csv("Nama;NIP;Jabatan;Unit Kerja", f"Rudi Sulistyo;{nip};Jabatan lama yang salah;Sekretariat Daerah")
    plan = plan_import(program=import_program, data=data, filename="a.csv", mapping={2: ""})
    assert (2, "Jabatan") in plan.unmapped
    assert "position_title" not in plan.rows[0].values
    import_commit(program=import_program, plan=plan)
    rudi = Participant.objects.get(nip=nip)
    assert (rudi.position_title, rudi.unit_name) == ("", "Sekretariat Daerah")


@pytest.mark.parametrize(
    ("mapping", "words"),
    [
        ({"1": "shoe_size"}, "Unknown field"),
        ({"1": "name"}, "Two columns are set to"),
        ({"0": ""}, "No column is set to"),
        ({"9": "room"}, "no column number 10"),
    ],
)
def test_invalid_user_mapping_is_refused(import_program, mapping, words):
    data = csv("Nama;NIP;Jabatan", f"Rudi Sulistyo;{valid_nip(23)};Staf")
    if words == "Two columns are set to":
        mapping = {"0": "name", "1": "name"}
    with pytest.raises(ImportFileError, match=words):
        plan_import(program=import_program, data=data, filename="a.csv", mapping=mapping)


# Rows ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Ir. H. Bambang Sutrisno, M.Si.", ("Dr. Ir. H.", "Bambang Sutrisno", "M.Si.")),
        ("Umi Sri Novitasari, S.STP., M.AP.", ("", "Umi Sri Novitasari", "S.STP., M.AP.")),
        ("dr. Sri Maharani,M.Kes.", ("dr.", "Sri Maharani", "M.Kes.")),
        ("Prof. Dr. drg. Ayu Lestari, Sp.Ort.", ("Prof. Dr. drg.", "Ayu Lestari", "Sp.Ort.")),
        ("KH. R. Abdul Hamid", ("KH. R.", "Abdul Hamid", "")),
        ("Hj. Evi Pratiwi, S.STP.", ("Hj.", "Evi Pratiwi", "S.STP.")),
        ("Drs. Sugeng", ("Drs.", "Sugeng", "")),
        ("Dr.", ("", "Dr.", "")),  # never leaves the name empty
        ("Hendra Wijaya", ("", "Hendra Wijaya", "")),
    ],
)
def test_split_name(text, expected):
    assert split_name(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "IV/c",
        "IV c",
        "IVc",
        "iv/c",
        "IV-c",
        "Pembina Utama Muda (IV/c)",
        "Pembina Utama Muda, IV/c",
        "Pembina Utama Muda",
    ],
)
def test_golongan_spellings(text):
    assert parse_golongan(text, ParticipantType.PNS) == ("golongan", "IV/c")


def test_golongan_names_and_pppk_grades():
    assert parse_golongan("Penata Muda Tk. I", ParticipantType.PNS) == ("golongan", "III/b")
    assert parse_golongan("Pembina Tingkat I (IV/b)", ParticipantType.PNS) == ("golongan", "IV/b")
    assert parse_golongan("IX", ParticipantType.PPPK) == ("pppk_grade", "IX")
    assert parse_golongan("Gol. XI", ParticipantType.PPPK) == ("pppk_grade", "XI")
    with pytest.raises(CellError, match="needs its letter"):
        parse_golongan("IV", ParticipantType.PNS)
    with pytest.raises(CellError):
        parse_golongan("Kepala", ParticipantType.PNS)


@pytest.mark.parametrize(
    ("position", "role"),
    [
        ("Sekretaris Daerah Kota Malang", RetreatRole.SEKDA),
        ("Staf Ahli Wali Kota Bidang Hukum, Politik dan Pemerintahan", RetreatRole.STAF_AHLI),
        ("Asisten Pemerintahan dan Kesejahteraan Rakyat Sekretariat Daerah", RetreatRole.ASISTEN),
        ("Camat Klojen", RetreatRole.CAMAT),
        ("Sekretaris Kecamatan Klojen", RetreatRole.OTHER),
        ("Lurah Oro-oro Dowo", RetreatRole.LURAH),
        ("Direktur Utama Perumda Air Minum Tugu Tirta", RetreatRole.DIREKTUR_BUMD),
        ("Direktur RSUD Kota Malang", RetreatRole.KEPALA_PD),
        ("Kepala Dinas Kesehatan", RetreatRole.KEPALA_PD),
        ("Plt. Kepala Badan Pendapatan Daerah", RetreatRole.KEPALA_PD),
        ("Inspektur", RetreatRole.KEPALA_PD),
        ("Inspektur Pembantu Wilayah I", RetreatRole.OTHER),
        ("Kepala Satuan Polisi Pamong Praja", RetreatRole.KEPALA_PD),
        ("Kepala Bagian Hukum Sekretariat Daerah", RetreatRole.OTHER),
        ("", RetreatRole.OTHER),
    ],
)
def test_role_inferred_from_position(position, role):
    assert infer_role(position) == role


def test_sex_and_type_derived_from_the_nip(import_program):
    female_pns = valid_nip(31, Sex.FEMALE)
    data = csv(
        "Nama;NIP;Pangkat/Gol;Jabatan",
        f"Diah Puspitasari, S.IP., M.AP.;{female_pns};III/d;Camat Sukun",
        "Rina Wulandari, S.Kom.;199001152023212004;IX;Pranata Komputer Ahli Pertama",
    )
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    assert plan.counts["new"] == 2
    import_commit(program=import_program, plan=plan)
    diah = Participant.objects.get(nip=female_pns)
    assert (diah.sex, diah.participant_type, diah.golongan) == (Sex.FEMALE, ParticipantType.PNS, "III/d")
    assert diah.enrollments.get().role == RetreatRole.CAMAT
    rina = Participant.objects.get(nip="199001152023212004")
    assert (rina.sex, rina.participant_type, rina.pppk_grade, rina.golongan) == ("P", "pppk", "IX", "")


def test_sex_column_must_agree_with_the_nip(import_program):
    data = csv("Nama;NIP;L/P", f"Slamet Raharjo;{valid_nip(32, Sex.MALE)};P")
    [row] = plan_import(program=import_program, data=data, filename="a.csv").rows
    assert row.action == "refused"
    assert row.errors == [("L/P", "P: The sex does not match digit 15 of the NIP.")]


@pytest.mark.parametrize(("written", "sex"), [("Laki-laki", "L"), ("Wanita", "P"), ("M", "L"), ("Female", "P")])
def test_sex_spellings(import_program, written, sex):
    data = csv("Nama;Jenis Kelamin;Unit Kerja", f"Nama Uji;{written};Perumda Tugu Tirta")
    [row] = plan_import(program=import_program, data=data, filename="a.csv").rows
    assert row.values["sex"] == sex


def test_non_asn_without_nip_nik_or_sex_column_is_imported_with_sex_unknown(import_program):
    data = csv("Nama;NIP;Jabatan;Unit Kerja", "Yoga Agung Sasongko, S.E.;-;Direktur Utama;Perumda Air Minum Tugu Tirta")
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    [row] = plan.rows
    assert row.action == "new"
    assert row.errors == []
    assert row.warnings == ["Sex unknown: complete it on the participant's page."]
    import_commit(program=import_program, plan=plan)
    person = Participant.objects.get(name__startswith="Yoga Agung")
    assert person.sex == ""
    assert person.participant_type == ParticipantType.NON_ASN
    assert Enrollment.objects.filter(program=import_program, participant=person).exists()


def test_non_asn_with_an_empty_sex_cell_is_still_refused(import_program):
    data = csv("Nama;NIP;L/P;Unit Kerja", "Yoga Agung Sasongko;-;;Perumda Air Minum Tugu Tirta")
    [row] = plan_import(program=import_program, data=data, filename="a.csv").rows
    assert row.action == "refused"
    assert "sex is missing" in row.errors[0][1]
    assert row.warnings == []


def test_asn_row_without_sex_column_still_takes_the_sex_from_the_nip(import_program):
    nip = valid_nip(31, Sex.FEMALE)
    data = csv("Nama;NIP;Jabatan;Unit Kerja", f"Sri Wahyuni;{nip};Lurah Oro-oro Dowo;Kelurahan Oro-oro Dowo")
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    [row] = plan.rows
    assert row.action == "new"
    assert row.warnings == []
    import_commit(program=import_program, plan=plan)
    assert Participant.objects.get(nip=nip).sex == Sex.FEMALE


def test_non_asn_without_nik_matches_by_name_and_unit_on_reimport(import_program):
    data = csv(
        "Nama;NIP;L/P;Jabatan;Unit Kerja",
        "Yoga Agung Sasongko, S.E., M.B.A.;;L;Direktur Utama Perumda Air Minum Tugu Tirta;Perumda Air Minum Tugu Tirta",
    )
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    assert plan.rows[0].values["participant_type"] == ParticipantType.NON_ASN
    import_commit(program=import_program, plan=plan)
    assert plan_import(program=import_program, data=data, filename="a.csv").counts["unchanged"] == 1
    assert Participant.objects.count() == 1


def test_nip_nik_column_with_sixteen_digits_is_a_nik(import_program):
    data = csv(
        "Nama;NIP/NIK;Jabatan;Unit Kerja", "Anang Dwi Haryanto;3573052208800003;Direktur Utama;Perumda BPR Tugu Artha"
    )
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    import_commit(program=import_program, plan=plan)
    anang = Participant.objects.get()
    assert (anang.nik, anang.nip, anang.sex, anang.participant_type) == ("3573052208800003", "", "L", "non_asn")


def test_role_cohort_and_room_columns(import_program):
    CohortFactory(program=import_program, name="Angkatan II")
    data = csv(
        "Nama;NIP;Jabatan;Peran;Angkatan;Kamar",
        f"Tri Rachmadi;{valid_nip(41)};Kepala Bidang Pemerintahan;Camat;Angkatan I;A-101",
        f"Aditya Prakoso;{valid_nip(42)};Staf;Kepala PD;angkatan ii;A-102",
        f"Setyo Darmawan;{valid_nip(43)};Staf;Peserta biasa;;",
    )
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    rows = plan.rows
    assert [row.action for row in rows] == ["new", "new", "refused"]
    assert rows[2].errors[0][0] == "Peran"
    import_commit(program=import_program, plan=plan)
    tri = Enrollment.objects.get(participant__name="Tri Rachmadi")
    assert (tri.role, tri.cohort.name, tri.room.label) == (RetreatRole.CAMAT, "Angkatan I", "A-101")
    aditya = Enrollment.objects.get(participant__name="Aditya Prakoso")
    assert (aditya.role, aditya.cohort.name) == (RetreatRole.KEPALA_PD, "Angkatan II")
    assert Cohort.objects.filter(program=import_program).count() == 2


# Identity --------------------------------------------------------------------------------------------------------
def test_match_is_scoped_to_the_organizing_institution(import_program, foreign_program):
    nip = valid_nip(51)
    elsewhere = ParticipantFactory(
        institution=foreign_program.organizer, nip=nip, position_title="Camat Magelang Utara"
    )
    data = csv("Nama;NIP;Jabatan", f"Rudi Sulistyo;{nip};Camat Klojen")
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    assert plan.rows[0].action == "new"
    assert plan.rows[0].participant_id is None
    import_commit(program=import_program, plan=plan)
    assert Participant.objects.filter(nip=nip).count() == 2
    elsewhere.refresh_from_db()
    assert elsewhere.position_title == "Camat Magelang Utara"


def test_known_participant_new_to_this_program(import_program):
    earlier = ProgramFactory(
        organizer=import_program.organizer, start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 5, 3)
    )
    enrollment = EnrollmentFactory(
        program=earlier, participant__name="Rendra Setiadi", participant__position_title="Lurah Klojen"
    )
    EnrollmentFactory(program=import_program, order=7)
    person = enrollment.participant
    data = csv("Nama;NIP;Jabatan", f"{person.name};{person.nip};Camat Klojen")
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    [row] = plan.rows
    assert (row.action, row.participant_id, row.changes) == ("new", person.pk, ["Position"])
    import_commit(program=import_program, plan=plan)
    assert person.enrollments.count() == 2
    new = person.enrollments.get(program=import_program)
    assert (new.order, new.role, new.status) == (8, RetreatRole.CAMAT, EnrollmentStatus.INVITED)
    person.refresh_from_db()
    assert person.position_title == "Camat Klojen"


def test_template_numbering_row_and_pre_numbered_empty_rows_are_skipped(import_program):
    nip = valid_nip(61)
    data = csv(
        "NO;NAMA;NIP;JABATAN;UNIT KERJA",
        "(1);(2);(3);(4);(5)",
        f"1;Bagus Prasetyo, S.STP., M.AP.;{nip};Lurah Purwantoro;Kelurahan Purwantoro",
        "2;;;;",
        "3;;;;",
    )
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    assert [(row.row_number, row.action) for row in plan.rows] == [(3, "new")]
    assert plan.rows[0].values["retreat_role"] == RetreatRole.LURAH


def test_row_without_a_name_is_refused(import_program):
    data = csv("Nama;NIP;Jabatan", f";{valid_nip(62)};Lurah Kauman")
    [row] = plan_import(program=import_program, data=data, filename="a.csv").rows
    assert (row.row_number, row.action, row.errors) == (2, "refused", [("Nama", "The name is empty.")])


def test_nik_found_on_a_registered_person_adds_the_nik(import_program):
    yoga = ParticipantFactory(
        institution=import_program.organizer,
        participant_type=ParticipantType.NON_ASN,
        nip="",
        name="Yoga Agung Sasongko",
        unit_name="Perumda Air Minum Tugu Tirta",
    )
    data = csv("Nama;NIK;Unit Kerja", "Yoga Agung Sasongko;3573011504780001;Perumda Air Minum Tugu Tirta")
    [row] = plan_import(program=import_program, data=data, filename="a.csv").rows
    assert (row.participant_id, row.changes) == (yoga.pk, ["NIK"])
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    import_commit(program=import_program, plan=plan)
    yoga.refresh_from_db()
    assert yoga.nik == "3573011504780001"
    assert plan_import(program=import_program, data=data, filename="a.csv").counts["unchanged"] == 1


def test_nik_of_someone_with_another_nip_is_refused(import_program):
    ParticipantFactory(institution=import_program.organizer, nip=valid_nip(71), nik="3573011504780001")
    data = csv("Nama;NIP;NIK", f"Agus Salim;{valid_nip(72)};3573011504780001")
    [row] = plan_import(program=import_program, data=data, filename="a.csv").rows
    assert row.action == "refused"
    assert row.errors[0][0] == "NIK"
    assert "3573011504780001 already belongs to" in row.errors[0][1]


def test_bad_cells_are_all_reported_at_once(import_program):
    data = csv(
        "Nama;NIP;Pangkat/Gol;Eselon;E-mail;Ukuran Baju;No HP",
        f"Rudi Sulistyo;{valid_nip(81)};Kepala;VI.c;rudi@;XXXXXL;12",
    )
    [row] = plan_import(program=import_program, data=data, filename="a.csv").rows
    assert [column for column, _reason in row.errors] == ["Pangkat/Gol", "Eselon", "No HP", "Ukuran Baju"]
    email = csv("Nama;NIP;E-mail", f"Rudi Sulistyo;{valid_nip(81)};rudi@")
    [row] = plan_import(program=import_program, data=email, filename="a.csv").rows
    assert row.errors == [("E-mail", "rudi@: Enter a valid email address.")]


def test_commit_failing_midway_writes_nothing(import_program, data_file):
    plan = plan_import(program=import_program, data=data_file("peserta_excel_id.csv"), filename="a.csv")
    plan.rows[-1].values["email"] = "bukan-email"  # a plan altered after the preview: the last row is invalid
    with pytest.raises(ImportFileError):
        import_commit(program=import_program, plan=plan)
    assert db_state() == (0, 0, 0)


def test_same_registered_person_twice_in_a_file_is_refused_the_second_time(import_program):
    ParticipantFactory(
        institution=import_program.organizer,
        participant_type=ParticipantType.NON_ASN,
        nip="",
        nik="3573011504780001",
        name="Yoga Agung Sasongko",
        unit_name="Perumda Air Minum Tugu Tirta",
    )
    data = csv(
        "Nama;NIK;Unit Kerja",
        "Yoga Agung Sasongko;3573011504780001;Perumda Air Minum Tugu Tirta",
        "Yoga Agung Sasongko;;Perumda Air Minum Tugu Tirta",
    )
    rows = plan_import(program=import_program, data=data, filename="a.csv").rows
    assert [row.action for row in rows] == ["new", "refused"]
    assert rows[1].errors == [("Nama", "This is the same person as row 2.")]


def test_phone_stored_in_another_spelling_is_unchanged(import_program):
    nip = valid_nip(91)
    ParticipantFactory(institution=import_program.organizer, nip=nip, name="Indra Nurcahyo", phone="089628438936")
    data = csv("Nama;NIP;No HP", f"Indra Nurcahyo;{nip};0896-2843-8936")
    plan = plan_import(program=import_program, data=data, filename="a.csv")
    assert plan.rows[0].changes == []
    import_commit(program=import_program, plan=plan)  # a new enrollment; the participant is not rewritten
    assert Participant.objects.get(nip=nip).phone == "089628438936"
