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
    if not digits.isdigit() or len(digits) != NIP_LENGTH:
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


def format_nip(digits: str) -> str:
    """`196805171994031005` → `19680517 199403 1 005`; anything else is returned as it is."""
    if len(digits or "") != NIP_LENGTH or not digits.isdigit():
        return digits or ""
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def mask_number(digits: str) -> str:
    """For public pages: keep the first four and last four digits (`1975**********1002`)."""
    if not digits:
        return ""
    if len(digits) <= 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
