"""A participant's evaluation forms through the personal link: filling in with and without the page's
script, one response however often it is sent, and nobody else's form."""

from django.urls import reverse

from evaluations.enums import QuestionKind
from evaluations.models import Form, Question, Response
from evaluations.tests.test_services import _answers


def _url(enrollment, form):
    return reverse("portal:evaluation_form", kwargs={"token": enrollment.access_token, "form_pk": form.pk})


def test_participant_fills_the_form_without_javascript(client, people, open_now):
    page = client.get(_url(people[0], open_now))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Evaluasi Penyelenggaraan" in text
    assert "Kesiapan sarana dan prasarana" in text
    data = {f"q{key}": value for key, value in _answers(open_now).items()}
    saved = client.post(_url(people[0], open_now), data)
    assert saved.status_code == 200
    assert "sudah tersimpan" in saved.content.decode()
    response = Response.objects.get(form=open_now, enrollment=people[0])
    assert response.answers.count() == open_now.questionnaire.questions.count()
    again = client.get(_url(people[0], open_now)).content.decode()
    assert "Anda masih dapat mengubahnya" in again
    assert 'value="4" checked' in again  # the saved answers are shown


def test_a_missing_answer_is_named_in_place_and_the_others_kept(client, people, open_now):
    first = open_now.questionnaire.questions.filter(kind=QuestionKind.SCALE).first()
    data = {f"q{key}": value for key, value in _answers(open_now).items()}
    data[f"q{first.pk}"] = ""
    page = client.post(_url(people[0], open_now), data)
    assert page.status_code == 400
    text = page.content.decode()
    assert "Pertanyaan ini perlu dijawab." in text
    assert not Response.objects.exists()


def test_the_json_answer_of_the_phone_script(client, people, open_now):
    data = {f"q{key}": value for key, value in _answers(open_now).items()}
    data["submission"] = "6f1c1f8e-7a57-4a57-9d3e-3c8e4f0b2a11"
    for _ in range(2):  # the queue sent twice
        answer = client.post(_url(people[0], open_now), data, HTTP_ACCEPT="application/json")
        assert answer.status_code == 200
        assert answer.json()["ok"] is True
    assert Response.objects.filter(form=open_now).count() == 1
    wrong = client.post(_url(people[0], open_now), {"submission": "x"}, HTTP_ACCEPT="application/json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"]


def test_another_participants_token_or_program_is_a_404(client, people, open_now, other_program):
    from participants import services as participant_services
    from participants.tests.factories import EnrollmentFactory

    stranger = participant_services.access_link_issue(enrollment=EnrollmentFactory(program=other_program))
    assert client.get(_url(stranger, open_now)).status_code == 404
    assert client.post(_url(stranger, open_now), {}).status_code == 404
    assert (
        client.get(reverse("portal:evaluation_form", kwargs={"token": "nope", "form_pk": open_now.pk})).status_code
        == 404
    )
    assert not Response.objects.exists()


def test_a_speaker_form_of_a_session_not_theirs_is_a_404(client, people, cohort_session, evaluations):
    form = Form.objects.get(session=cohort_session)
    assert client.get(_url(people[1], form)).status_code == 404
    assert client.get(_url(people[0], form)).status_code == 200


def test_the_personal_page_counts_the_forms_to_fill_in(client, people, open_now, django_capture_on_commit_callbacks):
    page = client.get(reverse("portal:personal_page", kwargs={"token": people[0].access_token}))
    text = page.content.decode()
    assert "1 evaluasi belum diisi" in text
    assert _url(people[0], open_now) in text
    data = {f"q{key}": value for key, value in _answers(open_now).items()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(people[0], open_now), data)
    text = client.get(reverse("portal:personal_page", kwargs={"token": people[0].access_token})).content.decode()
    assert "belum diisi" not in text.split("Evaluasi")[1][:400]
    assert "Terkirim" in text


def test_an_upcoming_form_says_when_it_opens_in_the_programs_zone(client, people, organization_form, program):
    import datetime as dt

    program.timezone = "Asia/Makassar"
    program.save()
    organization_form.opens_at = dt.datetime(2030, 5, 17, 5, 30, tzinfo=dt.UTC)  # 13.30 in Makassar
    organization_form.closes_at = organization_form.opens_at + dt.timedelta(days=2)
    organization_form.save()
    text = client.get(_url(people[0], organization_form)).content.decode()
    assert "17 Mei 2030 13.30 WITA" in text


def test_a_multiple_choice_answer_and_a_wrong_one_are_shown_again(client, people, open_now):
    """One reading of the posted answers for the portal and the assessment: a list for several values, the
    number typed for the form, a wrong value shown as it was sent."""
    from django.http import QueryDict

    from evaluations.forms_answers import answer_shown, answers_from_post, answers_to_show

    data = QueryDict(mutable=True)
    data.setlist("q7", ["0", "2"])
    data["q8"] = "3"
    data["submission"] = "x"
    data["qx"] = "1"
    answers = answers_from_post(data)
    assert answers == {"7": ["0", "2"], "8": "3"}
    shown = answers_to_show(answers)
    multiple, scale = Question(kind=QuestionKind.MULTIPLE), Question(kind=QuestionKind.SCALE)
    assert answer_shown(multiple, shown[7]) == [0, 2]
    assert answer_shown(scale, shown[8]) == 3
    assert answer_shown(scale, "tiga") == "tiga"
    assert answer_shown(multiple, None) == []
    scale_question = open_now.questionnaire.questions.filter(kind=QuestionKind.SCALE).first()
    posted = {f"q{key}": value for key, value in _answers(open_now).items()}
    posted[f"q{scale_question.pk}"] = "9"
    page = client.post(_url(people[0], open_now), posted)
    assert page.status_code == 400
    assert 'value="4" checked' in page.content.decode()  # the other answers are kept


def test_pages_made_together_each_link_their_own_form_in_their_own_state(
    client, people, open_now, django_capture_on_commit_callbacks
):
    """The form's line is laid out once for the pages of a block: each page still links its own token and shows
    its own state."""
    from django.core.cache import cache

    data = {f"q{key}": value for key, value in _answers(open_now).items()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(people[0], open_now), data)
    cache.clear()
    second = client.get(reverse("portal:personal_page", kwargs={"token": people[1].access_token})).content.decode()
    first = client.get(reverse("portal:personal_page", kwargs={"token": people[0].access_token})).content.decode()
    assert _url(people[1], open_now) in second
    assert people[0].access_token not in second
    assert _url(people[0], open_now) in first
    assert people[1].access_token not in first
    assert "1 evaluasi belum diisi" in second
    assert "Terkirim" not in second.split("Evaluasi")[1][:1500]
    assert "belum diisi" not in first
    assert "Terkirim" in first
