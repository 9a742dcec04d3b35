import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from evaluations.enums import QuestionKind, QuestionnaireKind
from evaluations.models import Form, Question
from evaluations.services import editor
from evaluations.services import forms as services
from evaluations.tests.test_services import _answers


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages and messages in English, the source texts (Indonesian is their translation)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _url(name, program, **kwargs):
    return reverse(f"evaluations:{name}", kwargs={"program_pk": program.pk, **kwargs})


def _question_post(question, **overrides):
    data = {
        "question-section": question.section_id,
        "question-kind": question.kind,
        "question-text": question.text,
        "question-required": "on" if question.required else "",
        "question-scale_max": question.scale_max,
        "question-scale_labels": "\n".join(question.scale_labels),
        "question-choices": "\n".join(question.choices),
        "question-correct_choice": "" if question.correct_choice is None else question.correct_choice + 1,
        "question-key": question.key,
    }
    data.update({f"question-{key}": value for key, value in overrides.items()})
    return {key: value for key, value in data.items() if value != ""}


@pytest.fixture
def answered(open_now, people):
    """The organization form answered by one participant: its questions have answers."""
    services.response_submit(form=open_now, enrollment=people[0], answers=_answers(open_now))
    return open_now.questionnaire.questions.order_by("section__position", "position").first()


def test_questionnaire_page_lists_sections_and_questions(organizer_client, program, organization_form):
    questionnaire = organization_form.questionnaire
    page = organizer_client.get(_url("questionnaire", program, questionnaire_pk=questionnaire.pk)).content.decode()
    assert "Penyelenggaraan" in page
    assert "Saran" in page
    assert "Kesiapan sarana dan prasarana" in page
    assert _url("form_times", program, form_pk=organization_form.pk) in page


def test_changing_the_text_of_an_answered_question_is_refused(organizer_client, program, answered):
    url = _url("question", program, questionnaire_pk=answered.questionnaire_id, question_pk=answered.pk)
    page = organizer_client.post(url, _question_post(answered, text="Pertanyaan lain sama sekali")).content.decode()
    assert "This question already has answers: add a new question instead." in page
    answered.refresh_from_db()
    assert answered.text == "Kesiapan sarana dan prasarana"
    with pytest.raises(ValidationError, match="already has answers"):
        editor.question_update(question=answered, **_fields(answered, choices=[], kind=QuestionKind.LONG))
    answered.refresh_from_db()
    assert answered.kind == QuestionKind.SCALE


def _fields(question, **overrides):
    fields = {"section": question.section, "kind": question.kind, "text": question.text, "required": question.required,
              "scale_max": question.scale_max, "scale_labels": question.scale_labels, "choices": question.choices,
              "correct_choice": None if question.correct_choice is None else question.correct_choice + 1,
              "key": question.key}  # fmt: skip
    fields.update(overrides)
    return fields


def test_an_answered_question_cannot_be_deleted(organizer_client, program, answered):
    url = _url("question", program, questionnaire_pk=answered.questionnaire_id, question_pk=answered.pk)
    response = organizer_client.post(url, {"action": "delete"}, follow=True)
    assert "This question already has answers" in response.content.decode()
    assert Question.objects.filter(pk=answered.pk).exists()


def test_required_flag_of_an_answered_question_may_change(organizer_client, program, answered):
    url = _url("question", program, questionnaire_pk=answered.questionnaire_id, question_pk=answered.pk)
    response = organizer_client.post(url, _question_post(answered, required=""))
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.required is False
    assert answered.text == "Kesiapan sarana dan prasarana"


def test_adding_a_question_to_an_answered_questionnaire(organizer_client, program, answered):
    section = answered.section
    url = _url("questionnaire", program, questionnaire_pk=answered.questionnaire_id)
    data = {"action": "question", "question-section": section.pk, "question-kind": "single",
            "question-text": "Kanal informasi yang paling membantu?", "question-required": "on",
            "question-scale_max": 4, "question-choices": "WhatsApp\nPapan pengumuman\n\nSitus web"}  # fmt: skip
    assert organizer_client.post(url, data).status_code == 302
    added = Question.objects.get(text="Kanal informasi yang paling membantu?")
    assert added.choices == ["WhatsApp", "Papan pengumuman", "Situs web"]
    assert added.section == section
    assert added.position == max(q.position for q in section.questions.exclude(pk=added.pk)) + 1
    assert "Kanal informasi yang paling membantu?" in organizer_client.get(url).content.decode()


def test_scale_question_needs_one_label_per_point(program, evaluations):
    questionnaire = evaluations.get(kind=QuestionnaireKind.ORGANIZATION)
    section = questionnaire.sections.first()
    with pytest.raises(ValidationError) as caught:
        editor.question_add(questionnaire=questionnaire, section=section, kind=QuestionKind.SCALE, text="Rapi?",
                            required=True, scale_max=5, scale_labels=["a", "b"], choices=[])  # fmt: skip
    assert "scale_labels" in caught.value.message_dict
    question = editor.question_add(questionnaire=questionnaire, section=section, kind=QuestionKind.SCALE, text="Rapi?",
                                   required=True, scale_max=5, scale_labels=[], choices=[])  # fmt: skip
    assert len(question.scale_labels) == 5


def test_correct_choice_of_a_test_question(organizer_client, program, evaluations):
    questionnaire = evaluations.get(kind=QuestionnaireKind.TEST)
    url = _url("questionnaire", program, questionnaire_pk=questionnaire.pk)
    data = {"action": "question", "question-section": questionnaire.sections.first().pk, "question-kind": "single",
            "question-text": "Ibu kota Jawa Timur?", "question-required": "on", "question-scale_max": 4,
            "question-choices": "Malang\nSurabaya", "question-correct_choice": 3}  # fmt: skip
    page = organizer_client.post(url, data).content.decode()
    assert "The number of one of the choices, from 1 to 2." in page
    assert not Question.objects.filter(text="Ibu kota Jawa Timur?").exists()
    organizer_client.post(url, {**data, "question-correct_choice": 2})
    assert Question.objects.get(text="Ibu kota Jawa Timur?").correct_choice == 1


def test_unanswered_question_is_editable_and_deletable(organizer_client, program, organization_form):
    question = organization_form.questionnaire.questions.get(key="kebersihan")
    url = _url("question", program, questionnaire_pk=question.questionnaire_id, question_pk=question.pk)
    page = organizer_client.get(url).content.decode()
    assert "Kebersihan tempat" in page
    response = organizer_client.post(url, _question_post(question, text="Kebersihan kamar mandi", scale_max=5,
                                                         scale_labels="1\n2\n3\n4\n5"))  # fmt: skip
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.scale_max, question.scale_labels) == ("Kebersihan kamar mandi", 5, list("12345"))
    organizer_client.post(url, {"action": "delete"})
    assert not Question.objects.filter(pk=question.pk).exists()


def test_validation_errors_name_the_field(organizer_client, program, organization_form):
    question = organization_form.questionnaire.questions.get(key="kebersihan")
    url = _url("question", program, questionnaire_pk=question.questionnaire_id, question_pk=question.pk)
    response = organizer_client.post(url, _question_post(question, kind="single", choices="Hanya satu"))
    assert response.status_code == 200
    assert response.context["form"].errors["choices"] == ["Give at least two choices, one per line."]
    question.refresh_from_db()
    assert question.kind == QuestionKind.SCALE


def test_move_question_up_and_down(organizer_client, program, organization_form):
    questionnaire = organization_form.questionnaire
    section = questionnaire.sections.first()
    first, second = section.questions.order_by("position")[:2]
    url = _url("questionnaire", program, questionnaire_pk=questionnaire.pk)
    organizer_client.post(url, {"action": "down", "question": first.pk})
    assert list(section.questions.order_by("position").values_list("pk", flat=True)[:2]) == [second.pk, first.pk]
    organizer_client.post(url, {"action": "up", "question": first.pk})
    assert list(section.questions.order_by("position").values_list("pk", flat=True)[:2]) == [first.pk, second.pk]


def test_moving_a_question_that_is_not_a_number_or_not_there(organizer_client, program, organization_form):
    questionnaire = organization_form.questionnaire
    url = _url("questionnaire", program, questionnaire_pk=questionnaire.pk)
    before = list(questionnaire.questions.order_by("section__position", "position").values_list("pk", flat=True))
    for value in ("abc", "", "-1", "1.5", "999999"):
        assert organizer_client.post(url, {"action": "up", "question": value}).status_code == 404
    assert organizer_client.post(url, {"action": "down"}).status_code == 404
    after = list(questionnaire.questions.order_by("section__position", "position").values_list("pk", flat=True))
    assert after == before


@pytest.fixture
def answered_test(program, people, evaluations):
    """The pre-test, open, answered by one participant."""
    from django.utils import timezone

    form = Form.objects.get(program=program, questionnaire__kind=QuestionnaireKind.TEST, phase="pre")
    form.opens_at, form.closes_at = timezone.now() - dt.timedelta(hours=1), timezone.now() + dt.timedelta(days=1)
    form.save()
    services.response_submit(form=form, enrollment=people[0], answers=_answers(form))
    return form.questionnaire.questions.filter(kind=QuestionKind.SINGLE, correct_choice__isnull=False).first()


def test_the_correct_answer_of_an_answered_test_question_may_be_fixed(organizer_client, program, answered_test):
    question = answered_test
    url = _url("question", program, questionnaire_pk=question.questionnaire_id, question_pk=question.pk)
    page = organizer_client.get(url).content.decode()
    assert "its correct answer may change: fix a wrong correct answer here" in page
    fixed = (question.correct_choice + 1) % len(question.choices)
    response = organizer_client.post(url, _question_post(question, correct_choice=fixed + 1))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.correct_choice == fixed
    # What it asks stays as it is.
    for change in (
        {"text": "Pertanyaan lain"},
        {"choices": "A\nB\nC\nD\nE\nF"},
        {"kind": "multiple", "correct_choice": ""},
    ):
        page = organizer_client.post(url, _question_post(question, **change)).content.decode()
        assert "This question already has answers: add a new question instead." in page
    question.refresh_from_db()
    assert question.correct_choice == fixed


def test_the_correct_answer_rule_is_for_tests_only(answered):
    editor.question_change_check(question=answered, changed={"required", "key"})
    with pytest.raises(ValidationError, match="already has answers"):
        editor.question_change_check(question=answered, changed={"correct_choice"})
    with pytest.raises(ValidationError, match="already has answers"):
        editor.question_change_check(question=answered, changed=None)


def test_questionnaire_title_and_required_and_new_section(organizer_client, program, organization_form):
    questionnaire = organization_form.questionnaire
    url = _url("questionnaire", program, questionnaire_pk=questionnaire.pk)
    organizer_client.post(url, {"action": "questionnaire", "questionnaire-title": "Evaluasi Panitia",
                                "questionnaire-intro": "Singkat saja."})  # fmt: skip
    organizer_client.post(url, {"action": "section", "section-title": "Konsumsi"})
    questionnaire.refresh_from_db()
    assert (questionnaire.title, questionnaire.intro, questionnaire.required) == ("Evaluasi Panitia", "Singkat saja.",
                                                                                  False)  # fmt: skip
    assert list(questionnaire.sections.values_list("title", flat=True)) == ["Penyelenggaraan", "Saran", "Konsumsi"]


def test_questionnaire_of_another_program_is_404(organizer_client, program, other_program, evaluations):
    services.evaluations_setup(program=other_program)
    theirs = other_program.questionnaires.first()
    assert organizer_client.get(_url("questionnaire", program, questionnaire_pk=theirs.pk)).status_code == 404
    question = theirs.questions.first()
    url = _url("question", program, questionnaire_pk=evaluations.first().pk, question_pk=question.pk)
    assert organizer_client.get(url).status_code == 404


def test_form_times_in_the_program_zone(organizer_client, program, organization_form):
    url = _url("form_times", program, form_pk=organization_form.pk)
    page = organizer_client.get(url).content.decode()
    assert "WIB" in page
    response = organizer_client.post(url, {"opens_day": "2025-05-17", "opens_time": "13.30",
                                           "closes_day": "2025-05-24", "closes_time": "23:59"})  # fmt: skip
    assert response.status_code == 302
    organization_form.refresh_from_db()
    assert organization_form.opens_at == dt.datetime(2025, 5, 17, 13, 30, tzinfo=program.tzinfo)
    assert organization_form.closes_at == dt.datetime(2025, 5, 24, 23, 59, tzinfo=program.tzinfo)


def test_form_must_close_after_it_opens(organizer_client, program, organization_form):
    before = (organization_form.opens_at, organization_form.closes_at)
    url = _url("form_times", program, form_pk=organization_form.pk)
    response = organizer_client.post(url, {"opens_day": "2025-05-17", "opens_time": "13:00",
                                           "closes_day": "2025-05-17", "closes_time": "12:00"})  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["closes_day"] == ["The form must close after it opens."]
    response = organizer_client.post(url, {"opens_day": "2025-05-17", "opens_time": "25:00",
                                           "closes_day": "2025-05-18", "closes_time": "12:00"})  # fmt: skip
    assert "opens_time" in response.context["form"].errors
    organization_form.refresh_from_db()
    assert (organization_form.opens_at, organization_form.closes_at) == before
    with pytest.raises(ValidationError):
        editor.form_times_update(form=organization_form, opens_at=before[1], closes_at=before[0])


def test_facilitator_may_not_edit(client, facilitator, program, organization_form):
    client.force_login(facilitator)
    url = _url("questionnaire", program, questionnaire_pk=organization_form.questionnaire_id)
    assert client.get(url).status_code == 403
    assert Form.objects.filter(pk=organization_form.pk).exists()


@pytest.mark.parametrize("extra", [1, 20])
def test_questionnaire_page_queries_do_not_grow(organizer_client, program, organization_form, extra,
                                                django_assert_max_num_queries):  # fmt: skip
    questionnaire = organization_form.questionnaire
    section = questionnaire.sections.first()
    for n in range(extra):
        editor.question_add(questionnaire=questionnaire, section=section, kind=QuestionKind.SHORT,
                            text=f"Pertanyaan tambahan {n}", required=False)  # fmt: skip
    with django_assert_max_num_queries(10):
        page = organizer_client.get(_url("questionnaire", program, questionnaire_pk=questionnaire.pk))
    assert page.content.decode().count("Pertanyaan tambahan") == extra


def test_a_test_question_without_its_correct_answer_is_refused(program, evaluations):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from evaluations.models import Question
    from evaluations.services import editor

    questionnaire = program.questionnaires.get(kind="test")
    count = Question.objects.filter(questionnaire=questionnaire).count()
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        editor.question_add(questionnaire=questionnaire, section=questionnaire.sections.first(), kind="single",
                            text="Nilai dasar ASN adalah …", required=True, choices=["BerAKHLAK", "Panca Prasetya"],
                            correct_choice=None)  # fmt: skip
    assert raised.value.message_dict == {
        "correct_choice": ["A test question needs its correct answer, to score the test."]
    }
    assert Question.objects.filter(questionnaire=questionnaire).count() == count
