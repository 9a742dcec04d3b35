import datetime as dt

import pytest
from django.urls import reverse

from evaluations.services import forms as services
from evaluations.tests.test_services import _answers


def test_organizer_starts_from_the_builtin_questionnaires(organizer_client, program, speaker_session):
    url = reverse("evaluations:home", kwargs={"program_pk": program.pk})
    assert "Mulai dari kuesioner bawaan" in organizer_client.get(url).content.decode()
    organizer_client.post(reverse("evaluations:setup", kwargs={"program_pk": program.pk}))
    text = organizer_client.get(url).content.decode()
    for title in (
        "Evaluasi Narasumber",
        "Evaluasi Penyelenggaraan",
        "Penilaian Diri BerAKHLAK",
        "Pre-test dan Post-test",
    ):
        assert title in text
    assert speaker_session.title in text


def test_who_has_not_responded_never_who_answered_what(organizer_client, program, people, open_now):
    services.response_submit(form=open_now, enrollment=people[0], answers=_answers(open_now))
    url = reverse("evaluations:not_responded", kwargs={"program_pk": program.pk, "form_pk": open_now.pk})
    text = organizer_client.get(url).content.decode()
    assert people[1].participant.display_name in text
    assert people[2].participant.display_name in text
    assert people[0].participant.display_name not in text
    assert "Materi sangat bermanfaat." not in text


@pytest.mark.parametrize("speaker_sessions", [1, 8])
def test_evaluations_home_queries_do_not_grow_with_forms(organizer_client, program, people, speaker_sessions,
                                                         django_assert_max_num_queries):  # fmt: skip
    from evaluations.tests.fixtures import at
    from sessions.models import Session
    from sessions.tests.factories import SpeakerFactory

    speaker = SpeakerFactory(institution=program.organizer)
    for n in range(speaker_sessions):
        start = at(program, 2, f"{8 + n}:00")
        session = Session.objects.create(program=program, kind="materi", title=f"Materi {n}", starts_at=start,
                                         ends_at=start + dt.timedelta(minutes=50), counts_for_jp=True)  # fmt: skip
        session.speakers.add(speaker)
    services.evaluations_setup(program=program)
    with django_assert_max_num_queries(14):
        page = organizer_client.get(reverse("evaluations:home", kwargs={"program_pk": program.pk}))
    assert page.status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_not_responded_queries_do_not_grow(organizer_client, program, open_now, count, django_assert_max_num_queries):
    from participants.tests.factories import EnrollmentFactory

    people = EnrollmentFactory.create_batch(count + 1, program=program)
    services.response_submit(form=open_now, enrollment=people[0], answers=_answers(open_now))
    url = reverse("evaluations:not_responded", kwargs={"program_pk": program.pk, "form_pk": open_now.pk})
    with django_assert_max_num_queries(10):
        page = organizer_client.get(url)
    assert page.content.decode().count('class="list-group-item"') == count
