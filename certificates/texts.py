"""The certificate's text below the name, with the program's placeholders: written once per program, the
same on every certificate of it (what is each participant's own has its fixed places on the page)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from retreat.formatting import date_range

PLACEHOLDERS = ("program", "penyelenggara", "tanggal", "tempat", "jp")
_FIELD = re.compile(r"\{([^{}]*)\}")


def body_check(text: str) -> str:
    """The text, or ValidationError naming the placeholders it does not know."""
    unknown = [name for name in _FIELD.findall(text) if name not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(unknown)s: use %(known)s.")
            % {"unknown": ", ".join(f"{{{name}}}" for name in unknown),
               "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)},
            code="placeholder",
        )  # fmt: skip
    return text


def body_text(text: str, *, program_name: str, institution: str, start_date, end_date, place: str, jp: int) -> str:
    """The text with its placeholders filled in; with no JP counted, "selama {jp} jam pelajaran (JP)" goes."""
    if not jp:
        text = re.sub(r"\s*selama \{jp\} jam pelajaran \(JP\)", "", text)
    values = {"program": program_name, "penyelenggara": institution, "tanggal": date_range(start_date, end_date),
              "tempat": place, "jp": str(jp)}  # fmt: skip
    return _FIELD.sub(lambda match: values.get(match[1], match[0]), text)
