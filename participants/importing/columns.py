"""Which column holds what: the importable fields, the header names people write, the header row search."""

import re
import unicodedata

from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participants.models import Enrollment, Participant
from retreat.models import Cohort

from .base import HEADER_SEARCH_ROWS, ImportFileError

PARTICIPANT_KEYS = [
    "name",
    "front_title",
    "back_title",
    "nip",
    "nik",
    "participant_type",
    "sex",
    "golongan",
    "eselon",
    "position_title",
    "unit_name",
    "phone",
    "email",
    "uniform_size",
    "dietary_notes",
    "health_notes",
]
ENROLLMENT_KEYS = ["retreat_role", "cohort", "room"]


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


IMPORT_FIELDS: dict[str, str] = {
    **{key: _label(Participant, key) for key in PARTICIPANT_KEYS},
    "golongan": _("Rank (golongan/ruang) or PPPK grade"),
    "retreat_role": _label(Enrollment, "role"),
    "cohort": capfirst(Cohort._meta.verbose_name),
    "room": _label(Enrollment, "room"),
}
# Labels of model fields a row can change without a column of their own.
EXTRA_LABELS = {"pppk_grade": _label(Participant, "pppk_grade")}

IGNORE = "__ignore__"  # "No", "No." columns: row numbers, dropped without a word

# Header spellings, compared after `header_key` (lower case, letters and digits only).
ALIASES = {
    "name": "nama namalengkap namapeserta namapegawai namaasn namalengkapdangelar namadangelar namagelar "
    "namalengkapbesertagelar namadengangelar name fullname participantname",
    "nip": "nip nipnik nipnipppk nippppk nipnippppk nipbaru nip18digit nipnrp nipasn nomorindukpegawai "
    "nomorindukpegawainegeri nipppk",
    "nik": "nik noktp nomorktp nikktp nomorindukkependudukan nationalid",
    "front_title": "gelardepan titledepan fronttitle",
    "back_title": "gelarbelakang titlebelakang backtitle",
    "golongan": "pangkatgol pangkatgolongan pangkatgolonganruang pangkatgolruang gol golruang golonganruang golongan "
    "pangkat pangkatgolgrade golongangrade rank grade gradepppk golonganpppk",
    "eselon": "eselon echelon",
    "position_title": "jabatan namajabatan jabatansaatini position positiontitle jobtitle",
    "unit_name": "unitkerja opd perangkatdaerah instansi unit satuankerja satker skpd unitorganisasi asalinstansi "
    "instansiunitkerja unitkerjaopd asalopd asalperangkatdaerah workunit agency department",
    "phone": "nohp hp nowa nomorhp nomorwa nomortelepon telepon phone notelp notelepon telp nohpwa nomorhpwa whatsapp "
    "handphone nomorhandphone mobile phonenumber kontak",
    "email": "email surel alamatemail alamatsurel emailaddress",
    "sex": "jeniskelamin jk lp sex gender kelamin",
    "retreat_role": "peran perandalamretret peranretret role retreatrole kategoripeserta",
    "cohort": "angkatan cohort",
    "room": "kamar room nokamar nomorkamar",
    "uniform_size": "ukuranbaju ukuranseragam ukuranbajuseragam uniformsize ukuran",
    "dietary_notes": "catatanmakanan catatanmakanandiet makanandiet diet catatandiet pantanganmakanan alergimakanan "
    "makanan dietarynotes",
    "health_notes": "catatankesehatan catatankesehatanriwayatpenyakit riwayatpenyakit kesehatan healthnotes",
    "participant_type": "jenispeserta statuskepegawaian jenispegawai statuspegawai jenisasn participanttype",
    IGNORE: "no nourut nomorurut nomor",
}
HEADER_KEYS = {alias: key for key, aliases in ALIASES.items() for alias in aliases.split()}


def header_key(text) -> str:
    """`Nama Lengkap` → `namalengkap`, `NIP / NI PPPK` → `nipnipppk`, `E-mail` → `email`."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def field_for_header(text) -> str | None:
    return HEADER_KEYS.get(header_key(text))


def header_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def find_header(rows: list[tuple[int, list]]) -> int | None:
    """Index (in ``rows``) of the first of the first 20 rows with a name column and another known one."""
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {field_for_header(cell) for cell in cells if isinstance(cell, str)}
        fields.discard(None)
        fields.discard(IGNORE)
        if "name" in fields and len(fields) >= 2:
            return index
    return None


def automatic_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → field key; a field claimed twice goes to its first column only."""
    mapping, taken = {}, set()
    for index, text in enumerate(headers):
        key = field_for_header(text)
        if key is None or key == IGNORE or key in taken:
            continue
        mapping[index] = key
        taken.add(key)
    return mapping


def apply_user_mapping(automatic: dict[int, str], user: dict, width: int) -> dict[int, str]:
    """The user's choices win; "" ignores a column; a field the user gives to a column leaves its
    automatic column. Keys may be str (from JSON)."""
    chosen: dict[int, str] = {}
    for raw_index, key in user.items():
        try:
            index = int(raw_index)
        except (TypeError, ValueError):
            raise ImportFileError(gettext("The column choice %(column)r is not valid.") % {"column": raw_index})
        if not 0 <= index < width:
            raise ImportFileError(gettext("The file has no column number %(column)d.") % {"column": index + 1})
        key = key or ""
        if key and key not in IMPORT_FIELDS:
            raise ImportFileError(gettext("Unknown field %(field)r in the column choices.") % {"field": key})
        chosen[index] = key
    used = [key for key in chosen.values() if key]
    for key in set(used):
        if used.count(key) > 1:
            raise ImportFileError(
                gettext("Two columns are set to “%(field)s”; choose it for one column only.")
                % {"field": IMPORT_FIELDS[key]}
            )
    mapping = {index: key for index, key in automatic.items() if index not in chosen and key not in used}
    mapping.update({index: key for index, key in chosen.items() if key})
    if "name" not in mapping.values():
        raise ImportFileError(
            gettext("No column is set to “%(field)s”; the import needs the participants' names.")
            % {"field": IMPORT_FIELDS["name"]}
        )
    return dict(sorted(mapping.items()))


def unmapped_columns(headers: list[str], mapping: dict[int, str], data_rows: list[list]) -> list[tuple[int, str]]:
    """Columns with a header or with data that no field reads; "No" columns are left out silently."""
    result = []
    for index, text in enumerate(headers):
        if index in mapping or field_for_header(text) == IGNORE:
            continue
        if text or any(index < len(cells) and cells[index] is not None for cells in data_rows):
            result.append((index, text))
    return result
