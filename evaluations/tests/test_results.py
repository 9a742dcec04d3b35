import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from evaluations.enums import Phase, QuestionKind, QuestionnaireKind
from evaluations.models import Answer, Form, Question, Response
from evaluations.selectors import results as selectors
from participants.tests.factories import EnrollmentFactory
from retreat.models import ExportRecord
from retreat.tests.factories import CohortFactory
from retreat.tests.pdf import pdf_text

COMMENTS = ["Contoh nyata sangat membantu.", "Waktu tanya jawab kurang.", "Bahasa mudah dipahami."]


def _form(program, kind, phase=""):
    return Form.objects.get(program=program, questionnaire__kind=kind, phase=phase, session=None)


def _respond(form, enrollment=None, *, scale=None, by_key=None, text="", numbers=None, assessor=None):
    """A response with crafted answers: every scale or score question gets ``scale`` unless ``by_key`` names
    its key; text questions get ``text``; ``numbers`` answers the single-choice questions in order."""
    by_key = by_key or {}
    if assessor is not None:
        response = Response.objects.create(form=form, assessor=assessor, subject=enrollment)
    else:
        response = Response.objects.create(form=form, enrollment=enrollment)
    answers, singles = [], iter(numbers or [])
    for question in form.questionnaire.questions.order_by("section__position", "position", "pk"):
        if question.kind in (QuestionKind.SCALE, QuestionKind.SCORE):
            answers.append(Answer(response=response, question=question, number=by_key.get(question.key, scale)))
        elif question.kind in (QuestionKind.SHORT, QuestionKind.LONG) and text:
            answers.append(Answer(response=response, question=question, text=text))
        elif question.kind == QuestionKind.SINGLE and numbers is not None:
            answers.append(Answer(response=response, question=question, number=next(singles)))
    Answer.objects.bulk_create(answers)
    return response


@pytest.fixture
def speaker_form(program, speaker_session, evaluations):
    return Form.objects.get(program=program, session=speaker_session)


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


def test_speaker_averages_and_distribution_per_aspect(program, people, speaker_form):
    for person, (materi, rest) in zip(people, [(4, 3), (3, 3), (3, 2)], strict=True):
        _respond(speaker_form, person, scale=rest, by_key={"materi": materi})
    [result] = selectors.speaker_results(program)
    assert result.responses == 3
    aspects = {a.key: a for a in result.aspects}
    assert len(aspects) == 10
    assert aspects["materi"].average == 3.33
    assert aspects["materi"].distribution == [0, 0, 2, 1]
    assert aspects["waktu"].average == 2.67
    assert aspects["waktu"].distribution == [0, 1, 2, 0]
    assert [p["percent"] for p in aspects["waktu"].points] == [0, 33, 67, 0]
    # Every scale answer of the form: 10 + 9×3 (materi 4, the rest 3), 3 + 9×3, 3 + 9×2.
    assert result.overall == round((4 + 27 + 3 + 27 + 3 + 18) / 30, 2)
    overall_materi = {a.key: a for a in selectors.aspects_across([result])}["materi"]
    assert overall_materi.count == 3
    assert overall_materi.average == 3.33


def test_speaker_comments_are_hidden_below_three_responses(program, people, speaker_form):
    for person, text in zip(people[:2], COMMENTS, strict=False):
        _respond(speaker_form, person, scale=4, text=text)
    result = selectors.speaker_result(speaker_form)
    assert result.comments is None
    assert result.comments_hidden
    _respond(speaker_form, people[2], scale=4, text=COMMENTS[2])
    result = selectors.speaker_result(speaker_form)
    assert not result.comments_hidden
    [group] = result.comments
    assert group.texts == sorted(COMMENTS, key=str.casefold)  # by text, not by who or when


def test_speaker_result_page_shows_comments_from_three_responses_on(leader_client, program, people, speaker_form):
    url = reverse("evaluations:speaker_result", kwargs={"program_pk": program.pk, "form_pk": speaker_form.pk})
    for person, text in zip(people[:2], COMMENTS, strict=False):
        _respond(speaker_form, person, scale=3, text=text)
    page = leader_client.get(url).content.decode()
    assert COMMENTS[0] not in page
    assert COMMENTS[1] not in page
    _respond(speaker_form, people[2], scale=3, text=COMMENTS[2])
    page = leader_client.get(url).content.decode()
    for text in COMMENTS:
        assert text in page


def test_leaders_results_never_show_who_answered_a_speaker_form(leader_client, program, people, speaker_form):
    for person, text in zip(people, COMMENTS, strict=True):
        _respond(speaker_form, person, scale=4, text=text)
    pages = [
        leader_client.get(reverse("evaluations:results", kwargs={"program_pk": program.pk})),
        leader_client.get(reverse("evaluations:speaker_result",
                                  kwargs={"program_pk": program.pk, "form_pk": speaker_form.pk})),
    ]  # fmt: skip
    assert [page.status_code for page in pages] == [200, 200]
    for page in pages:
        text = page.content.decode()
        assert speaker_form.session.title in text
        for person in people:
            assert person.participant.display_name not in text
            assert person.participant.nip not in text
    assert COMMENTS[0] in pages[1].content.decode()
    # Nor do the result objects themselves hold a respondent.
    result = selectors.speaker_result(speaker_form)
    assert not any(isinstance(value, Response) for value in vars(result).values())


def _second_session(program, title="Manajemen Risiko"):
    from evaluations.tests.fixtures import at
    from sessions.models import Session
    from sessions.tests.factories import SpeakerFactory

    session = Session.objects.create(program=program, kind="materi", title=title, starts_at=at(program, 3, "08:00"),
                                     ends_at=at(program, 3, "10:00"), counts_for_jp=True)  # fmt: skip
    session.speakers.add(SpeakerFactory(institution=program.organizer))
    return Form.objects.get(program=program, session=session)


def test_a_speaker_session_with_fewer_than_three_responses_shows_nothing(leader_client, program, people,
                                                                        speaker_form):  # fmt: skip
    assert selectors.MIN_RESPONSES == selectors.MIN_RESPONSES_FOR_COMMENTS == 3
    _respond(speaker_form, people[0], scale=1, by_key={"materi": 2}, text="Terlalu cepat.")
    result = selectors.speaker_result(speaker_form)
    assert result.hidden
    assert (result.aspects, result.comments, result.overall, result.responses) == ([], None, None, 1)
    for name, kwargs in (("speaker_result", {"form_pk": speaker_form.pk}), ("results", {})):
        page = leader_client.get(reverse(f"evaluations:{name}", kwargs={"program_pk": program.pk, **kwargs}))
        text = page.content.decode()
        assert "results-hidden" in text
        assert "1: 1" not in text  # no distribution
        assert "1,00" not in text  # no average
        assert "Terlalu cepat." not in text
        assert all(value is None for chart in page.context["charts"] for d in chart["datasets"] for value in d["data"])
    [across] = [a for a in selectors.aspects_across([result]) if a.key == "materi"]
    assert across.hidden
    assert (across.average, across.points) == (None, [])
    _respond(speaker_form, people[1], scale=4)
    _respond(speaker_form, people[2], scale=4)
    result = selectors.speaker_result(speaker_form)
    assert not result.hidden
    assert {a.key: a for a in result.aspects}["materi"].distribution == [0, 1, 0, 2]


def test_averages_over_all_sessions_take_a_hidden_sessions_answers_only_three_together(program, people,
                                                                                      speaker_form):  # fmt: skip
    more = EnrollmentFactory.create_batch(2, program=program)
    for person in people:
        _respond(speaker_form, person, scale=4)
    second, third = _second_session(program), _second_session(program, "Inovasi Pelayanan")
    _respond(second, people[0], scale=1)  # one response: showing it in the sum would give it away
    results = selectors.speaker_results(program)
    hidden = {r.form.pk: r.hidden for r in results}
    assert [hidden[f.pk] for f in (speaker_form, second, third)] == [False, True, False]  # the third: no responses
    materi = {a.key: a for a in selectors.aspects_across(results)}["materi"]
    assert (materi.count, materi.average) == (3, 4.0)
    _respond(third, people[1], scale=2)
    _respond(third, more[0], scale=2)  # hidden too, but three answers with the second: they count
    results = selectors.speaker_results(program)
    assert [r.hidden for r in results] == [False, True, True]
    materi = {a.key: a for a in selectors.aspects_across(results)}["materi"]
    assert (materi.count, materi.average) == (6, round((12 + 1 + 4) / 6, 2))
    hidden_ones = [r for r in results if r.hidden]
    assert {a.key: a for a in selectors.aspects_across(hidden_ones)}["materi"].average == round(5 / 3, 2)
    assert all(a.hidden for a in selectors.aspects_across([r for r in results if r.form == second]))


def test_a_hidden_session_in_the_workbook_and_the_report(organizer_client, organizer, program, people, speaker_form,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    from openpyxl import load_workbook

    from retreat import services as retreat_services

    _respond(speaker_form, people[0], scale=1, text="Satu-satunya komentar.")
    response = organizer_client.get(reverse("evaluations:results_xlsx", kwargs={"program_pk": program.pk}))
    book = load_workbook(io.BytesIO(response.content))
    speakers, distribution, comments = ([list(row) for row in ws.iter_rows(values_only=True)]
                                        for ws in book.worksheets[:3])  # fmt: skip
    assert speakers[1][4:] == [1] + [None] * (len(speakers[1]) - 5)  # one response, no average
    with translation.override("id"):
        note = gettext("Fewer than %(minimum)d responses: hidden so that nobody can be recognised.") % {"minimum": 3}
    assert len(distribution) == 2
    assert distribution[1] == [speaker_form.session.title, note] + [None] * (len(distribution[1]) - 2)  # no counts
    assert comments[1:] == []
    with django_capture_on_commit_callbacks(execute=True):
        job = retreat_services.document_job_request(program=program, kind="evaluation_results", user=organizer)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Satu-satunya" not in text
    assert "1,00" not in text


def test_identical_comments_are_one_row_with_their_count_in_the_workbook(organizer_client, program, people,
                                                                        speaker_form, organization_form):  # fmt: skip
    from openpyxl import load_workbook

    for person, text in zip(people, ["Bagus.", "Bagus.", "Kurang waktu."], strict=True):
        _respond(speaker_form, person, scale=3, text=text)
        _respond(organization_form, person, scale=3, text=text)
    response = organizer_client.get(reverse("evaluations:results_xlsx", kwargs={"program_pk": program.pk}))
    book = load_workbook(io.BytesIO(response.content))
    comments = [list(row) for row in book.worksheets[2].iter_rows(values_only=True)]
    organization_comments = [list(row) for row in book.worksheets[4].iter_rows(values_only=True)]
    assert len(comments[0]) == 4  # session, question, comment, count
    assert [row[2:] for row in comments[1:]] == [["Bagus.", 2], ["Kurang waktu.", 1]]
    assert {tuple(row[1:]) for row in organization_comments[1:]} >= {("Bagus.", 2), ("Kurang waktu.", 1)}


def test_results_page_opens_on_its_own_with_the_numbers_in_tables(organizer_client, program, people, speaker_form):
    for person, value in zip(people, [4, 3, 3], strict=True):
        _respond(speaker_form, person, scale=value)
    page = organizer_client.get(reverse("evaluations:results", kwargs={"program_pk": program.pk}))
    text = page.content.decode()
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert "vendor/chartjs/chart.umd.min.js" in text
    assert "evaluations/results.js" in text
    assert 'id="results-charts"' in text
    assert "3,33" in text  # the session's average, in the table (Indonesian decimal comma)
    assert reverse("evaluations:results_xlsx", kwargs={"program_pk": program.pk}) in text


def test_organization_average_per_question_and_comments(program, people, organization_form):
    for person, value in zip(people, [4, 2, 3], strict=True):
        _respond(organization_form, person, scale=value, by_key={"konsumsi": 1}, text=f"Saran {value}")
    [result] = selectors.organization_results(program)
    aspects = {a.key: a for a in result.aspects}
    assert aspects["sarana"].average == 3.0
    assert aspects["konsumsi"].average == 1.0
    assert aspects["konsumsi"].distribution == [3, 0, 0, 0]
    assert [t for g in result.comments for t in g.texts] == ["Saran 2", "Saran 3", "Saran 4"]


def test_berakhlak_before_and_after_overall_and_per_cohort(program, people, evaluations):
    cohort = CohortFactory(program=program, name="Angkatan I")
    people[0].cohort = cohort
    people[0].save()
    before, after = (
        _form(program, QuestionnaireKind.BERAKHLAK, Phase.BEFORE),
        _form(program, QuestionnaireKind.BERAKHLAK, Phase.AFTER),
    )
    _respond(before, people[0], scale=2, by_key={"akuntabel": 3})
    _respond(before, people[1], scale=4)
    _respond(after, people[0], scale=4)
    _respond(after, people[1], scale=5)
    result = selectors.berakhlak_results(program)
    assert (result.responses_before, result.responses_after) == (2, 2)
    values = {v.key: v for v in result.values}
    assert list(values)[0] == "berorientasi_pelayanan"
    assert values["berorientasi_pelayanan"].name == "Berorientasi Pelayanan"
    assert len(values) == 7
    assert (values["kompeten"].before, values["kompeten"].after, values["kompeten"].gain) == (3.0, 4.5, 1.5)
    assert values["akuntabel"].before == 3.5
    [per_cohort] = result.cohorts
    assert per_cohort.cohort == cohort
    cohort_values = {v.key: v for v in per_cohort.values}
    assert (cohort_values["kompeten"].before, cohort_values["kompeten"].after) == (2.0, 4.0)
    assert cohort_values["akuntabel"].gain == 1.0
    assert result.before == round((2 * 18 + 3 * 3 + 4 * 21) / 42, 2)
    assert result.after == 4.5


def test_test_scores_gain_and_program_averages(program, people, evaluations):
    before, after = _form(program, QuestionnaireKind.TEST, Phase.BEFORE), _form(program, QuestionnaireKind.TEST,
                                                                                 Phase.AFTER)  # fmt: skip
    correct = list(
        Question.objects.filter(questionnaire=before.questionnaire).order_by("section__position", "position", "pk")
        .values_list("correct_choice", flat=True)
    )  # fmt: skip
    wrong = [(c + 1) % 4 for c in correct]
    _respond(before, people[0], numbers=correct[:2] + wrong[2:])  # 2 of 5
    _respond(after, people[0], numbers=correct)  # 5 of 5
    _respond(before, people[1], numbers=correct[:3] + wrong[3:])  # 3 of 5, no post-test
    result = selectors.score_results(program)
    assert result.questions == 5
    rows = {row.enrollment.pk: row for row in result.rows}
    assert set(rows) == {people[0].pk, people[1].pk}  # the third took no test
    assert (rows[people[0].pk].before, rows[people[0].pk].after, rows[people[0].pk].gain) == (40.0, 100.0, 60.0)
    assert (rows[people[1].pk].before, rows[people[1].pk].after, rows[people[1].pk].gain) == (60.0, None, None)
    assert (result.average_before, result.average_after, result.average_gain) == (50.0, 100.0, 60.0)
    assert (result.taken_before, result.taken_after) == (2, 1)


def test_a_question_added_after_the_pre_test_does_not_lower_its_scores(program, people, evaluations):
    from evaluations.services import editor

    before, after = _form(program, QuestionnaireKind.TEST, Phase.BEFORE), _form(program, QuestionnaireKind.TEST,
                                                                                 Phase.AFTER)  # fmt: skip
    questions = list(Question.objects.filter(questionnaire=before.questionnaire)
                     .order_by("section__position", "position", "pk"))  # fmt: skip
    correct = [q.correct_choice for q in questions]
    wrong = [(c + 1) % 4 for c in correct]
    _respond(before, people[0], numbers=correct[:4] + wrong[4:])  # 4 of 5
    _respond(before, people[1])  # nothing scored: no score
    added = editor.question_add(
        questionnaire=before.questionnaire,
        section=questions[-1].section,
        kind="single",
        text="Nilai dasar ASN?",
        required=True,
        choices=["A", "B", "C"],
        correct_choice=2,
    )
    _respond(after, people[0], numbers=correct + [1])  # the six questions of the post-test, all right
    result = selectors.score_results(program)
    assert result.questions == 6
    rows = {row.enrollment.pk: row for row in result.rows}
    assert set(rows) == {people[0].pk}
    assert (rows[people[0].pk].before, rows[people[0].pk].after) == (80.0, 100.0)
    # The answer key of the fifth question was wrong: fixed, every score counts with the right one.
    editor.question_update(question=questions[4], section=questions[4].section, kind="single",
                           text=questions[4].text, required=True, choices=questions[4].choices,
                           correct_choice=wrong[4] + 1)  # fmt: skip
    rows = {row.enrollment.pk: row for row in selectors.score_results(program).rows}
    assert (rows[people[0].pk].before, rows[people[0].pk].after) == (100.0, round(5 * 100 / 6, 1))
    assert added.correct_choice == 1


def test_assessment_average_band_and_count_per_band(program, people, evaluations, facilitator):
    form = _form(program, QuestionnaireKind.ASSESSMENT)
    _respond(form, people[0], scale=95, assessor=facilitator)
    _respond(form, people[1], scale=80, by_key={"disiplin": 81}, assessor=facilitator)  # 80.2
    _respond(form, people[2], scale=60, assessor=facilitator)
    result = selectors.assessment_results(program)
    rows = {row.enrollment.pk: row for row in result.rows}
    assert (rows[people[0].pk].score, str(rows[people[0].pk].band)) == (95.0, "Sangat Memuaskan")
    assert (rows[people[1].pk].score, str(rows[people[1].pk].band)) == (80.2, "Memuaskan")
    assert (rows[people[2].pk].score, str(rows[people[2].pk].band)) == (60.0, "Tidak Memuaskan")
    assert [(str(label), count) for label, count in result.bands] == [
        ("Sangat Memuaskan", 1), ("Memuaskan", 1), ("Cukup Memuaskan", 0), ("Kurang Memuaskan", 0),
        ("Tidak Memuaskan", 1)]  # fmt: skip
    assert result.not_assessed == 0
    assert result.average == round((95 + 80.2 + 60) / 3, 1)


def _everything(program, people, speaker_form, organization_form, facilitator):
    """Answers to every part, for the export and the report."""
    for person, value in zip(people, [4, 3, 3], strict=True):
        _respond(speaker_form, person, scale=value, text=f"Komentar narasumber {value}{person.pk}")
        _respond(organization_form, person, scale=value)
    _respond(_form(program, QuestionnaireKind.BERAKHLAK, Phase.BEFORE), people[0], scale=3)
    _respond(_form(program, QuestionnaireKind.BERAKHLAK, Phase.AFTER), people[0], scale=5)
    test_form = _form(program, QuestionnaireKind.TEST, Phase.BEFORE)
    questions = Question.objects.filter(questionnaire=test_form.questionnaire)
    correct = list(questions.order_by("section__position", "position", "pk").values_list("correct_choice", flat=True))
    _respond(test_form, people[0], numbers=correct)
    _respond(_form(program, QuestionnaireKind.TEST, Phase.AFTER), people[0], numbers=correct)
    _respond(_form(program, QuestionnaireKind.ASSESSMENT), people[1], scale=85, assessor=facilitator)


def test_xlsx_has_a_sheet_per_table_and_is_recorded(organizer_client, organizer, program, people, speaker_form,
                                                    organization_form, facilitator):  # fmt: skip
    from openpyxl import load_workbook

    _everything(program, people, speaker_form, organization_form, facilitator)
    response = organizer_client.get(reverse("evaluations:results_xlsx", kwargs={"program_pk": program.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 10
    aspects_sheet = [list(row) for row in book.worksheets[9].iter_rows(values_only=True)]
    assert len(aspects_sheet[0]) == 3  # aspect, answers, average
    assert len(aspects_sheet) == 11  # the ten aspects of the speaker evaluation
    speakers, distribution, comments, organization, berakhlak, tests, assessment, bands = (
        [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets[:3] + book.worksheets[3:4]
        + book.worksheets[5:9]
    )  # fmt: skip
    assert speakers[1][1] == speaker_form.session.title
    assert speakers[1][4:6] == [3, 3.33]  # responses, overall average
    assert distribution[1][2:] == [3, 3.33, 0, 0, 2, 1]
    assert sorted(row[2] for row in comments[1:]) == sorted(f"Komentar narasumber {v}{p.pk}" for p, v in
                                                           zip(people, [4, 3, 3], strict=True))  # fmt: skip
    assert len(comments[0]) == 4  # session, question, comment, how many wrote it: no respondent column
    all_texts = " ".join(str(cell) for ws in book.worksheets[:3] for row in ws.iter_rows(values_only=True)
                         for cell in row)  # fmt: skip
    for person in people:
        assert person.participant.display_name not in all_texts
    assert organization[1][1:3] == [3, 3.33]
    assert berakhlak[1][2:] == [3.0, 5.0, 2.0]
    assert tests[1][1:] == [people[0].participant.display_name, 100.0, 100.0, 0.0]
    assert assessment[1][1:] == [people[1].participant.display_name, 85.0, "Memuaskan"]
    assert ["Memuaskan", 1] in bands
    record = ExportRecord.objects.get(program=program)
    assert record.user == organizer
    assert record.file_format == "XLSX"
    assert record.rows > 0


def test_xlsx_is_for_managers(leader_client, program, evaluations):
    response = leader_client.get(reverse("evaluations:results_xlsx", kwargs={"program_pk": program.pk}))
    assert response.status_code == 403
    assert not ExportRecord.objects.exists()


def test_results_report_pdf_carries_the_numbers(program, organizer, people, speaker_form, organization_form,
                                                facilitator, django_capture_on_commit_callbacks):  # fmt: skip
    from retreat import services as retreat_services
    from retreat.enums import JobStatus

    _everything(program, people, speaker_form, organization_form, facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        job = retreat_services.document_job_request(program=program, kind="evaluation_results", user=organizer)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert speaker_form.session.title in text
    assert "3,33" in text  # the speaker session's and the organization's overall average
    assert "Berorientasi Pelayanan" in text
    assert people[0].participant.display_name in text  # the test scores are per person
    assert "Memuaskan" in text
    assert "Komentar narasumber 4" in text  # three responses: comments printed


def test_svg_chart_escapes_its_texts():
    from evaluations.charts import Series, svg_chart

    svg = str(svg_chart(Series(id="x", title="<b>", labels=["A & B <script>"], datasets=[{"label": "L", "data": [3]}],
                               max=4)))  # fmt: skip
    assert svg.startswith("<svg")
    assert "<script>" not in svg
    assert "A &amp; B &lt;script&gt;" in svg


def _program_of(program, participants: int, sessions: int):
    """Participants answering every speaker session and every other form."""
    from evaluations.services import forms as form_services
    from evaluations.tests.fixtures import at
    from sessions.models import Session
    from sessions.tests.factories import SpeakerFactory

    cohort = CohortFactory(program=program)
    enrollments = EnrollmentFactory.create_batch(participants, program=program, cohort=cohort)
    speaker = SpeakerFactory(institution=program.organizer)
    for n in range(sessions):
        start = at(program, 2, "07:00") + dt.timedelta(minutes=30 * n)
        session = Session.objects.create(program=program, kind="materi", title=f"Materi {n}", starts_at=start,
                                         ends_at=start + dt.timedelta(minutes=25), counts_for_jp=True)  # fmt: skip
        session.speakers.add(speaker)
    form_services.evaluations_setup(program=program)
    forms = Form.objects.filter(program=program).select_related("questionnaire")
    questions = {}
    for question in Question.objects.filter(questionnaire__program=program):
        questions.setdefault(question.questionnaire_id, []).append(question)
    assessor = None
    for form in forms:
        kind = form.questionnaire.kind
        if kind == QuestionnaireKind.ASSESSMENT:
            from retreat.tests.factories import UserFactory

            assessor = assessor or UserFactory()
            responses = [Response(form=form, assessor=assessor, subject=e) for e in enrollments]
        else:
            responses = [Response(form=form, enrollment=e) for e in enrollments]
        Response.objects.bulk_create(responses)
        responses = list(Response.objects.filter(form=form))
        answers = []
        for n, response in enumerate(responses):
            for question in questions[form.questionnaire_id]:
                value = {QuestionKind.SCALE: 1 + n % question.scale_max, QuestionKind.SCORE: 60 + n % 40,
                         QuestionKind.SINGLE: n % 4}.get(question.kind)  # fmt: skip
                answers.append(Answer(response=response, question=question, number=value,
                                      text="" if value is not None else f"Catatan {n}"))  # fmt: skip
        Answer.objects.bulk_create(answers, batch_size=5000)


# The size the results page is built for: 500 participants answering 20 speaker sessions (and every other form).
@pytest.mark.parametrize(("participants", "sessions"), [(1, 1), (500, 20)])
def test_results_page_queries_do_not_grow(organizer_client, program, participants, sessions,
                                          django_assert_max_num_queries):  # fmt: skip
    _program_of(program, participants, sessions)
    url = reverse("evaluations:results", kwargs={"program_pk": program.pk})
    with django_assert_max_num_queries(20):
        page = organizer_client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("/hasil/sesi/") == sessions
    detail = Form.objects.filter(program=program, session__isnull=False).first()
    with django_assert_max_num_queries(10):
        page = organizer_client.get(reverse("evaluations:speaker_result",
                                            kwargs={"program_pk": program.pk, "form_pk": detail.pk}))  # fmt: skip
    assert page.status_code == 200


def test_results_of_another_programs_form_is_a_404(organizer_client, program, other_program, evaluations):
    from evaluations.services import forms as form_services

    form_services.evaluations_setup(program=other_program)
    other = Form.objects.filter(program=other_program, questionnaire__kind=QuestionnaireKind.ORGANIZATION).first()
    mine = _form(program, QuestionnaireKind.ORGANIZATION)  # not a speaker form
    for form in (other, mine):
        url = reverse("evaluations:speaker_result", kwargs={"program_pk": program.pk, "form_pk": form.pk})
        assert organizer_client.get(url).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_results_on_a_leaders_phone_draws_the_charts(browser, live_server, program, leader, people, speaker_form,
                                                     organization_form, facilitator, screenshot_dir):  # fmt: skip
    from playwright.sync_api import expect

    _everything(program, people, speaker_form, organization_form, facilitator)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)  # fmt: skip
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(leader.username)
    page.get_by_label("Sandi").fill("sandi-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}{reverse('evaluations:results', kwargs={'program_pk': program.pk})}")
    expect(page.locator("#speaker-sessions")).to_contain_text(speaker_form.session.title)
    drawn = page.evaluate(
        "[...document.querySelectorAll('canvas[data-chart]')].map(c => [c.dataset.chart, !!Chart.getChart(c)])"
    )
    assert dict(drawn) == {
        "speaker_sessions": True,
        "speaker_aspects": True,
        "organization_0": True,
        "berakhlak": True,
        "tests": True,
        "bands": True,
    }
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    overflowing = page.evaluate(
        "[...document.querySelectorAll('table')]"
        ".filter(t => t.offsetWidth > t.parentElement.clientWidth).map(t => t.id)"
    )
    assert overflowing == []  # no table needs sideways scrolling
    assert errors == []
    page.screenshot(path=screenshot_dir / "evaluation-results-phone.png", full_page=True)
    context.close()
