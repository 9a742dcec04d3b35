"""Fixtures of evaluations, shared with the portal tests of the participant's forms (root conftest: pytest_plugins)."""

import pytest

from attendance.tests.conftest import at
from evaluations.enums import QuestionnaireKind
from evaluations.models import Form
from evaluations.services import forms as services
from participants import services as participant_services
from participants.tests.factories import EnrollmentFactory
from retreat.tests.factories import CohortFactory
from sessions.models import Session
from sessions.tests.factories import SpeakerFactory


@pytest.fixture
def people(program):
    """Three participants with personal links."""
    return [
        participant_services.access_link_issue(enrollment=e) for e in EnrollmentFactory.create_batch(3, program=program)
    ]


@pytest.fixture
def speaker_session(program):
    """A lecture with a speaker on the program's second day, for the whole program."""
    session = Session.objects.create(program=program, kind="materi", title="Kepemimpinan Pancasila",
                                     starts_at=at(program, 2, "08:00"), ends_at=at(program, 2, "10:00"),
                                     counts_for_jp=True)  # fmt: skip
    session.speakers.add(SpeakerFactory(institution=program.organizer))
    return session


@pytest.fixture
def cohort_session(program, people):
    """A lecture with a speaker for one cohort only, which the first participant is in."""
    cohort = CohortFactory(program=program)
    people[0].cohort = cohort
    people[0].save()
    session = Session.objects.create(program=program, kind="materi", title="Sesi Angkatan I",
                                     starts_at=at(program, 2, "13:00"), ends_at=at(program, 2, "15:00"),
                                     counts_for_jp=True)  # fmt: skip
    session.cohorts.add(cohort)
    session.speakers.add(SpeakerFactory(institution=program.organizer))
    return session


@pytest.fixture
def evaluations(program, speaker_session):
    services.evaluations_setup(program=program)
    return program.questionnaires.all()


@pytest.fixture
def organization_form(program, evaluations):
    return Form.objects.get(program=program, questionnaire__kind=QuestionnaireKind.ORGANIZATION)


@pytest.fixture
def open_now(organization_form, settings):
    """The organization form open now (its window moved around the test's clock)."""
    from django.utils import timezone

    organization_form.opens_at = timezone.now() - timezone.timedelta(hours=1)
    organization_form.closes_at = timezone.now() + timezone.timedelta(days=1)
    organization_form.save()
    return organization_form
