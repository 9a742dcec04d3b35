"""The participant's page in parts: the schedule is the same for everyone of an audience (the program's
sessions plus those of a cohort or a group), so it is laid out once per audience and agenda version and kept
in the shared cache; each participant's page then adds only what is theirs (their attendance on each
session, forms, plans, certificate). After an agenda edit a program of 500 participants in 20 groups lays
out its schedule 20 times, not 500."""

import hashlib
import re
from types import SimpleNamespace

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sessions.selectors import agenda_days, agenda_version, jp_total, sessions_for_enrollment

AGENDA_TEMPLATE = "portal/_agenda.html"
AGENDA_SECONDS = 24 * 3600  # an agenda edit changes the key; this only lets old entries go
MARKER = "<!--my-attendance:{pk}-->"
UNUSED_MARKERS = re.compile(r"[ ]*<!--my-attendance:\d+-->\n?")
BADGES = {"hadir": "text-bg-success", "terlambat": "text-bg-warning", "alpa": "text-bg-danger"}


def agenda_for(enrollment) -> dict:
    """The schedule of the enrollment's audience: ``html`` (with a marker per session for the personal
    attendance), ``sessions`` (what attendance needs of each: pk, mandatory, starts_at) and ``jp_total``."""
    program = enrollment.program
    state = (program.pk, enrollment.cohort_id, enrollment.group_id, agenda_version(program.pk),
             program.agenda_published_at, program.updated_at, translation.get_language())  # fmt: skip
    key = "personal-agenda:" + hashlib.sha256(repr(state).encode()).hexdigest()
    agenda = cache.get(key)
    if agenda is None:
        sessions = list(sessions_for_enrollment(enrollment))
        html = render_to_string(AGENDA_TEMPLATE, {
            "program": program, "published": bool(program.agenda_published_at),
            "days": agenda_days(program, sessions)})  # fmt: skip
        agenda = {
            "html": html,
            "sessions": [SimpleNamespace(pk=s.pk, mandatory=s.mandatory, starts_at=s.starts_at) for s in sessions],
            "jp_total": jp_total(sessions),
        }
        cache.set(key, agenda, AGENDA_SECONDS)
    return agenda


def with_attendance(html: str, records: dict):
    """The schedule's HTML with the participant's attendance on each session they were recorded for."""
    for session_id, record in records.items():
        badge = format_html('<div class="my-attendance small"><span class="badge {}">{}</span></div>',
                            BADGES.get(record.status, "text-bg-info"), record.get_status_display())  # fmt: skip
        html = html.replace(MARKER.format(pk=session_id), badge, 1)
    return mark_safe(UNUSED_MARKERS.sub("", html))
