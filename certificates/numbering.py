"""Certificate numbers in an institution's pattern, e.g. ``800.2.4/{seq:04}/BKPSDM/{year}``
(classification / sequence / unit / year). Only these placeholders exist, read by a small parser (never
``str.format`` on a pattern someone typed):

- ``{seq}`` or ``{seq:04}``: the sequence number, optionally zero-padded to the given width;
- ``{year}``: the year of issue (four digits);
- ``{month}``: the month of issue in Roman numerals, as Indonesian letter numbers often carry it (``V``);
- ``{program}``: the program's number in the app, needed when each program has its own sequence (numbers
  stay unique within the institution).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::0(\d))?\}")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
MAX_LENGTH = 80


def pattern_check(pattern: str, *, per_program: bool = False) -> None:
    """A ValidationError naming what is wrong with a pattern: it must hold ``{seq}`` once, only known
    placeholders, ``{program}`` when each program has its own sequence and ``{year}`` when each year has
    one (or numbers would repeat), something between two placeholders, no stray braces, and fit the number
    field."""
    pattern = pattern or ""
    if "{" in PLACEHOLDER.sub("", pattern) or "}" in PLACEHOLDER.sub("", pattern):
        raise ValidationError(_("A brace that is not part of a placeholder such as {seq} or {year}."))
    found = PLACEHOLDER.findall(pattern)
    unknown = sorted({name for name, _width in found} - {"seq", "year", "month", "program"})
    if unknown:
        raise ValidationError(_("Unknown placeholder: %(names)s. Use {seq}, {seq:04}, {year}, {month} or {program}.")
                              % {"names": ", ".join("{" + n + "}" for n in unknown)})  # fmt: skip
    if [name for name, _width in found].count("seq") != 1:
        raise ValidationError(_("The pattern needs the sequence number {seq} (or {seq:04}) exactly once."))
    if re.search(r"\}\{", pattern):
        raise ValidationError(_("Put a separator between two placeholders (800/{seq}/{year}), or two numbers "
                                "could read the same."))  # fmt: skip
    if not per_program and "year" not in {name for name, _width in found}:
        raise ValidationError(_("With a sequence per year the pattern needs {year}, or next year's numbers would "
                                "repeat this year's."))  # fmt: skip
    if per_program and "program" not in {name for name, _width in found}:
        raise ValidationError(_("With a sequence per program the pattern needs {program}, or two programs would "
                                "give the same numbers."))  # fmt: skip
    if len(number_format(pattern, seq=99999, year=2099, month=12, program=99999)) > MAX_LENGTH:
        raise ValidationError(
            _("A number in this pattern would be longer than %(max)d characters.") % {"max": MAX_LENGTH}
        )


def number_format(pattern: str, *, seq: int, year: int, month: int, program: int = 0) -> str:
    """``800.2.4/{seq:04}/BKPSDM/{year}`` with 123, 2025 → ``800.2.4/0123/BKPSDM/2025``."""

    def value(match):
        name, width = match.group(1), match.group(2)
        number = {"seq": seq, "program": program}.get(name)
        if number is not None:
            return str(number).zfill(int(width)) if width else str(number)
        if name == "year":
            return str(year)
        return ROMAN[month - 1]

    return PLACEHOLDER.sub(value, pattern)
