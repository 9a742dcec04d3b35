import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from attendance import services
from attendance.enums import AttendanceStatus, CheckinMethod
from attendance.models import AttendanceRecord
from attendance.tests.conftest import at
from retreat.models import Cohort
from sessions.models import Session


def test_checkin_present_then_late_after_the_grace_period(program, session, people, organizer):
    on_time = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:15"),
                                     method=CheckinMethod.QR, user=organizer)  # fmt: skip
    late = services.checkin_apply(session=session, enrollment=people[1], occurred_at=at(program, 2, "08:16"),
                                  method=CheckinMethod.QR, user=organizer)  # fmt: skip
    assert (on_time.record.status, late.record.status) == (AttendanceStatus.HADIR, AttendanceStatus.TERLAMBAT)
    services.settings_update(program=program, data={"grace_minutes": 30})
    program.refresh_from_db()
    session.refresh_from_db()
    third = services.checkin_apply(session=session, enrollment=people[2], occurred_at=at(program, 2, "08:25"),
                                   method=CheckinMethod.QR, user=organizer)  # fmt: skip
    assert third.record.status == AttendanceStatus.HADIR


def test_scanning_twice_is_harmless_and_says_so(program, session, people, organizer):
    first = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:00"),
                                   method=CheckinMethod.QR, user=organizer)  # fmt: skip
    again = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:01"),
                                   method=CheckinMethod.QR, user=organizer)  # fmt: skip
    assert (first.outcome, again.outcome) == ("saved", "unchanged")
    assert "sudah tercatat" in again.message
    assert AttendanceRecord.objects.count() == 1


def test_the_same_checkin_id_applies_once(program, session, people, organizer):
    event = uuid.uuid4()
    kwargs = {"session": session, "enrollment": people[0], "occurred_at": at(program, 2, "08:00"),
              "method": CheckinMethod.ROLL_CALL, "user": organizer, "status": "hadir", "event_id": event}  # fmt: skip
    assert services.checkin_apply(**kwargs).outcome == "saved"
    assert services.checkin_apply(**{**kwargs, "status": "sakit"}).outcome == "duplicate"
    assert AttendanceRecord.objects.get().status == AttendanceStatus.HADIR


def test_latest_by_phone_time_wins_and_a_correction_wins_over_a_scan(program, session, people, organizer):
    later = at(program, 2, "08:30")
    services.checkin_apply(session=session, enrollment=people[0], occurred_at=later, method=CheckinMethod.ROLL_CALL,
                           user=organizer, status="terlambat")  # fmt: skip
    older = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:05"),
                                   method=CheckinMethod.QR, user=organizer, status="hadir")  # fmt: skip
    assert older.outcome == "kept"
    correction = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:10"),
                                        method=CheckinMethod.CORRECTION, user=organizer, status="sakit",
                                        reason="Surat dokter")  # fmt: skip
    assert correction.outcome == "saved"
    scan = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "09:00"),
                                  method=CheckinMethod.QR, user=organizer)  # fmt: skip
    assert scan.outcome == "kept"
    record = AttendanceRecord.objects.get()
    assert record.status == AttendanceStatus.SAKIT
    history = list(record.history.order_by("history_date").values_list("status", "history_change_reason"))
    assert history == [("terlambat", None), ("sakit", "Surat dokter")]


def test_izin_needs_a_note_and_nothing_is_saved_without(program, session, people, organizer):
    with pytest.raises(ValidationError) as refused:
        services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:00"),
                               method=CheckinMethod.ROLL_CALL, user=organizer, status="izin")  # fmt: skip
    assert "note" in refused.value.message_dict
    assert not AttendanceRecord.objects.exists()
    saved = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:00"),
                                   method=CheckinMethod.ROLL_CALL, user=organizer, status="izin",
                                   note="Dinas ke provinsi")  # fmt: skip
    assert saved.record.note == "Dinas ke provinsi"


def test_someone_outside_the_audience_is_flagged_not_added(program, people, organizer):
    cohort = Cohort.objects.create(program=program, name="Angkatan II")
    people[1].cohort = cohort
    people[1].save()
    session = Session.objects.create(program=program, kind="materi", title="Kelas Angkatan II",
                                     starts_at=at(program, 2, "10:00"), ends_at=at(program, 2, "11:00"))  # fmt: skip
    session.cohorts.set([cohort])
    outside = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "10:00"),
                                     method=CheckinMethod.QR, user=organizer)  # fmt: skip
    assert outside.outcome == "outside"
    assert people[0].participant.display_name in outside.message
    assert not AttendanceRecord.objects.exists()


def test_closing_marks_the_missing_alpa_once_and_freezes_until_reopened(program, session, people, organizer):
    services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:00"),
                           method=CheckinMethod.ROLL_CALL, user=organizer, status="hadir")  # fmt: skip
    assert services.register_close(session=session, user=organizer) == 2
    statuses = sorted(AttendanceRecord.objects.values_list("status", flat=True))
    assert statuses == ["alpa", "alpa", "hadir"]
    with pytest.raises(ValidationError):
        services.register_close(session=session, user=organizer)
    assert AttendanceRecord.objects.count() == 3
    with pytest.raises(ValidationError, match="ditutup"):
        services.checkin_apply(session=session, enrollment=people[1], occurred_at=at(program, 2, "09:00"),
                               method=CheckinMethod.ROLL_CALL, user=organizer, status="sakit")  # fmt: skip
    with pytest.raises(ValidationError):
        services.register_reopen(session=session, user=organizer, reason="  ")
    services.register_reopen(session=session, user=organizer, reason="Peserta sakit, surat menyusul")
    services.checkin_apply(session=session, enrollment=people[1], occurred_at=at(program, 2, "09:00"),
                           method=CheckinMethod.CORRECTION, user=organizer, status="sakit")  # fmt: skip
    reasons = list(session.register.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["Ditutup", "Peserta sakit, surat menyusul"]


def test_a_phone_clock_in_the_future_counts_as_now():
    from attendance.views import _event_time

    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    assert _event_time(future) <= dt.datetime.now(dt.UTC)
    assert _event_time("not a time") <= dt.datetime.now(dt.UTC)


def test_after_reopening_a_real_checkin_replaces_the_alpa_of_closing(program, session, people, organizer):
    services.register_close(session=session, user=organizer)
    services.register_reopen(session=session, user=organizer, reason="Sinyal hilang saat apel")
    queued = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:05"),
                                    method=CheckinMethod.QR, user=organizer)  # fmt: skip
    assert queued.outcome == "saved"
    assert AttendanceRecord.objects.get(enrollment=people[0]).status == AttendanceStatus.HADIR


def test_an_organizers_older_tap_does_not_become_a_correction(program, session, people, organizer):
    services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:30"),
                           method=CheckinMethod.QR, user=organizer)  # fmt: skip
    old_tap = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:00"),
                                     method=CheckinMethod.ROLL_CALL, user=organizer, status="sakit",
                                     may_correct=True)  # fmt: skip
    assert old_tap.outcome == "kept"
    newer = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "09:00"),
                                   method=CheckinMethod.ROLL_CALL, user=organizer, status="sakit",
                                   may_correct=True)  # fmt: skip
    assert newer.record.method == CheckinMethod.CORRECTION


def test_a_phone_clock_far_behind_still_counts_as_before_the_start(program, session, people, organizer):
    result = services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 1, "03:00"),
                                    method=CheckinMethod.QR, user=organizer)  # fmt: skip
    assert result.record.occurred_at == session.starts_at - services.EARLIEST_BEFORE_START


def test_old_checkin_ids_are_forgotten_recent_ones_kept(program, session, people, organizer):
    from attendance.models import AppliedCheckin
    from attendance.tasks import task_purge_applied_checkins

    for enrollment in people[:2]:
        services.checkin_apply(session=session, enrollment=enrollment, occurred_at=at(program, 2, "08:00"),
                               method=CheckinMethod.ROLL_CALL, user=organizer, status="hadir",
                               event_id=uuid.uuid4())  # fmt: skip
    old = AppliedCheckin.objects.first()
    AppliedCheckin.objects.filter(pk=old.pk).update(applied_at=old.applied_at - dt.timedelta(days=40))
    assert task_purge_applied_checkins.delay().get() == 1
    assert AppliedCheckin.objects.count() == 1
