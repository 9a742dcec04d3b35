"""Reading one cell: the many ways people write names with titles, ranks, sexes, roles and sizes.

Each parser returns the stored value or raises ``CellError`` with a reason a clerk understands. NIP and NIK
rules live in ``retreat.identity`` and the model; only the Excel damage is recognised here.
"""

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participants.enums import Eselon, Golongan, ParticipantType, PppkGrade, RetreatRole, Sex, UniformSize
from retreat.identity import normalize_phone

from .columns import header_key

PLACEHOLDERS = {"-", "–", "—", "--", "."}


class CellError(Exception):
    """One cell's problem; ``str(exc)`` is the reason shown next to the column header."""


def cell_text(value) -> str:
    """The text of a cell as the clerk sees it; "-" and friends mean empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    text = " ".join(str(value).split())
    return "" if text in PLACEHOLDERS else text


def same_value(key: str, old, new: str) -> bool:
    """Whether writing ``new`` over a participant's ``old`` value changes nothing (phones compare normalised)."""
    if key == "phone" and old:
        try:
            return normalize_phone(old) == new
        except ValidationError:
            return False
    return (old or "") == new


def is_number_cell(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def shown_number(value) -> str:
    """A number cell as Excel's formula bar shows it: 15 significant digits, `197505171994031000`."""
    if abs(value) >= 1e15:
        return format(Decimal(f"{value:.15g}"), "f")
    return cell_text(value)


_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_NUMERIC_TEXT = re.compile(r"^\d[\d.,\s]*$")


def scientific(text: str) -> bool:
    """`1.97505E+17`, `1,97505E+17`: a long number Excel turned into scientific notation."""
    return bool(_SCIENTIFIC.match(text.replace(" ", "")))


def lost_digits(text: str) -> bool:
    """`1.97505E+17`, `1,97505E+17`, or 15+ digits ending in 000 (`197505171994031000`): the traces Excel leaves
    when a long number was kept in a number cell. Only asked about values that already failed validation or
    are in scientific notation."""
    compact = text.replace(" ", "")
    if _SCIENTIFIC.match(compact):
        return True
    if _NUMERIC_TEXT.match(compact):
        digits = re.sub(r"\D", "", compact)
        return len(digits) >= 15 and digits.endswith("000")
    return False


def excel_number_reason(label: str, shown: str) -> str:
    return _(
        "%(value)s: Excel stored this %(label)s as a number and dropped its last digits, so it cannot be "
        "imported. Format the %(label)s column as Text (Format Cells → Text) and type the %(label)s again, or start "
        "it with an apostrophe ('), then save the file again."
    ) % {"value": shown, "label": label}


# Names and titles ----------------------------------------------------------------------------------------
_FRONT_TITLE = re.compile(
    r"^(?:(?:prof|dr|drs|dra|drg|drh|ir|hj|h|kh|k\.h|r|ra|r\.a|rr|ns|apt)\.)+$|^(?:prof|dr|drs|dra|drg|drh|ir|hj|kh)$",
    re.IGNORECASE,
)


def split_name(text: str, *, front: bool = True, back: bool = True) -> tuple[str, str, str]:
    """`Dr. Ir. H. Bambang Sutrisno, M.Si.` → (`Dr. Ir. H.`, `Bambang Sutrisno`, `M.Si.`).

    Back titles are everything after the first comma; front titles the leading title tokens."""
    name, back_title = text, ""
    if back and "," in text:
        name, rest = text.split(",", 1)
        back_title = ", ".join(part.strip() for part in rest.split(",") if part.strip())
    tokens = name.split()
    front_tokens = []
    if front:
        while len(tokens) > 1 and _FRONT_TITLE.match(tokens[0]):
            front_tokens.append(tokens.pop(0))
    return " ".join(front_tokens), " ".join(tokens), back_title


# Golongan, PPPK grade, eselon ------------------------------------------------------------------------------
_GOLONGAN = re.compile(r"(?<![A-Za-z])(IV|III|II|I)\s*[/\-.\s]?\s*([a-e])(?![A-Za-z])", re.IGNORECASE)
_GRADE = re.compile(r"^(?:gol(?:ongan)?\.?|grade|kelas)?\s*([IVX]+|\d{1,2})$", re.IGNORECASE)
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"]


def _pangkat_key(text: str) -> str:
    text = re.sub(r"\btk?t?\.?\s*(?=i\b)", "tingkat ", text.lower())
    return re.sub(r"[^a-z]", "", text)


_PANGKAT = {_pangkat_key(label.split(" ", 1)[1]): value for value, label in Golongan.choices}


def parse_golongan(text: str, participant_type: str) -> tuple[str, str]:
    """`IV/c`, `IV c`, `IVc`, `Pembina Utama Muda (IV/c)`, `Pembina Utama Muda` → ("golongan", "IV/c");
    `IX` for a PPPK → ("pppk_grade", "IX")."""
    match = _GOLONGAN.search(text)
    if match:
        return "golongan", f"{match.group(1).upper()}/{match.group(2).lower()}"
    if code := _PANGKAT.get(_pangkat_key(text)):
        return "golongan", code
    grade = _GRADE.match(text.strip())
    if grade:
        raw = grade.group(1).upper()
        roman = _ROMAN[int(raw) - 1] if raw.isdigit() and 1 <= int(raw) <= len(_ROMAN) else raw
        if roman in PppkGrade.values and participant_type == ParticipantType.PPPK:
            return "pppk_grade", roman
        if roman in PppkGrade.values and participant_type == ParticipantType.PNS and roman in ("I", "II", "III", "IV"):
            raise CellError(
                _("%(value)s: a golongan needs its letter too, like %(example)s.")
                % {"value": text, "example": f"{roman}/a"}
            )
        if roman in PppkGrade.values:
            return "pppk_grade", roman
    raise CellError(
        _("%(value)s is not a golongan/ruang (like III/b or Penata Muda Tingkat I) nor a PPPK grade (I–XVII).")
        % {"value": text}
    )


_ESELON = re.compile(r"(?<![A-Za-z])(IV|III|II|I|V)\s*[/\-.\s]?\s*([ab])(?![A-Za-z])", re.IGNORECASE)


def parse_eselon(text: str) -> str:
    if header_key(text) in ("noneselon", "nonselon", "tidakada", "none"):
        return ""
    match = _ESELON.search(text)
    value = f"{match.group(1).upper()}.{match.group(2).lower()}" if match else ""
    if value not in Eselon.values:
        raise CellError(_("%(value)s is not an echelon; write it like II.b or III.a.") % {"value": text})
    return value


# Sex, participant type, role, size ------------------------------------------------------------------------
def _lookup(table: dict[str, str]) -> dict[str, str]:
    """{"L": "l lk laki"} → {"l": "L", "lk": "L", "laki": "L"}: spellings (as `header_key` leaves them) to values."""
    return {word: value for value, words in table.items() for word in words.split()}


_SEXES = _lookup(
    {Sex.MALE.value: "l lk laki lakilaki pria m male man", Sex.FEMALE.value: "p pr perempuan wanita w f female woman"}
)


def parse_sex(text: str) -> str:
    sex = _SEXES.get(header_key(text))
    if sex is None:
        raise CellError(_("%(value)s is not a sex; write L (laki-laki) or P (perempuan).") % {"value": text})
    return sex


_TYPES = _lookup(
    {
        ParticipantType.PNS.value: "pns cpns pegawainegerisipil",
        ParticipantType.PPPK.value: "pppk p3k",
        ParticipantType.NON_ASN.value: "nonasn nonpns honorer bumd swasta lainnya umum",
        ParticipantType.TNI_POLRI.value: "tni polri tnipolri",
    }
)


def parse_participant_type(text: str) -> str:
    value = _TYPES.get(header_key(text))
    if value is None:
        raise CellError(
            _("%(value)s is not a participant type; write PNS, PPPK, Non-ASN or TNI/Polri.") % {"value": text}
        )
    return value


_ROLE_RULES = [
    (re.compile(r"\bstaf ahli\b"), RetreatRole.STAF_AHLI),
    (re.compile(r"\basisten\b"), RetreatRole.ASISTEN),
    (re.compile(r"\b(sekretaris daerah|sekda)\b"), RetreatRole.SEKDA),
    (re.compile(r"\bcamat\b"), RetreatRole.CAMAT),
    (re.compile(r"\blurah\b"), RetreatRole.LURAH),
    (re.compile(r"\bdirektur (rsud|rumah sakit)"), RetreatRole.KEPALA_PD),
    (re.compile(r"\b(direktur|dirut)\b"), RetreatRole.DIREKTUR_BUMD),
    (re.compile(r"\binspektur pembantu\b"), RetreatRole.OTHER),
    (
        re.compile(r"\b(kepala (dinas|badan|satuan|pelaksana|kantor)|inspektur|sekretaris dprd|kadis|kaban)\b"),
        RetreatRole.KEPALA_PD,
    ),
]


def infer_role(position_title: str) -> str:
    """The retreat role a position title implies: `Camat Klojen` → camat, `Kepala Dinas Kesehatan` → kepala_pd."""
    text = " ".join(re.sub(r"[^\w\s]", " ", position_title.lower()).split())
    for pattern, role in _ROLE_RULES:
        if pattern.search(text):
            return role.value
    return RetreatRole.OTHER.value


_ROLE_WORDS = {
    **{header_key(value): value for value in RetreatRole.values},
    **_lookup(
        {
            RetreatRole.SEKDA.value: "sekda sekretarisdaerah",
            RetreatRole.KEPALA_PD.value: "kepalapd kepalaperangkatdaerah kepalaopd kepalaskpd",
            RetreatRole.DIREKTUR_BUMD.value: "direkturbumd direksibumd bumd",
            RetreatRole.OTHER.value: "lainnya lainlain other peserta",
        }
    ),
}


def parse_role(text: str) -> str:
    key = header_key(text)
    if key in _ROLE_WORDS:
        return _ROLE_WORDS[key]
    role = infer_role(text)
    if role == RetreatRole.OTHER:
        raise CellError(
            _(
                "%(value)s is not a retreat role; write one of Sekda, Staf Ahli, Asisten, Kepala PD, Direktur BUMD, "
                "Camat, Lurah, JPT Pratama or Lainnya."
            )
            % {"value": text}
        )
    return role


def parse_uniform_size(text: str) -> str:
    value = re.sub(r"\s", "", text.upper())
    value = {"2XL": "XXL", "3XL": "XXXL"}.get(value, value)
    if value not in UniformSize.values:
        raise CellError(
            _("%(value)s is not a uniform size; use %(sizes)s.")
            % {"value": text, "sizes": ", ".join(UniformSize.values)}
        )
    return value
