"""Dates, times and identity numbers as Indonesian documents print them. Template filters in
``templatetags/retret.py`` and the domain code (warnings, documents) share these functions."""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format

from .enums import TimeZone


def tanggal(value) -> str:
    """`Sabtu, 17 Mei 2025` (in the active language)."""
    return date_format(value, "l, j F Y") if value else ""


def in_program_zone(value, program):
    """A stored UTC moment as a local datetime of the program's zone (for the date filter and the like)."""
    return timezone.localtime(value, program.tzinfo) if value else value


def program_date(value, program) -> str:
    """The local day of a stored moment, `Sabtu, 17 Mei 2025`: a 07.00 WITA session is not the day before."""
    return tanggal(timezone.localtime(value, program.tzinfo).date()) if value else ""


def program_time(value, program) -> str:
    """A stored UTC time shown in the program's zone with its suffix: `08.00 WIB`."""
    if not value:
        return ""
    local = timezone.localtime(value, program.tzinfo)
    return f"{local:%H.%M} {TimeZone(program.timezone).label}"


def program_clock(value, program) -> str:
    """Only the clock time in the program's zone, without the suffix: `08.00`."""
    return f"{timezone.localtime(value, program.tzinfo):%H.%M}" if value else ""


def iso_program_clock(value: str, program) -> str:
    """An ISO timestamp kept in a JSON field, as a clock time in the program's zone."""
    return program_clock(dt.datetime.fromisoformat(value), program) if value else ""


def program_datetime(value, program) -> str:
    """A stored UTC moment in the program's zone: `23 November 2026 19.38 WIB`."""
    if not value:
        return ""
    local = timezone.localtime(value, program.tzinfo)
    return f"{date_format(local, 'j F Y')} {program_time(value, program)}"


def date_range(start, end) -> str:
    """`15–17 Mei 2025`, `30 April – 2 Mei 2025`, `31 Desember 2025 – 2 Januari 2026`."""
    if start == end:
        return date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"
