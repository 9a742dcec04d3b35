"""Every write of attendance. A check-in from any path (roll call, QR scan, self check-in, a phone's
offline queue, an organizer's correction) goes through ``checkin_apply``, which keeps one record per
participant and session, applies a phone's check-in id at most once, lets the latest event by the phone's
time win, and never lets a scan overwrite an organizer's correction."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from retreat.services import model_update
from retreat.versions import version_bump
from sessions.conflicts import session_audiences

from .enums import AttendanceStatus, CheckinMethod
from .models import AppliedCheckin, AttendanceRecord, AttendanceSettings, Register

SETTINGS_FIELDS = ("grace_minutes", "paper_size", "officer_name", "officer_nip", "officer_position")


@dataclass(frozen=True)
class Checkin:
    """What became of one check-in: ``outcome`` is saved, unchanged, duplicate, kept or outside."""

    record: AttendanceRecord | None
    outcome: str
    message: str


def settings_for(program) -> AttendanceSettings:
    found = getattr(program, "_attendance_settings", None)
    if found is None:
        found, _created = AttendanceSettings.objects.get_or_create(program=program)
        program._attendance_settings = found
    return found


def settings_update(*, program, data: dict) -> AttendanceSettings:
    with transaction.atomic():
        return model_update(instance=settings_for(program), fields=SETTINGS_FIELDS, data=data)


def status_on_arrival(session, at: dt.datetime, *, grace_minutes: int) -> str:
    """Present, or late when later than the session's start plus the program's grace period."""
    late_after = session.starts_at + dt.timedelta(minutes=grace_minutes)
    return AttendanceStatus.HADIR if at <= late_after else AttendanceStatus.TERLAMBAT


def attendance_changed(*, program_id: int | None = None, enrollment_id: int | None = None) -> None:
    """Participants' cached pages show their attendance: after commit, give the participant (one record
    changed) or the whole program (a register closed or reopened) a new version."""
    key = f"attendance-version:e{enrollment_id}" if enrollment_id else f"attendance-version:{program_id}"
    transaction.on_commit(lambda: version_bump(key))


# A phone whose clock runs behind would make every scan "before the start" and lose to every other event.
EARLIEST_BEFORE_START = dt.timedelta(hours=2)


def _open_register(session) -> Register:
    """The session's register, locked for this transaction: check-ins of a session and its closing run one
    after another, never interleaved."""
    register = Register.objects.select_for_update().filter(session=session).first()
    if register is None:
        Register.objects.get_or_create(session=session)
        register = Register.objects.select_for_update().get(session=session)
    if register.is_closed:
        raise ValidationError(
            _("The register of “%(session)s” is closed; an organizer can reopen it.") % {"session": session.title},
            code="closed",
        )
    return register


def _record_for_update(session, enrollment, defaults: dict) -> tuple[AttendanceRecord, bool]:
    """The record for this transaction, or a new one. The caller holds the register's lock, so no other
    check-in of this session runs meanwhile (and the unique constraint backs that up)."""
    record = AttendanceRecord.objects.filter(session=session, enrollment=enrollment).first()
    if record is not None:
        return record, False
    record = AttendanceRecord(session=session, enrollment=enrollment, **defaults)
    record._history_user = defaults.get("recorded_by")
    record.save()
    return record, True


def checkin_apply(
    *,
    session,
    enrollment,
    occurred_at: dt.datetime,
    method: str,
    user=None,
    status: str = "",
    note: str = "",
    event_id=None,
    reason: str = "",
    audience: frozenset[int] | None = None,
    may_correct: bool = False,
) -> Checkin:
    """Apply one check-in. Without a status it is present or late by the program's grace period. A tap
    by someone who ``may_correct`` (an organizer) that changes a record it is newer than becomes a
    correction. A record that closing the register made (alpa) gives way to any real check-in. Raises
    ValidationError for what the user must fix (an izin without a note, a closed register)."""
    note = note.strip()
    if status == AttendanceStatus.IZIN and not note:
        raise ValidationError({"note": _("An excused absence (izin) needs a note.")})
    if status and status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Unknown attendance status.")})
    if audience is None:
        audience = session_audiences(session.program, [session])[session.pk]
    if enrollment.pk not in audience:
        return Checkin(None, "outside", _("%(name)s is not in this session's audience: not recorded.")
                       % {"name": enrollment.participant.display_name})  # fmt: skip
    if not status:
        status = status_on_arrival(session, occurred_at, grace_minutes=settings_for(session.program).grace_minutes)
    occurred_at = max(occurred_at, session.starts_at - EARLIEST_BEFORE_START)
    name = enrollment.participant.display_name
    with transaction.atomic():
        _open_register(session)
        applied = AppliedCheckin.objects.select_related("record").filter(pk=event_id).first() if event_id else None
        if applied is not None:
            return Checkin(applied.record, "duplicate", _("%(name)s: already received.") % {"name": name})
        values = {"status": status, "note": note, "method": method, "recorded_by": user, "occurred_at": occurred_at}
        record, created = _record_for_update(session, enrollment, values)
        if (
            not created
            and may_correct
            and method == CheckinMethod.ROLL_CALL
            and record.status != status
            and occurred_at >= record.occurred_at
        ):
            method = values["method"] = CheckinMethod.CORRECTION
        replaceable = record.method == CheckinMethod.CLOSING and method != CheckinMethod.CLOSING
        if created:
            outcome, message = (
                "saved",
                _("%(name)s: %(status)s.") % {"name": name, "status": record.get_status_display()},
            )
        elif method != CheckinMethod.CORRECTION and record.method == CheckinMethod.CORRECTION:
            outcome, message = "kept", _("%(name)s: an organizer's correction stands (%(status)s).") % {
                "name": name, "status": record.get_status_display()}  # fmt: skip
        elif method != CheckinMethod.CORRECTION and occurred_at < record.occurred_at and not replaceable:
            outcome, message = "kept", _("%(name)s: a later check-in stands (%(status)s).") % {
                "name": name, "status": record.get_status_display()}  # fmt: skip
        elif (record.status, record.note) == (status, note):
            outcome, message = "unchanged", _("%(name)s: already recorded as %(status)s.") % {
                "name": name, "status": record.get_status_display()}  # fmt: skip
        else:
            previous = record.get_status_display()
            for field, value in values.items():
                setattr(record, field, value)
            record._history_user = user
            record._change_reason = reason
            record.save(update_fields=[*values, "received_at"])
            outcome, message = "saved", _("%(name)s: %(before)s → %(status)s.") % {
                "name": name, "before": previous, "status": record.get_status_display()}  # fmt: skip
        if event_id is not None:  # under the register's lock: a second copy of this event finds it
            AppliedCheckin.objects.create(id=event_id, record=record, outcome=outcome)
        if outcome == "saved":
            attendance_changed(enrollment_id=enrollment.pk)
        return Checkin(record, outcome, message)


def register_close(*, session, user) -> int:
    """Close a session's register: everyone of its audience without a record becomes alpa, once, and the
    register is frozen until reopened. Returns how many were marked alpa."""
    Register.objects.get_or_create(session=session)
    with transaction.atomic():
        register = Register.objects.select_for_update().get(session=session)
        if register.is_closed:
            raise ValidationError(_("This register is already closed."))
        audience = session_audiences(session.program, [session])[session.pk]
        recorded = set(AttendanceRecord.objects.filter(session=session).values_list("enrollment_id", flat=True))
        now = timezone.now()
        missing = [
            AttendanceRecord(session=session, enrollment_id=pk, status=AttendanceStatus.ALPA,
                             method=CheckinMethod.CLOSING, recorded_by=user, occurred_at=now)
            for pk in sorted(audience - recorded)
        ]  # fmt: skip
        bulk_create_with_history(missing, AttendanceRecord, default_user=user,
                                 default_change_reason=_("Register closed"))  # fmt: skip
        register.closed_at, register.closed_by = now, user
        register._history_user = user
        register._change_reason = _("Closed")
        register.save(update_fields=["closed_at", "closed_by"])
        attendance_changed(program_id=session.program_id)
        return len(missing)


def register_reopen(*, session, user, reason: str) -> Register:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the register.")})
    with transaction.atomic():
        register = Register.objects.select_for_update().filter(session=session).first()
        if register is None or not register.is_closed:
            raise ValidationError(_("This register is not closed."))
        register.closed_at, register.closed_by = None, None
        register._history_user = user
        register._change_reason = reason
        register.save(update_fields=["closed_at", "closed_by"])
        attendance_changed(program_id=session.program_id)
        return register


def self_checkin_switch(*, session, user, enabled: bool) -> Register:
    with transaction.atomic():
        register = _open_register(session)
        register.self_checkin = enabled
        register._history_user = user
        register._change_reason = _("Self check-in on") if enabled else _("Self check-in off")
        register.save(update_fields=["self_checkin"])
        return register


def self_checkin(*, enrollment, code: str, session_id=None, now: dt.datetime | None = None) -> Checkin:
    """A participant checks in from their personal page with the code on the room's screen (typed, or read
    from its QR code, which also names the session). The personal link says who: nobody can check in
    someone else. Raises ValidationError with what to do for a wrong, expired or foreign code."""

    from .codes import age_of

    now = now or timezone.now()
    code = "".join(ch for ch in str(code) if ch.isdigit())
    if len(code) != 6:
        raise ValidationError(_("Type the six digits shown on the screen."))
    registers = list(
        Register.objects.select_related("session", "session__program")
        .filter(session__program_id=enrollment.program_id, self_checkin=True, closed_at__isnull=True)
        .filter(session__starts_at__lte=now + dt.timedelta(hours=1), session__ends_at__gte=now - dt.timedelta(hours=1))
    )
    if session_id is not None:  # read from the screen's QR code, which names its session
        named = [register for register in registers if str(register.session_id) == str(session_id)]
        if not any(age_of(register, code, now) is not None for register in named) and any(
            age_of(register, code, now) is not None for register in registers
        ):
            raise ValidationError(_("This code belongs to another session."))
        registers = named
    matches = [(register, age_of(register, code, now)) for register in registers]
    matches = [(register, age) for register, age in matches if age is not None]
    if not matches:
        raise ValidationError(_("This code is not valid: type the code on the screen now."))
    register, age = min(matches, key=lambda match: match[1])
    if age > 1:
        raise ValidationError(_("This code has expired: type the code on the screen now."))
    session = register.session
    return checkin_apply(session=session, enrollment=enrollment, occurred_at=now, method=CheckinMethod.SELF,
                         user=None)  # fmt: skip


def applied_checkins_purge(*, older_than_days: int) -> int:
    """Forget the ids of check-ins applied long ago: a phone resends its queue within hours, not weeks."""
    before = timezone.now() - dt.timedelta(days=older_than_days)
    deleted, _by_model = AppliedCheckin.objects.filter(applied_at__lt=before).delete()
    return deleted
