"""The project's template filters: thin wrappers of ``retreat.formatting`` and ``retreat.identity``."""

from django import template

from retreat import formatting
from retreat.frame import tabs_for
from retreat.identity import format_nip, mask_number

register = template.Library()


@register.filter
def nip(value: str) -> str:
    """`19680517 199403 1 005`."""
    return format_nip(value)


@register.filter
def names(users) -> str:
    """Users as people read them on the pages: their full names, ``; `` between (never a login name)."""
    return "; ".join(name for user in users if (name := user.full_name or user.get_full_name()))


@register.filter
def masked(value: str) -> str:
    return mask_number(value)


@register.filter
def nip_for(value: str, may_see: bool) -> str:
    """The NIP grouped for those who may see it (``retreat.view_personal_data``), masked for the others."""
    return format_nip(value) if may_see else mask_number(value)


register.filter("tanggal", formatting.tanggal)
register.filter("program_time", formatting.program_time)
register.filter("program_date", formatting.program_date)
register.filter("in_program_zone", formatting.in_program_zone)
register.filter("program_clock", formatting.program_clock)
register.filter("iso_program_clock", formatting.iso_program_clock)
register.filter("program_datetime", formatting.program_datetime)
register.simple_tag(formatting.date_range, name="date_range")


@register.inclusion_tag("retreat/partials/program_tabs.html", takes_context=True)
def program_tabs(context) -> dict:
    """The program's tab bar (registered by the apps, see ``retreat/frame.py``); the view's ``tab`` is active."""
    active = context.get("tab") or getattr(context.get("view"), "tab", "")
    return {"tabs": tabs_for(context["request"].user, context["program"], active)}
