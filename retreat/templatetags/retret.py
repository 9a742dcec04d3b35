from django import template
from django.utils import timezone
from django.utils.formats import date_format

from participants.identity import format_nip, mask_number
from retreat.enums import TimeZone

register = template.Library()


@register.filter
def nip(value: str) -> str:
    """`19680517 199403 1 005`."""
    return format_nip(value)


@register.filter
def masked(value: str) -> str:
    return mask_number(value)


@register.filter
def nip_for(value: str, may_see: bool) -> str:
    """The NIP grouped for those who may see it (``retreat.view_personal_data``), masked for the others."""
    return format_nip(value) if may_see else mask_number(value)


@register.filter
def tanggal(value) -> str:
    """`Sabtu, 17 Mei 2025` (in the active language)."""
    return date_format(value, "l, j F Y") if value else ""


@register.filter
def program_time(value, program) -> str:
    """A stored UTC time shown in the program's zone with its suffix: `08.00 WIB`."""
    if not value:
        return ""
    local = timezone.localtime(value, program.tzinfo)
    return f"{local:%H.%M} {TimeZone(program.timezone).label}"


@register.filter
def program_clock(value, program) -> str:
    """Only the clock time in the program's zone, without the suffix: `08.00`."""
    return f"{timezone.localtime(value, program.tzinfo):%H.%M}" if value else ""


@register.filter
def iso_program_clock(value: str, program) -> str:
    """An ISO timestamp kept in a JSON field, as a clock time in the program's zone."""
    import datetime as dt

    return program_clock(dt.datetime.fromisoformat(value), program) if value else ""


@register.filter
def program_datetime(value, program) -> str:
    """A stored UTC moment in the program's zone: `23 November 2026 19.38 WIB`."""
    if not value:
        return ""
    local = timezone.localtime(value, program.tzinfo)
    return f"{date_format(local, 'j F Y')} {program_time(value, program)}"


@register.simple_tag
def date_range(start, end) -> str:
    """`15–17 Mei 2025`, `30 April – 2 Mei 2025`, `31 Desember 2025 – 2 Januari 2026`."""
    if start == end:
        return date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"
