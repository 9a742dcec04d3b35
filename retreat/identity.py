"""ASN identity numbers: NIP (PNS), NI PPPK and NIK. One place for their rules and their display.

NIP PNS (18 digits): birth date YYYYMMDD · TMT CPNS YYYYMM · sex (1/2) · sequence (001–999).
NI PPPK (18 digits): birth date YYYYMMDD · year of appointment YYYY · "2" · contract count 1–9 · sex ·
sequence. Digits 13–14 tell them apart: 01–12 is a month (PNS), 21–29 is PPPK.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .params import ascii_digits

NIP_LENGTH = 18
_SEPARATORS = re.compile(r"[\s.\-]")
MIN_AGE_AT_APPOINTMENT = 18


@dataclass(frozen=True)
class AsnNumber:
    digits: str
    kind: str  # "pns" or "pppk"
    birth_date: dt.date
    sex: str  # "L" or "P"


def clean_digits(value: str) -> str:
    """Spaces, dots and dashes are accepted on input; only digits are stored."""
    return _SEPARATORS.sub("", value or "")


def _date(yyyymmdd: str) -> dt.date | None:
    try:
        return dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def parse_asn_number(value: str, *, today: dt.date | None = None) -> AsnNumber:
    """Validate a NIP or NI PPPK and return what it encodes; raise ValidationError saying what is wrong."""
    today = today or dt.date.today()
    digits = clean_digits(value)
    if not ascii_digits(digits) or len(digits) != NIP_LENGTH:
        raise ValidationError(
            _("A NIP has exactly 18 digits; this one has %(count)d characters.") % {"count": len(digits)},
            code="nip_length",
        )
    birth = _date(digits[:8])
    if birth is None or not (1940 <= birth.year <= today.year):
        raise ValidationError(
            _("Digits 1–8 of the NIP must be a real birth date (YYYYMMDD); %(part)s is not.") % {"part": digits[:8]},
            code="nip_birth_date",
        )
    marker = int(digits[12:14])
    if 1 <= marker <= 12:
        kind = "pns"
        year, month = int(digits[8:12]), marker
        if (year, month) > (today.year, today.month):
            raise ValidationError(
                _("Digits 9–14 of the NIP (TMT CPNS %(part)s) lie in the future.") % {"part": digits[8:14]},
                code="nip_tmt_future",
            )
        if (year - birth.year) * 12 + (month - birth.month) < MIN_AGE_AT_APPOINTMENT * 12:
            raise ValidationError(
                _("Digits 9–14 of the NIP (TMT CPNS %(part)s) must be at least 18 years after the birth date.")
                % {"part": digits[8:14]},
                code="nip_tmt_too_early",
            )
    elif 21 <= marker <= 29:
        kind = "pppk"
        year = int(digits[8:12])
        if year > today.year or year - birth.year < MIN_AGE_AT_APPOINTMENT:
            raise ValidationError(
                _("Digits 9–12 of the NI PPPK (year of appointment %(part)s) are not possible for this birth date.")
                % {"part": digits[8:12]},
                code="nip_pppk_year",
            )
    else:
        raise ValidationError(
            _("Digits 13–14 of the NIP must be a month 01–12 (PNS) or 21–29 (PPPK); %(part)s is neither.")
            % {"part": digits[12:14]},
            code="nip_marker",
        )
    if digits[14] not in "12":
        raise ValidationError(
            _("Digit 15 of the NIP is the sex code and must be 1 or 2, not %(part)s.") % {"part": digits[14]},
            code="nip_sex",
        )
    if digits[15:] == "000":
        raise ValidationError(
            _("Digits 16–18 of the NIP are a sequence number and cannot be 000."), code="nip_sequence"
        )
    return AsnNumber(digits=digits, kind=kind, birth_date=birth, sex="L" if digits[14] == "1" else "P")


NIK_LENGTH = 16


@dataclass(frozen=True)
class Nik:
    digits: str
    birth_date: dt.date
    sex: str


def parse_nik(value: str, *, today: dt.date | None = None) -> Nik:
    """Validate a NIK (16 digits: province, regency, district, birth date DDMMYY with day + 40 for women,
    sequence) and return the birth date and sex it encodes."""
    today = today or dt.date.today()
    digits = clean_digits(value)
    if not ascii_digits(digits) or len(digits) != NIK_LENGTH:
        raise ValidationError(
            _("A NIK has exactly 16 digits; this one has %(count)d characters.") % {"count": len(digits)},
            code="nik_length",
        )
    if not 11 <= int(digits[:2]) <= 99:
        raise ValidationError(
            _("Digits 1–2 of the NIK are a province code (11–99), not %(part)s.") % {"part": digits[:2]},
            code="nik_province",
        )
    day, month, year2 = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "P" if day > 40 else "L"
    day = day - 40 if day > 40 else day
    year = 2000 + year2 if 2000 + year2 <= today.year else 1900 + year2
    try:
        birth = dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("Digits 7–12 of the NIK must be a birth date (DDMMYY, day + 40 for women); %(part)s is not.")
            % {"part": digits[6:12]},
            code="nik_birth_date",
        ) from None
    if digits[12:] == "0000":
        raise ValidationError(
            _("Digits 13–16 of the NIK are a sequence number and cannot be 0000."), code="nik_sequence"
        )
    return Nik(digits=digits, birth_date=birth, sex=sex)


def check_nik_matches_nip(nik: Nik, number: AsnNumber) -> None:
    """The NIK and the NIP of one person carry the same birth date and sex."""
    if nik.birth_date != number.birth_date:
        raise ValidationError(
            _("The NIK's birth date (%(nik)s) differs from the NIP's (%(nip)s).")
            % {"nik": nik.birth_date.strftime("%d-%m-%Y"), "nip": number.birth_date.strftime("%d-%m-%Y")},
            code="nik_nip_birth_date",
        )
    if nik.sex != number.sex:
        raise ValidationError(_("The NIK and the NIP give different sexes."), code="nik_nip_sex")


_PHONE_CHARS = re.compile(r"[\s().\-/]")


def normalize_phone(value: str) -> str:
    """Indonesian numbers to +62 form: `0812-3456-7890`, `62812…`, `+62 812…` → `+6281234567890`."""
    raw = _PHONE_CHARS.sub("", value or "")
    if not raw:
        return ""
    if raw.startswith("+"):
        digits = raw[1:]
    elif raw.startswith("0"):
        digits = "62" + raw[1:]
    else:
        digits = raw if raw.startswith("62") else "62" + raw
    if not ascii_digits(digits) or not digits.startswith("62") or not 10 <= len(digits) <= 15:
        raise ValidationError(
            _("%(value)s is not a phone number; write it like 0812 3456 7890.") % {"value": value},
            code="phone",
        )
    return "+" + digits


def titled_name(front_title: str, name: str, back_title: str) -> str:
    """`Dr. Ir. H. Bambang Sutrisno, M.Si.`: front titles, name, then a comma and back titles."""
    full = " ".join(part for part in (front_title, name) if part)
    return f"{full}, {back_title}" if back_title else full


def format_nip(digits: str) -> str:
    """`196805171994031005` → `19680517 199403 1 005`; anything else is returned as it is."""
    if len(digits or "") != NIP_LENGTH or not ascii_digits(digits):
        return digits or ""
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def mask_number(digits: str) -> str:
    """For those who may not see the number (readers, public pages): the first and last four digits only."""
    if not digits:
        return ""
    if len(digits) <= 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
