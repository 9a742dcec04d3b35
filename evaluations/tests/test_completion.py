"""Completion (kelulusan): the rule's exact reasons at the boundary, the committee's decision with its
reason and history, and the pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from attendance.enums import AttendanceStatus, CheckinMethod
from attendance.models import AttendanceRecord
from evaluations.enums import AttendanceBasis, QuestionnaireKind
from evaluations.models import Answer, CompletionOverride, Form, Response
from evaluations.selectors import completion as selectors
from evaluations.services import completion as services
from evaluations.tests.fixtures import at
from participants.tests.factories import EnrollmentFactory
from sessions.models import Session

H, A = AttendanceStatus.HADIR, AttendanceStatus.ALPA


def _sessions(program, count, *, minutes=90):
    """``count`` mandatory learning sessions on the second day, one after another."""
    return [
        Session.objects.create(program=program, kind="materi", title=f"Materi {n + 1}", counts_for_jp=True,
                               starts_at=at(program, 2, f"{7 + n:02d}:00"),
                               ends_at=at(program, 2, f"{7 + n:02d}:00") + timezone.timedelta(minutes=minutes))
        for n in range(count)
    ]  # fmt: skip


def _record(session, enrollment, status):
    AttendanceRecord.objects.create(session=session, enrollment=enrollment, status=status,
                                    method=CheckinMethod.ROLL_CALL, occurred_at=session.starts_at)  # fmt: skip


def _rule(program, user, **data):
    data = {"attendance_basis": AttendanceBasis.SESSIONS, "forms_required": False, "min_assessment_score": None,
            "follow_up_days": [30, 60, 90], "min_attendance_pct": 80, **data}  # fmt: skip
    services.evaluation_settings_update(program=program, data=data, user=user)
    program.refresh_from_db()


def _row(program, enrollment):
    return next(row for row in selectors.completion_for_program(program).rows if row.enrollment == enrollment)


@pytest.mark.parametrize(
    ("attended", "expected", "reason"),
    [
        (799, 1000, "kehadiran 79,9 % < 80 %"),
        (800, 1000, ""),
        (7999, 10000, "kehadiran 79,9 % < 80 %"),  # 79.99 is cut, never shown as 80
        (3, 4, "kehadiran 75 % < 80 %"),
        (4, 5, ""),
        (0, 0, ""),  # nothing taken yet blocks no one
    ],
)
def test_attendance_reason_exact_at_the_boundary(attended, expected, reason):
    with translation.override("id"):
        assert selectors.attendance_reason(attended=attended, expected=expected, minimum=80,
                                           basis=AttendanceBasis.SESSIONS) == reason  # fmt: skip


def test_attendance_reason_in_jp_names_the_hours():
    with translation.override("id"):
        text = selectors.attendance_reason(attended=14, expected=18, minimum=80, basis=AttendanceBasis.JP)
    assert text == "kehadiran 14 dari 18 JP (77,7 %) < 80 %"


def test_completion_counts_mandatory_sessions(db, program, organizer):
    sessions = _sessions(program, 5)
    four, three = EnrollmentFactory.create_batch(2, program=program)
    for n, session in enumerate(sessions):
        _record(session, four, H if n < 4 else A)
        _record(session, three, H if n < 3 else A)
    _rule(program, organizer)
    with translation.override("id"):
        rows = {row.enrollment: row for row in selectors.completion_for_program(program).rows}
    assert rows[four].complete
    assert rows[four].reasons == []
    assert not rows[three].complete
    assert rows[three].reasons == ["kehadiran 60 % < 80 %"]
    assert selectors.complete_enrollments(program) == [four]


def test_completion_in_jp_weighs_longer_sessions(db, program, organizer):
    long, short = _sessions(program, 2)  # 2 JP each (90 min)
    long.ends_at = long.starts_at + timezone.timedelta(minutes=45 * 6)  # 6 JP
    long.save()
    enrollment = EnrollmentFactory(program=program)
    _record(long, enrollment, H)
    _record(short, enrollment, A)
    _rule(program, organizer, attendance_basis=AttendanceBasis.JP)
    row = _row(program, enrollment)
    assert (row.attended, row.expected) == (6, 8)
    with translation.override("id"):
        assert _row(program, enrollment).reasons == ["kehadiran 6 dari 8 JP (75 %) < 80 %"]
    _rule(program, organizer, attendance_basis=AttendanceBasis.JP, min_attendance_pct=75)
    assert _row(program, enrollment).complete


def test_completion_names_the_required_forms_not_submitted(db, program, organizer, people, evaluations):
    _rule(program, organizer, forms_required=True)
    organization = Form.objects.get(program=program, questionnaire__kind=QuestionnaireKind.ORGANIZATION)
    Response.objects.create(form=organization, enrollment=people[0])
    program.questionnaires.exclude(kind=QuestionnaireKind.ORGANIZATION).update(required=False)
    with translation.override("id"):
        rows = {row.enrollment: row for row in selectors.completion_for_program(program).rows}
        title = organization.questionnaire.title
        assert rows[people[0]].reasons == []
        assert rows[people[1]].reasons == [f"{title} belum diisi"]
        program.questionnaires.filter(kind=QuestionnaireKind.SPEAKER).update(required=True)
        speaker = _row(program, people[1]).reasons
    speaker_title = program.questionnaires.get(kind=QuestionnaireKind.SPEAKER).title
    assert sorted(speaker) == sorted([f"{title} belum diisi", f"{speaker_title}: 1 sesi belum diisi"])


def test_completion_by_facilitators_score(db, program, organizer, facilitator, people, evaluations):
    _rule(program, organizer, min_assessment_score=70)
    form = Form.objects.get(program=program, questionnaire__kind=QuestionnaireKind.ASSESSMENT)
    questions = list(form.questionnaire.questions.filter(kind="score"))
    for enrollment, scores in ((people[0], [70] * len(questions)), (people[1], [70] * (len(questions) - 1) + [69])):
        response = Response.objects.create(form=form, assessor=facilitator, subject=enrollment)
        Answer.objects.bulk_create(
            Answer(response=response, question=q, number=n) for q, n in zip(questions, scores, strict=True)
        )
    with translation.override("id"):
        rows = {row.enrollment: row for row in selectors.completion_for_program(program).rows}
    assert rows[people[0]].complete
    assert rows[people[1]].reasons == [f"nilai pendamping {selectors.score_shown(70 - 1 / len(questions))} < 70"]
    assert rows[people[1]].reasons[0].startswith("nilai pendamping 69,")
    assert rows[people[2]].reasons == ["belum ada penilaian pendamping"]


def test_override_needs_a_reason_and_nothing_is_saved_without(db, program, organizer):
    enrollment = EnrollmentFactory(program=program)
    with pytest.raises(ValidationError) as raised:
        services.completion_override_set(enrollment=enrollment, complete=True, reason="  ", user=organizer)
    assert "reason" in raised.value.message_dict
    assert not CompletionOverride.objects.exists()
    assert not CompletionOverride.history.exists()


def test_override_either_way_is_in_the_history(db, program, organizer):
    sessions = _sessions(program, 2)
    enrollment = EnrollmentFactory(program=program)
    _record(sessions[0], enrollment, H)
    _record(sessions[1], enrollment, AttendanceStatus.SAKIT)
    _rule(program, organizer)
    assert not _row(program, enrollment).complete
    reason = "Sakit dengan surat dokter; materi disusulkan"
    services.completion_override_set(enrollment=enrollment, complete=True, reason=reason, user=organizer)
    row = _row(program, enrollment)
    assert row.complete
    assert not row.by_rule
    assert row.reasons  # the rule's reasons stay visible
    services.completion_override_remove(enrollment=enrollment, reason="Materi susulan tidak diikuti", user=organizer)
    assert not _row(program, enrollment).complete
    history = selectors.override_history(enrollment)
    assert [(h.history_type, h.history_user, h.history_change_reason) for h in history] == [
        ("-", organizer, "Materi susulan tidak diikuti"),
        ("+", organizer, "Sakit dengan surat dokter; materi disusulkan"),
    ]


def test_completion_page_lists_reasons_and_decisions(db, program, organizer_client, organizer):
    sessions = _sessions(program, 4)
    done, short = EnrollmentFactory.create_batch(2, program=program)
    for n, session in enumerate(sessions):
        _record(session, done, H)
        _record(session, short, H if n < 3 else A)
    _rule(program, organizer)
    url = reverse("evaluations:completion", args=[program.pk])
    page = organizer_client.get(url).content.decode()
    assert "kehadiran 75 % &lt; 80 %" in page
    assert "<strong>1</strong> / 2" in page
    decide = reverse("evaluations:completion_override", args=[program.pk, short.pk])
    refused = organizer_client.post(decide, {"decision": "complete", "reason": ""})
    assert "Bidang ini tidak boleh kosong" in refused.content.decode()
    assert not CompletionOverride.objects.exists()
    organizer_client.post(decide, {"decision": "complete", "reason": "Tugas negara, disetujui Sekda"})
    detail_url = reverse("evaluations:completion_detail", args=[program.pk, short.pk])
    detail = organizer_client.get(detail_url).content.decode()
    assert "Tugas negara, disetujui Sekda" in detail
    assert "<strong>2</strong> / 2" in organizer_client.get(url).content.decode()


def test_completion_page_queries_do_not_grow(db, program, organizer_client, organizer, django_assert_max_num_queries):
    _rule(program, organizer, forms_required=True, min_assessment_score=70)
    sessions = _sessions(program, 2)
    url = reverse("evaluations:completion", args=[program.pk])
    first = EnrollmentFactory(program=program)
    _record(sessions[0], first, H)
    with django_assert_max_num_queries(22) as one:
        organizer_client.get(url)
    for enrollment in EnrollmentFactory.create_batch(30, program=program):
        _record(sessions[0], enrollment, H)
        services.completion_override_set(enrollment=enrollment, complete=True, reason="Diputuskan panitia",
                                         user=organizer)  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = organizer_client.get(url)
    assert response.content.decode().count("list-group-item d-flex") == 31


def test_completion_spreadsheet_lists_reasons_and_decisions_and_is_recorded(db, program, organizer_client,
                                                                            organizer):  # fmt: skip
    import io

    from openpyxl import load_workbook

    from retreat.models import ExportRecord

    sessions = _sessions(program, 4)
    done, short = EnrollmentFactory.create_batch(2, program=program)
    for n, session in enumerate(sessions):
        _record(session, done, H)
        _record(session, short, H if n < 3 else A)
    _rule(program, organizer)
    services.completion_override_set(enrollment=done, complete=False, reason="Tidak mengumpulkan RTL", user=organizer)
    response = organizer_client.get(reverse("evaluations:completion_xlsx", args=[program.pk]))
    rows = [list(row) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert len(rows) == 3
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name[short.participant.display_name][2] == short.participant.nip  # an organizer sees the NIP
    assert by_name[short.participant.display_name][5:10] == ["3/4", "75", None, "Belum lulus", "kehadiran 75 % < 80 %"]
    assert by_name[done.participant.display_name][8:11] == [
        "Belum lulus",
        None,
        "Tidak mengumpulkan RTL",
    ]  # no reason by the rule
    assert ExportRecord.objects.get().rows == 2
