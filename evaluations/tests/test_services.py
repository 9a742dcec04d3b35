import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from evaluations.enums import OPEN, UPCOMING, Phase, QuestionKind, QuestionnaireKind, band
from evaluations.models import Answer, Form, Response
from evaluations.selectors import forms as selectors
from evaluations.services import forms as services
from evaluations.tests.fixtures import at


def _answers(form, **overrides):
    """A full, valid set of answers to the form's questionnaire."""
    answers = {}
    for question in form.questionnaire.questions.all():
        answers[str(question.pk)] = {
            QuestionKind.SCALE: question.scale_max,
            QuestionKind.SINGLE: 0,
            QuestionKind.MULTIPLE: [0],
            QuestionKind.SHORT: "singkat",
            QuestionKind.LONG: "Materi sangat bermanfaat.",
            QuestionKind.SCORE: 85,
        }[question.kind]
    answers.update(overrides)
    return answers


def _form(program, kind, phase=""):
    return Form.objects.get(program=program, questionnaire__kind=kind, phase=phase, session=None)


def test_setup_copies_every_builtin_questionnaire_once_with_its_forms(program, speaker_session, evaluations):
    assert {q.kind for q in evaluations} == set(QuestionnaireKind)
    speaker = Form.objects.get(program=program, session=speaker_session)
    assert speaker.opens_at == speaker_session.starts_at  # a speaker form opens when its session starts
    assert speaker.questionnaire.questions.filter(kind=QuestionKind.SCALE).count() == 10
    berakhlak = program.questionnaires.get(kind=QuestionnaireKind.BERAKHLAK)
    assert berakhlak.sections.count() == 7
    assert Form.objects.filter(questionnaire=berakhlak).count() == 2  # before and after
    assert services.evaluations_setup(program=program) == []
    assert Form.objects.filter(program=program).count() == 1 + 1 + 2 + 2 + 1


def test_speaker_forms_follow_the_agenda(program, speaker_session, evaluations):
    from sessions.tests.factories import SpeakerFactory

    speaker_session.speakers.clear()
    assert not Form.objects.filter(session=speaker_session).exists()
    speaker_session.speakers.add(SpeakerFactory(institution=program.organizer))
    assert Form.objects.filter(session=speaker_session).count() == 1
    speaker_session.counts_for_jp = False  # an assembly's official is not evaluated
    speaker_session.save()
    assert not Form.objects.filter(session=speaker_session).exists()


def test_a_speaker_form_follows_its_rescheduled_session_until_an_organizer_sets_its_times(program, speaker_session,
                                                                                           evaluations):  # fmt: skip
    from evaluations.services import editor

    form = Form.objects.get(session=speaker_session)
    usual_close = services.forms_close_at(program)
    assert (form.opens_at, form.closes_at) == (speaker_session.starts_at, usual_close)
    speaker_session.starts_at, speaker_session.ends_at = at(program, 3, "13:00"), at(program, 3, "15:00")
    speaker_session.save()  # moved to the next day's afternoon
    form.refresh_from_db()
    assert (form.opens_at, form.closes_at) == (at(program, 3, "13:00"), usual_close)
    late = usual_close + dt.timedelta(hours=2)  # a session that ends after the forms close keeps its form open
    speaker_session.starts_at, speaker_session.ends_at = late - dt.timedelta(hours=3), late
    speaker_session.save()
    form.refresh_from_db()
    assert (form.opens_at, form.closes_at) == (late - dt.timedelta(hours=3), late)
    chosen = (at(program, 2, "16:00"), at(program, 4, "12:00"))
    editor.form_times_update(form=form, opens_at=chosen[0], closes_at=chosen[1])
    form.refresh_from_db()
    assert form.times_edited
    speaker_session.starts_at, speaker_session.ends_at = at(program, 2, "08:00"), at(program, 2, "10:00")
    speaker_session.save()
    form.refresh_from_db()
    assert (form.opens_at, form.closes_at) == chosen  # the organizer's times stay


def test_forms_move_with_the_programs_dates_unless_an_organizer_set_them(program, evaluations):
    from evaluations.services import editor

    before, organization = _form(program, QuestionnaireKind.BERAKHLAK, Phase.BEFORE), _form(
        program, QuestionnaireKind.ORGANIZATION)  # fmt: skip
    chosen = (at(program, 3, "10:00"), at(program, 5, "10:00"))
    editor.form_times_update(form=organization, opens_at=chosen[0], closes_at=chosen[1])
    program.start_date += dt.timedelta(days=7)
    program.end_date += dt.timedelta(days=7)
    program.save()
    before.refresh_from_db()
    organization.refresh_from_db()
    assert (before.opens_at, before.closes_at) == (at(program, 1, "00:00"), at(program, 2, "00:00"))  # new first day
    assert (organization.opens_at, organization.closes_at) == chosen


def test_forms_close_days_after_the_retreat(program, evaluations):
    closes = services.forms_close_at(program)
    assert closes == at(program, 1, "00:00") + dt.timedelta(days=(program.end_date - program.start_date).days + 1 +
                                                                services.FORMS_OPEN_DAYS_AFTER)  # fmt: skip
    assert _form(program, QuestionnaireKind.ORGANIZATION).closes_at == closes


def test_a_response_sent_twice_is_saved_once_and_a_change_replaces_it(program, people, speaker_session, evaluations):
    form = Form.objects.get(session=speaker_session)
    during = speaker_session.ends_at
    submission = uuid.uuid4()
    first = services.response_submit(form=form, enrollment=people[0], answers=_answers(form), submission=submission,
                                     now=during)  # fmt: skip
    again = services.response_submit(form=form, enrollment=people[0], answers=_answers(form), submission=submission,
                                     now=during)  # fmt: skip
    assert again.pk == first.pk
    assert Response.objects.filter(form=form).count() == 1
    assert Answer.objects.filter(response=first).count() == 11
    question = form.questionnaire.questions.filter(kind=QuestionKind.SCALE).first()
    services.response_submit(form=form, enrollment=people[0], answers=_answers(form, **{str(question.pk): 1}),
                             submission=uuid.uuid4(), now=during)  # fmt: skip
    assert Response.objects.filter(form=form).count() == 1
    assert Answer.objects.get(response=first, question=question).number == 1


def test_a_sending_repeated_with_its_id_is_not_applied_again(program, people, speaker_session, evaluations):
    """The phone's queue sent again after the server had it: the stored answers are left as they are (not
    deleted and written anew), so a repeat can never undo what came in between from the same phone."""
    form = Form.objects.get(session=speaker_session)
    question = form.questionnaire.questions.filter(kind=QuestionKind.SCALE).first()
    sending = uuid.uuid4()
    answers = _answers(form, **{str(question.pk): 2})
    services.response_submit(form=form, enrollment=people[0], answers=answers, submission=sending,
                             now=speaker_session.ends_at)  # fmt: skip
    stored = set(Answer.objects.filter(response__form=form).values_list("pk", flat=True))
    services.response_submit(form=form, enrollment=people[0], answers=answers, submission=sending,
                             now=speaker_session.ends_at)  # fmt: skip
    assert set(Answer.objects.filter(response__form=form).values_list("pk", flat=True)) == stored
    assert Answer.objects.get(response__form=form, question=question).number == 2


def test_missing_and_wrong_answers_are_named_and_nothing_is_saved(program, people, evaluations):
    form = _form(program, QuestionnaireKind.ORGANIZATION)
    scale = form.questionnaire.questions.filter(kind=QuestionKind.SCALE)
    answers = _answers(form, **{str(scale[0].pk): "", str(scale[1].pk): 9})
    with pytest.raises(ValidationError) as caught:
        services.response_submit(form=form, enrollment=people[0], answers=answers, now=form.opens_at)
    errors = caught.value.message_dict
    assert set(errors) == {f"q{scale[0].pk}", f"q{scale[1].pk}"}
    assert "perlu dijawab" in errors[f"q{scale[0].pk}"][0]
    assert not Response.objects.exists()


def test_a_form_is_refused_before_it_opens_and_after_it_closes(program, people, evaluations):
    form = _form(program, QuestionnaireKind.TEST, "post")
    for moment, words in ((form.opens_at.replace(year=2024), "belum dibuka"), (form.closes_at, "sudah ditutup")):
        with pytest.raises(ValidationError, match=words):
            services.response_submit(form=form, enrollment=people[0], answers=_answers(form), now=moment)
    assert not Response.objects.exists()


def test_a_speaker_form_is_only_for_its_sessions_audience(program, people, cohort_session, evaluations):
    form = Form.objects.get(session=cohort_session)
    assert services.is_for(form, people[0])
    assert not services.is_for(form, people[1])
    with pytest.raises(ValidationError):
        services.response_submit(form=form, enrollment=people[1], answers=_answers(form), now=cohort_session.ends_at)
    mine = {state.form.pk for state in selectors.forms_for_enrollment(people[1], now=cohort_session.ends_at)}
    assert form.pk not in mine


def test_the_facilitators_assessment_is_not_a_participants_form(program, people, evaluations):
    form = _form(program, QuestionnaireKind.ASSESSMENT)
    assert not services.is_for(form, people[0])


def test_forms_of_another_program_are_not_the_participants(program, other_program, people, evaluations):
    services.evaluations_setup(program=other_program)
    foreign = _form(other_program, QuestionnaireKind.ORGANIZATION)
    assert selectors.form_for_enrollment(people[0], foreign.pk) is None
    assert not services.is_for(foreign, people[0])


@pytest.mark.parametrize(
    ("score", "expected"),
    [(91, "Sangat Memuaskan"), (90, "Memuaskan"), (80.1, "Memuaskan"), (80, "Cukup Memuaskan"),
     (61, "Kurang Memuaskan"), (60, "Tidak Memuaskan"), (0, "Tidak Memuaskan")],
)  # fmt: skip
def test_bands_of_the_domain(score, expected):
    assert str(band(score)) == expected


def test_open_forms_on_the_program_clock(program, people, speaker_session, evaluations):
    morning = at(program, 1, "09:00")
    states = {(s.form.questionnaire.kind, s.form.phase, s.form.session_id): s.state
              for s in selectors.forms_for_enrollment(people[0], now=morning)}  # fmt: skip
    assert states[(QuestionnaireKind.BERAKHLAK, "pre", None)] == OPEN
    assert states[(QuestionnaireKind.BERAKHLAK, "post", None)] == UPCOMING
    assert states[(QuestionnaireKind.SPEAKER, "", speaker_session.pk)] == UPCOMING


def test_a_session_with_speaker_evaluation_answers_is_not_deleted(program, people, speaker_session, evaluations,
                                                                    organizer_client):  # fmt: skip
    from django.urls import reverse

    from sessions.models import Session
    from sessions.services import session_delete

    form = Form.objects.get(session=speaker_session)
    services.response_submit(form=form, enrollment=people[0], answers=_answers(form), now=speaker_session.ends_at)
    with pytest.raises(ValidationError, match="1"):
        session_delete(session=speaker_session)
    url = reverse("sessions:session_delete", kwargs={"program_pk": program.pk, "session_pk": speaker_session.pk})
    page = organizer_client.post(url, follow=True).content.decode()
    assert "tidak dapat dihapus" in page
    assert Session.objects.filter(pk=speaker_session.pk).exists()
    assert Response.objects.filter(form=form).count() == 1
    Response.objects.all().delete()
    session_delete(session=speaker_session)  # without answers it goes, its form with it
    assert not Form.objects.filter(pk=form.pk).exists()


@pytest.mark.parametrize("raw", ["x", "50.5", "٥٠", "1e2", True])
def test_a_score_that_is_not_a_whole_number_says_what_is_expected(program, facilitator, people, evaluations, raw):
    from django.utils import translation

    from evaluations.services import assessment

    form = _form(program, QuestionnaireKind.ASSESSMENT)
    question = form.questionnaire.questions.filter(kind=QuestionKind.SCORE).first()
    answers = {str(q.pk): 80 for q in form.questionnaire.questions.filter(kind=QuestionKind.SCORE)}
    answers[str(question.pk)] = raw
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        assessment.assessment_submit(form=form, subject=people[0], assessor=facilitator, answers=answers,
                                     now=form.opens_at + dt.timedelta(hours=12))  # fmt: skip
    assert raised.value.message_dict == {f"q{question.pk}": ["A score from 0 to 100."]}
    assert not Response.objects.exists()
