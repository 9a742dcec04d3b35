"""Every read of attendance, in a constant number of queries whatever the number of people and sessions."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Enrollment
from participants.selectors import enrollments_for_program
from retreat.params import whole_number
from sessions.conflicts import session_audiences
from sessions.models import Session
from sessions.selectors import sessions_for_program

from .enums import EXCUSED, PRESENT, AttendanceStatus
from .models import AttendanceRecord, Register


def attendance_version_keys(program_id: int, enrollment_id: int) -> tuple[str, str]:
    """The key of the version that changes whenever the participant's record changes or a register of the program closes
    or reopens (services.attendance_changed); part of the cache key of participants' pages."""
    return (f"attendance-version:{program_id}", f"attendance-version:e{enrollment_id}")


def statuses_by_enrollment(enrollments) -> dict[int, dict[int, str]]:
    """Each of ``enrollments``' attendance status per session, by enrollment pk, in one query."""
    found = {enrollment.pk: {} for enrollment in enrollments}
    records = AttendanceRecord.objects.filter(enrollment__in=list(found)).values_list(
        "enrollment_id", "session_id", "status"
    )
    for enrollment_id, session_id, status in records:
        found[enrollment_id][session_id] = status
    return found


def sessions_with_registers(program) -> list:
    """The program's sessions, each with its register (or None) as ``attendance_register``, in two queries
    besides the agenda's."""
    sessions = list(sessions_for_program(program))
    registers = {r.session_id: r for r in Register.objects.filter(session__program=program)}
    for session in sessions:
        session.attendance_register = registers.get(session.pk)
    return sessions


def session_now(sessions, now: dt.datetime | None = None):
    """The session running now, else the next one today, else the last one that started today."""
    now = now or timezone.now()
    sessions = sorted(sessions, key=lambda s: s.starts_at)
    running = [s for s in sessions if s.starts_at <= now < s.ends_at]
    if running:
        return running[-1]
    program = sessions[0].program if sessions else None
    if program is None:
        return None
    today = now.astimezone(program.tzinfo).date()
    todays = [s for s in sessions if s.starts_at.astimezone(program.tzinfo).date() == today]
    upcoming = [s for s in todays if s.starts_at > now]
    if upcoming:
        return upcoming[0]
    return todays[-1] if todays else None


@dataclass
class RollCall:
    session: object
    register: Register | None
    rows: list  # (enrollment, record or None), by group then protocol order
    counts: dict = field(default_factory=dict)


def counts_for(statuses, expected: int) -> dict:
    """The roll call's counts from the statuses recorded and the number of people expected."""
    by_status = defaultdict(int)
    for status in statuses:
        by_status[status] += 1
    return {
        "expected": expected,
        "hadir": by_status[AttendanceStatus.HADIR],
        "terlambat": by_status[AttendanceStatus.TERLAMBAT],
        "excused": sum(by_status[s] for s in EXCUSED),
        "alpa": by_status[AttendanceStatus.ALPA],
        "not_yet": expected - sum(by_status.values()),
    }


def session_counts(session, audience) -> dict:
    """The roll call's live counts in one query (what a check-in answers with)."""
    statuses = AttendanceRecord.objects.filter(session=session).values_list("enrollment_id", "status")
    return counts_for([status for pk, status in statuses if pk in audience], len(audience))


def roll_call(session) -> RollCall:
    """The session's audience with their records, grouped as facilitators call them."""
    return roll_calls([session])[0]


def roll_calls(sessions, *, program=None) -> list[RollCall]:
    """The roll call of each of one program's sessions, in a constant number of queries."""
    sessions = list(sessions)
    if not sessions:
        return []
    program = program or sessions[0].program
    audiences = session_audiences(program, sessions)
    enrollments = list(enrollments_for_program(program))
    enrollments.sort(key=lambda e: (e.group.number if e.group_id else 10_000, e.order, e.participant.name))
    records = defaultdict(dict)
    for record in AttendanceRecord.objects.filter(session__in=sessions):
        records[record.session_id][record.enrollment_id] = record
    registers = {r.session_id: r for r in Register.objects.filter(session__in=sessions)}
    calls = []
    for session in sessions:
        audience = audiences[session.pk]
        mine = {pk: record for pk, record in records[session.pk].items() if pk in audience}
        expected = [e for e in enrollments if e.pk in audience]
        calls.append(
            RollCall(
                session=session,
                register=registers.get(session.pk),
                rows=[(e, mine.get(e.pk)) for e in expected],
                counts=counts_for([record.status for record in mine.values()], len(expected)),
            )
        )
    return calls


@dataclass
class RecapRow:
    enrollment: object
    cells: list  # a record or None per session (None also where the session is not for them)
    expected: int = 0  # mandatory sessions of their audience that have started
    present: int = 0
    excused: int = 0
    jp: int = 0  # JP attended, of the learning sessions below
    jp_expected: int = 0  # JP of the learning sessions of their audience that have started, attendance taken
    missed: list = field(default_factory=list)
    days: dict = field(default_factory=dict)  # date -> [present, expected]

    @property
    def percent(self) -> int:
        # Cut, never rounded up: 79.6 % is 79 and below a minimum of 80, as completion counts it.
        return 100 * self.present // self.expected if self.expected else 100


@dataclass
class Recap:
    sessions: list
    rows: list
    minimum: int
    by_session: dict  # session pk -> (present, expected)
    by_day: list  # (date, percent)

    @property
    def below_minimum(self) -> list:
        return [row for row in self.rows if row.percent < self.minimum]


def recap(program, *, cohort: str = "", group: str = "", now: dt.datetime | None = None) -> Recap:
    """Participants × sessions: every cell, attendance per participant, per session and per day, the JP
    attended (of the learning sessions whose attendance was taken, out of ``jp_expected``), and who is under
    the program's minimum with the sessions they missed. A percentage counts the mandatory sessions of a
    participant's audience whose attendance was taken (someone recorded, or the register closed); present
    includes late. Completion (evaluations) counts from these same figures."""
    now = now or timezone.now()
    sessions = list(sessions_for_program(program))
    audiences = session_audiences(program, sessions)
    enrollments = list(enrollments_for_program(program))
    if (cohort_id := whole_number(cohort)) is not None:
        enrollments = [e for e in enrollments if e.cohort_id == cohort_id]
    if (number := whole_number(group)) is not None:
        enrollments = [e for e in enrollments if e.group_id and e.group.number == number]
    records = defaultdict(dict)
    for record in AttendanceRecord.objects.filter(session__program=program).only(
        "session_id", "enrollment_id", "status", "note"
    ):
        records[record.enrollment_id][record.session_id] = record
    taken = sessions_taken(program)
    counted = {s.pk for s in sessions if s.mandatory and s.starts_at <= now and s.pk in taken}
    learning = {s.pk for s in sessions if s.jp and s.starts_at <= now and s.pk in taken}
    rows = []
    per_session = {s.pk: [0, 0] for s in sessions}
    per_day = defaultdict(lambda: [0, 0])
    for enrollment in enrollments:
        mine = records.get(enrollment.pk, {})
        row = RecapRow(enrollment=enrollment, cells=[mine.get(s.pk) for s in sessions])
        for session in sessions:
            if enrollment.pk not in audiences[session.pk]:
                continue
            record = mine.get(session.pk)
            present = record is not None and record.status in PRESENT
            if session.pk in learning:
                row.jp_expected += session.jp
                row.jp += session.jp if present else 0
            if session.pk in counted:
                row.expected += 1
                per_session[session.pk][1] += 1
                day = session.starts_at.astimezone(program.tzinfo).date()
                per_day[day][1] += 1
                mine_today = row.days.setdefault(day, [0, 0])
                mine_today[1] += 1
                if present:
                    row.present += 1
                    per_session[session.pk][0] += 1
                    per_day[day][0] += 1
                    mine_today[0] += 1
                elif record is not None and record.status in EXCUSED:
                    row.excused += 1
                    row.missed.append((session, record))
                else:
                    row.missed.append((session, record))
        rows.append(row)
    return Recap(
        sessions=sessions,
        rows=rows,
        minimum=program.min_attendance_pct,
        by_session={pk: tuple(values) for pk, values in per_session.items()},
        by_day=[(day, 100 * p // e if e else 0) for day, (p, e) in sorted(per_day.items())],
    )


def sessions_taken(program) -> set[int]:
    """The sessions of the program whose attendance was taken: someone was recorded, or it was closed."""
    # One probe of the (session, enrollment) index per session, not a sort of every record of the program.
    recorded = Exists(AttendanceRecord.objects.filter(session=OuterRef("pk")))
    closed = Exists(Register.objects.filter(session=OuterRef("pk"), closed_at__isnull=False))
    return set(
        Session.objects.filter(program=program).filter(recorded | closed).order_by().values_list("pk", flat=True)
    )


def attendance_summary(sessions, statuses: dict, taken: set, now=None) -> dict:
    """The percentage of the mandatory ``sessions`` (anything with pk, mandatory and starts_at) that started
    and whose attendance was ``taken`` at which the participant was present (``statuses``: per session id),
    with its parts. One rule for the personal page and everything that shows a participant's own figure."""
    now = now or timezone.now()
    counted = [s for s in sessions if s.mandatory and s.starts_at <= now and s.pk in taken]
    present = sum(1 for s in counted if statuses.get(s.pk) in PRESENT)
    return {"percent": 100 * present // len(counted) if counted else None, "counted": len(counted), "present": present}


def history_of_session(session) -> dict:
    """Each record's changes, oldest first ("from alpa to sakit, by …, at …, reason …"), and the register's."""
    entries = defaultdict(list)
    for entry in (
        AttendanceRecord.history.filter(session_id=session.pk).select_related("history_user").order_by("history_date")
    ):
        entries[entry.id].append(entry)
    people = {
        e.pk: e
        for e in Enrollment.objects.select_related("participant").filter(
            pk__in={versions[0].enrollment_id for versions in entries.values()}
        )
    }
    labels = dict(AttendanceStatus.choices)
    records = []
    for versions in entries.values():
        changes, before = [], None
        for version in versions:
            changes.append({
                "from": labels.get(before.status) if before else None,
                "to": labels.get(version.status),
                "note": version.note,
                "method": version.get_method_display(),
                "by": version.history_user,
                "at": version.history_date,
                "reason": version.history_change_reason or "",
            })  # fmt: skip
            before = version
        records.append({"enrollment": people.get(versions[0].enrollment_id), "changes": changes})
    records.sort(key=lambda item: (item["enrollment"].order, item["enrollment"].participant.name)
                 if item["enrollment"] else (0, ""))  # fmt: skip
    register = list(
        Register.history.filter(session_id=session.pk).select_related("history_user").order_by("history_date")
    )
    before = None
    for entry in register:
        if before is None:
            entry.change = _("opened")
        elif entry.closed_at and not before.closed_at:
            entry.change = _("closed")
        elif before.closed_at and not entry.closed_at:
            entry.change = _("reopened")
        elif entry.self_checkin != before.self_checkin:
            entry.change = _("self check-in on") if entry.self_checkin else _("self check-in off")
        else:
            entry.change = _("changed")
        before = entry
    return {"records": records, "register_history": register}
