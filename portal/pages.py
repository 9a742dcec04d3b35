"""The participant's page in parts, each kept in the shared cache under the versions of what it shows:

- the schedule, the same for everyone of an audience (the program's sessions plus those of a cohort or a
  group), laid out once per audience and agenda version;
- the shell (everything else: forms, plans, certificate, check-in), per participant, under the versions of
  their answers, plans and certificate;
- the participant's attendance (a status per session) under their attendance version, and the sessions of
  the program whose attendance was taken.

A page is the shell with the schedule, the attendance marks and the attendance summary put in: after an
agenda edit a program of 500 participants in 20 groups lays out its schedule 20 times and puts 500 pages
together from cached parts, instead of laying out 500 pages."""

import hashlib
import re
from types import SimpleNamespace

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from attendance.enums import AttendanceStatus
from attendance.models import AttendanceRecord
from attendance.selectors import attendance_summary, sessions_taken
from sessions.selectors import agenda_days, agenda_version, jp_total, sessions_for_enrollment

AGENDA_TEMPLATE = "portal/_agenda.html"
SUMMARY_TEMPLATE = "portal/_attendance_summary.html"
AGENDA_PLACE = "<!--agenda-->"
SUMMARY_PLACE = "<!--attendance-summary-->"
PART_SECONDS = 24 * 3600  # a change moves the parts' keys; this only lets old entries go
MARKER = "<!--my-attendance:{pk}-->"
UNUSED_MARKERS = re.compile(r"[ ]*<!--my-attendance:\d+-->\n?")
BADGES = {"hadir": "text-bg-success", "terlambat": "text-bg-warning", "alpa": "text-bg-danger"}


def agenda_for(enrollment) -> dict:
    """The schedule of the enrollment's audience: ``html`` (with a marker per session for the personal
    attendance) and ``sessions`` (what attendance needs of each: pk, mandatory, starts_at)."""
    program = enrollment.program
    state = (program.pk, enrollment.cohort_id, enrollment.group_id, agenda_version(program.pk),
             program.agenda_published_at, program.updated_at, translation.get_language())  # fmt: skip
    key = "personal-agenda:" + hashlib.sha256(repr(state).encode()).hexdigest()
    agenda = cache.get(key)
    if agenda is None:
        sessions = list(sessions_for_enrollment(enrollment))
        html = render_to_string(AGENDA_TEMPLATE, {
            "program": program, "published": bool(program.agenda_published_at),
            "days": agenda_days(program, sessions), "jp_total": jp_total(sessions)})  # fmt: skip
        agenda = {
            "html": html,
            "sessions": [SimpleNamespace(pk=s.pk, mandatory=s.mandatory, starts_at=s.starts_at) for s in sessions],
        }
        cache.set(key, agenda, PART_SECONDS)
    return agenda


def shell_for(state, make) -> str:
    """The participant's shell for ``state`` (who they are and the versions of what it shows), made with
    ``make()`` when it is not kept."""
    key = "personal-shell:" + hashlib.sha256(repr(state).encode()).hexdigest()
    shell = cache.get(key)
    if shell is None:
        shell = make()
        cache.set(key, shell, PART_SECONDS)
    return shell


def statuses_for(enrollment, version: str) -> dict[int, str]:
    """The participant's attendance status per session, under their attendance ``version``."""
    key = f"personal-attendance:{enrollment.pk}:{version}"
    statuses = cache.get(key)
    if statuses is None:
        statuses = dict(AttendanceRecord.objects.filter(enrollment=enrollment).values_list("session_id", "status"))
        cache.set(key, statuses, PART_SECONDS)
    return statuses


def taken_for(program, version: str) -> set[int]:
    """The program's sessions whose attendance was taken, under the program's attendance ``version``; a first
    record of a session shows within a page's cache time, as before."""
    key = f"sessions-taken:{program.pk}:{version}:{int(timezone.now().timestamp()) // 300}"
    taken = cache.get(key)
    if taken is None:
        taken = sessions_taken(program)
        cache.set(key, taken, 300)
    return taken


def compose(shell: str, enrollment, *, attendance_version: str) -> str:
    """The page: the shell with the audience's schedule, the participant's marks on it and their summary."""
    program = enrollment.program
    agenda = agenda_for(enrollment)
    statuses = statuses_for(enrollment, attendance_version)
    summary = attendance_summary(agenda["sessions"], statuses, taken_for(program, attendance_version.split(":")[0]))
    summary_html = render_to_string(SUMMARY_TEMPLATE, {"attendance": summary, "program": program})
    return shell.replace(AGENDA_PLACE, with_attendance(agenda["html"], statuses), 1).replace(
        SUMMARY_PLACE, summary_html, 1)  # fmt: skip


def with_attendance(html: str, statuses: dict):
    """The schedule's HTML with the participant's attendance on each session they were recorded for."""
    labels = dict(AttendanceStatus.choices)
    for session_id, status in statuses.items():
        badge = format_html('<div class="my-attendance small"><span class="badge {}">{}</span></div>',
                            BADGES.get(status, "text-bg-info"), labels.get(status, status))  # fmt: skip
        html = html.replace(MARKER.format(pk=session_id), badge, 1)
    return mark_safe(UNUSED_MARKERS.sub("", html))
