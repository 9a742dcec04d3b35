import json
import uuid

import pytest
from django.urls import reverse

from attendance import services
from attendance.enums import CheckinMethod
from attendance.models import AttendanceRecord
from attendance.tests.conftest import at
from participants.tests.factories import EnrollmentFactory
from retreat.enums import Role
from retreat.tests.factories import MembershipFactory
from sessions.models import Session


def _url(name, program, session=None):
    kwargs = {"program_pk": program.pk}
    if session is not None:
        kwargs["session_pk"] = session.pk
    return reverse(f"attendance:{name}", kwargs=kwargs)


def _batch(client, program, session, events):
    return client.post(_url("checkin_batch", program, session), json.dumps({"events": events}),
                       content_type="application/json")  # fmt: skip


def test_facilitator_calls_the_roll_with_counts(client, facilitator, program, session, people):
    client.force_login(facilitator)
    page = client.get(_url("roll_call", program, session)).content.decode()
    for enrollment in people:
        assert enrollment.participant.display_name in page
    assert 'data-count="not_yet">3<' in page
    client.post(_url("roll_call", program, session), {"enrollment": people[0].pk, "status": "terlambat"})
    client.post(_url("roll_call", program, session), {"enrollment": people[1].pk, "status": "izin", "note": "Rapat"})
    records = dict(AttendanceRecord.objects.values_list("enrollment_id", "status"))
    assert records == {people[0].pk: "terlambat", people[1].pk: "izin"}
    page = client.get(_url("roll_call", program, session)).content.decode()
    assert 'data-count="terlambat">1<' in page
    assert 'data-count="excused">1<' in page
    assert 'data-count="not_yet">1<' in page
    assert AttendanceRecord.objects.get(enrollment=people[1]).method == CheckinMethod.ROLL_CALL


def test_an_offline_batch_sent_twice_changes_nothing(client, facilitator, program, session, people):
    client.force_login(facilitator)
    events = [{"id": str(uuid.uuid4()), "enrollment": e.pk, "status": "hadir",
               "occurred_at": at(program, 2, "08:05").isoformat()} for e in people]  # fmt: skip
    first = _batch(client, program, session, events).json()
    assert [r["outcome"] for r in first["results"]] == ["saved"] * 3
    assert first["counts"]["hadir"] == 3
    history_rows = AttendanceRecord.history.count()
    second = _batch(client, program, session, events).json()
    assert [r["outcome"] for r in second["results"]] == ["duplicate"] * 3
    assert AttendanceRecord.objects.count() == 3
    assert AttendanceRecord.history.count() == history_rows


def test_a_checkin_older_than_a_correction_does_not_overwrite_it(client, organizer, facilitator, program, session,
                                                                 people):  # fmt: skip
    services.checkin_apply(session=session, enrollment=people[0], occurred_at=at(program, 2, "08:00"),
                           method=CheckinMethod.CORRECTION, user=organizer, status="sakit")  # fmt: skip
    client.force_login(facilitator)
    queued = [{"id": str(uuid.uuid4()), "enrollment": people[0].pk, "status": "hadir",
               "occurred_at": at(program, 2, "07:59").isoformat()}]  # fmt: skip
    result = _batch(client, program, session, queued).json()["results"][0]
    assert (result["outcome"], result["status"]) == ("kept", "sakit")


def test_batch_refuses_what_it_cannot_read(client, facilitator, program, session, people, other_program):
    client.force_login(facilitator)
    foreign = EnrollmentFactory(program=other_program)
    response = _batch(client, program, session, [
        {"id": "bukan-uuid", "enrollment": people[0].pk, "status": "hadir"},
        {"id": str(uuid.uuid4()), "enrollment": foreign.pk, "status": "hadir"},
        {"id": str(uuid.uuid4()), "enrollment": people[1].pk, "status": "izin"},
    ])  # fmt: skip
    outcomes = [(r["outcome"], r["message"]) for r in response.json()["results"]]
    assert [o for o, _m in outcomes] == ["refused"] * 3
    assert "keterangan" in outcomes[2][1].lower()
    assert not AttendanceRecord.objects.exists()
    bad = client.post(_url("checkin_batch", program, session), "{nope", content_type="application/json")
    assert bad.status_code == 400


def test_closing_from_the_page_and_reading_the_history(organizer_client, program, session, people):
    organizer_client.post(_url("register_close", program, session))
    assert AttendanceRecord.objects.filter(status="alpa").count() == 3
    organizer_client.post(_url("register_reopen", program, session), {"reason": "Salah tutup"})
    organizer_client.post(_url("roll_call", program, session), {"enrollment": people[0].pk, "status": "sakit"})
    record = AttendanceRecord.objects.get(enrollment=people[0])
    assert (record.status, record.method) == ("sakit", CheckinMethod.CORRECTION)
    page = organizer_client.get(_url("history", program, session)).content.decode()
    assert "diubah dari Alpa (tanpa keterangan) menjadi Sakit" in page
    assert "Salah tutup" in page


def test_leader_reads_the_recap_but_records_nothing(client, leader, program, session, people):
    client.force_login(leader)
    recap = client.get(_url("recap", program)).content.decode()
    assert people[0].participant.display_name in recap
    assert _url("recap_export", program) not in recap  # leaders read, they don't export
    assert client.get(_url("roll_call", program, session)).status_code == 403
    assert _batch(client, program, session, []).status_code == 403


def test_another_institutions_facilitator_gets_404_everywhere(client, program, session, other_institution):
    outsider = MembershipFactory(institution=other_institution, role=Role.FACILITATOR).user
    client.force_login(outsider)
    for name in ("home", "recap", "recap_export", "settings"):
        assert client.get(_url(name, program)).status_code == 404, name
    for name in ("roll_call", "history"):
        assert client.get(_url(name, program, session)).status_code == 404, name
    for name in ("checkin_batch", "register_close", "register_reopen", "roll_call"):
        assert client.post(_url(name, program, session)).status_code == 404, name


def test_recap_percentages_below_minimum_and_jp(organizer_client, organizer, program, people):
    sessions = [
        Session.objects.create(program=program, kind="materi", title=f"Materi {n}", counts_for_jp=True,
                               starts_at=at(program, 2, f"{8 + n:02d}:00"), ends_at=at(program, 2, f"{8 + n:02d}:45"))
        for n in range(5)
    ]  # fmt: skip
    for session in sessions:
        services.checkin_apply(session=session, enrollment=people[0], occurred_at=session.starts_at,
                               method=CheckinMethod.ROLL_CALL, user=organizer, status="hadir")  # fmt: skip
    for session in sessions[:3]:
        services.checkin_apply(session=session, enrollment=people[1], occurred_at=session.starts_at,
                               method=CheckinMethod.ROLL_CALL, user=organizer, status="hadir")  # fmt: skip
    services.checkin_apply(session=sessions[3], enrollment=people[1], occurred_at=sessions[3].starts_at,
                           method=CheckinMethod.ROLL_CALL, user=organizer, status="izin",
                           note="Rapat DPRD")  # fmt: skip
    page = organizer_client.get(_url("recap", program)).content.decode()
    below = page.split('class="small mb-0 below-minimum"')[1].split("</ul>")[0]
    assert people[1].participant.display_name in below  # 3 of 5 = 60% < 80%
    assert "Materi 3 (Izin)" in below
    assert people[0].participant.display_name not in below
    from attendance.selectors import recap

    rows = {row.enrollment.pk: row for row in recap(program).rows}
    assert (rows[people[0].pk].percent, rows[people[0].pk].jp) == (100, 5)
    assert (rows[people[1].pk].percent, rows[people[1].pk].excused) == (60, 1)
    # A session whose attendance nobody took counts for no one.
    Session.objects.create(program=program, kind="materi", title="Tanpa presensi", starts_at=at(program, 3, "08:00"),
                           ends_at=at(program, 3, "09:00"))  # fmt: skip
    rows = {row.enrollment.pk: row for row in recap(program).rows}
    assert (rows[people[0].pk].percent, rows[people[0].pk].expected) == (100, 5)


@pytest.mark.parametrize("name", ["recap", "roll_call", "home"])
def test_attendance_pages_run_constant_queries(organizer_client, organizer, program, name,
                                               django_assert_max_num_queries):  # fmt: skip
    counts = []
    for size in (3, 30):
        EnrollmentFactory.create_batch(size - program.enrollments.count(), program=program)
        while program.sessions.count() < size:
            n = program.sessions.count()
            Session.objects.create(program=program, kind="materi", title=f"S{n}",
                                             starts_at=at(program, 1 + n % 3, "08:00"),
                                             ends_at=at(program, 1 + n % 3, "09:00"))  # fmt: skip
        first = program.sessions.order_by("pk").first()
        for enrollment in program.enrollments.all():
            services.checkin_apply(session=first, enrollment=enrollment, occurred_at=first.starts_at,
                                   method=CheckinMethod.ROLL_CALL, user=organizer, status="hadir")  # fmt: skip
        url = _url(name, program, first if name == "roll_call" else None)
        with django_assert_max_num_queries(40) as captured:
            assert organizer_client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_recap_export_keeps_nips_as_text(organizer_client, organizer, program, session, people):
    import io

    from openpyxl import load_workbook

    from retreat.models import ExportRecord

    services.checkin_apply(session=session, enrollment=people[0], occurred_at=session.starts_at,
                           method=CheckinMethod.ROLL_CALL, user=organizer, status="hadir")  # fmt: skip
    response = organizer_client.get(_url("recap_export", program))
    sheet = load_workbook(io.BytesIO(response.content)).active
    nips = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert people[0].participant.nip in nips
    assert all(isinstance(nip, str) for nip in nips)
    assert ExportRecord.objects.get().rows == 3


def test_qr_checkins_name_people_by_their_link_and_refuse_other_programs(client, facilitator, program, session,
                                                                         people, other_program):  # fmt: skip
    from participants import services as participant_services

    client.force_login(facilitator)
    foreign = participant_services.access_link_issue(enrollment=EnrollmentFactory(program=other_program))
    results = _batch(client, program, session, [
        {"id": str(uuid.uuid4()), "token": people[0].access_token, "method": "qr"},
        {"id": str(uuid.uuid4()), "token": foreign.access_token, "method": "qr"},
        {"id": str(uuid.uuid4()), "token": "tebakan-token-acak-sekali", "method": "qr"},
    ]).json()["results"]  # fmt: skip
    assert [r["outcome"] for r in results] == ["saved", "refused", "refused"]
    record = AttendanceRecord.objects.get()
    assert (record.enrollment_id, record.method) == (people[0].pk, CheckinMethod.QR)
    scan = client.get(_url("scan", program, session)).content.decode()
    assert f'data-sync-url="{_url("checkin_batch", program, session)}"' in scan


def test_a_checkin_refused_by_a_closed_register_waits_on_the_phone(client, organizer, facilitator, program, session,
                                                                   people):  # fmt: skip
    services.register_close(session=session, user=organizer)
    client.force_login(facilitator)
    result = _batch(client, program, session, [{"id": str(uuid.uuid4()), "enrollment": people[0].pk,
                                                "status": "hadir"}]).json()["results"][0]  # fmt: skip
    assert result["outcome"] == "waiting"
    assert "ditutup" in result["message"]
