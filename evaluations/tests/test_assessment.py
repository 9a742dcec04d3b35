import pytest
from django.urls import reverse
from django.utils import timezone, translation

from evaluations.enums import QuestionKind, QuestionnaireKind
from evaluations.models import Form, Response
from evaluations.selectors.assessment import participants_for_assessor
from evaluations.services import assessment as services
from participants.tests.factories import EnrollmentFactory
from retreat.enums import Role
from retreat.tests.factories import MembershipFactory, UserFactory
from sessions.tests.factories import DiscussionGroupFactory, SessionFactory


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages and messages in English, the source texts (Indonesian is their translation)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def assessment_form(program, evaluations):
    """The assessment form, open now."""
    form = Form.objects.get(program=program, questionnaire__kind=QuestionnaireKind.ASSESSMENT)
    form.opens_at = timezone.now() - timezone.timedelta(hours=1)
    form.closes_at = timezone.now() + timezone.timedelta(days=1)
    form.save()
    return form


@pytest.fixture
def groups(program, facilitator):
    """Two groups of two; the facilitator facilitates a session of the first group only."""
    first, second = DiscussionGroupFactory(program=program, number=1), DiscussionGroupFactory(program=program, number=2)
    mine = EnrollmentFactory.create_batch(2, program=program, group=first)
    others = EnrollmentFactory.create_batch(2, program=program, group=second)
    session = SessionFactory(program=program, groups=[first])
    session.facilitators.add(facilitator)
    SessionFactory(program=program, groups=[second])
    return mine, others


def _scores(form, value=85, **overrides):
    answers = {str(q.pk): value for q in form.questionnaire.questions.filter(kind=QuestionKind.SCORE)}
    answers.update(overrides)
    return answers


def _client(client, user):
    client.force_login(user)
    return client


def test_facilitator_sees_only_the_participants_of_their_groups(client, program, facilitator, groups, assessment_form):
    mine, others = groups
    assert set(participants_for_assessor(program, facilitator)) == set(mine)
    page = _client(client, facilitator).get(reverse("evaluations:assessment", kwargs={"program_pk": program.pk}))
    text = page.content.decode()
    for enrollment in mine:
        assert enrollment.participant.display_name in text
    for enrollment in others:
        assert enrollment.participant.display_name not in text


def test_facilitator_of_a_whole_program_session_assesses_everyone(program, facilitator, groups):
    mine, others = groups
    SessionFactory(program=program).facilitators.add(facilitator)  # no cohorts, no groups: everyone
    assert set(participants_for_assessor(program, facilitator)) == set(mine + others)


def test_manager_assesses_everyone(program, organizer, groups):
    mine, others = groups
    assert set(participants_for_assessor(program, organizer)) == set(mine + others)


def test_participant_not_theirs_is_404(client, program, facilitator, groups, assessment_form):
    _mine, others = groups
    url = reverse("evaluations:assess", kwargs={"program_pk": program.pk, "subject_pk": others[0].pk})
    assert _client(client, facilitator).get(url).status_code == 404
    assert client.post(url, _scores(assessment_form, 90)).status_code == 404
    assert not Response.objects.filter(subject=others[0]).exists()


def test_save_then_update_keeps_one_response(client, program, facilitator, institution, groups, assessment_form):
    mine, _others = groups
    subject = mine[0]
    url = reverse("evaluations:assess", kwargs={"program_pk": program.pk, "subject_pk": subject.pk})
    response = _client(client, facilitator).post(url, {f"q{k}": v for k, v in _scores(assessment_form, 80).items()})
    assert response.status_code == 302
    saved = Response.objects.get(form=assessment_form, subject=subject)
    assert saved.assessor == facilitator
    assert {a.number for a in saved.answers.all()} == {80}

    colleague = MembershipFactory(user=UserFactory(username="pendamping2"), institution=institution,
                                  role=Role.FACILITATOR).user  # fmt: skip
    SessionFactory(program=program, groups=[subject.group]).facilitators.add(colleague)
    _client(client, colleague).post(url, {f"q{k}": v for k, v in _scores(assessment_form, 95).items()})
    assert Response.objects.filter(form=assessment_form, subject=subject).count() == 1
    saved.refresh_from_db()
    assert saved.assessor == colleague
    assert {a.number for a in saved.answers.all()} == {95}


def test_band_of_the_average_is_shown(client, program, facilitator, groups, assessment_form):
    mine, _others = groups
    scores = dict(zip([str(q.pk) for q in assessment_form.questionnaire.questions.filter(kind=QuestionKind.SCORE)],
                      [90, 95, 80, 85, 90], strict=True))  # fmt: skip
    services.assessment_submit(form=assessment_form, subject=mine[0], assessor=facilitator, answers=scores)
    url = reverse("evaluations:assess", kwargs={"program_pk": program.pk, "subject_pk": mine[0].pk})
    text = _client(client, facilitator).get(url).content.decode()
    assert "88" in text
    assert "Memuaskan" in text
    assert "Sangat Memuaskan" not in text
    listing = client.get(reverse("evaluations:assessment", kwargs={"program_pk": program.pk})).content.decode()
    assert "88" in listing
    assert "Memuaskan" in listing


def test_missing_or_out_of_range_scores_are_refused(client, program, facilitator, groups, assessment_form):
    mine, _others = groups
    first = assessment_form.questionnaire.questions.filter(kind=QuestionKind.SCORE).first()
    url = reverse("evaluations:assess", kwargs={"program_pk": program.pk, "subject_pk": mine[0].pk})
    data = {f"q{k}": v for k, v in _scores(assessment_form, 70, **{str(first.pk): 120}).items()}
    page = _client(client, facilitator).post(url, data)
    assert page.status_code == 200
    assert "A score from 0 to 100." in page.content.decode()
    assert not Response.objects.filter(subject=mine[0]).exists()


def test_closed_form_refuses(client, program, facilitator, groups, assessment_form):
    mine, _others = groups
    assessment_form.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    assessment_form.opens_at = assessment_form.closes_at - timezone.timedelta(days=1)
    assessment_form.save()
    url = reverse("evaluations:assess", kwargs={"program_pk": program.pk, "subject_pk": mine[0].pk})
    page = _client(client, facilitator).post(url, {f"q{k}": v for k, v in _scores(assessment_form).items()})
    assert "This form has closed" in page.content.decode()
    assert not Response.objects.filter(subject=mine[0]).exists()


@pytest.mark.parametrize("size", [1, 12])
def test_assessment_list_queries_do_not_grow(client, program, facilitator, assessment_form, size,
                                             django_assert_max_num_queries):  # fmt: skip
    group = DiscussionGroupFactory(program=program, number=1)
    SessionFactory(program=program, groups=[group]).facilitators.add(facilitator)
    for enrollment in EnrollmentFactory.create_batch(size, program=program, group=group):
        services.assessment_submit(form=assessment_form, subject=enrollment, assessor=facilitator,
                                   answers=_scores(assessment_form, 75))  # fmt: skip
    _client(client, facilitator)
    with django_assert_max_num_queries(11):
        page = client.get(reverse("evaluations:assessment", kwargs={"program_pk": program.pk}))
    assert page.content.decode().count("Cukup Memuaskan") == size
