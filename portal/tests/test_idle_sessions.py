"""Staff sessions end after SESSION_IDLE_MINUTES (``retreat.middleware.IdleTimeoutMiddleware``); a
participant's personal link has no session, so no pause ever locks the participant out."""

from django.urls import reverse

from participants import services
from participants.tests.factories import EnrollmentFactory


def test_participants_personal_pages_open_after_any_pause(client, program, settings):
    settings.SESSION_IDLE_MINUTES = 1
    enrollment = services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    url = reverse("portal:personal_page", kwargs={"token": enrollment.access_token})
    first = client.get(url)
    assert first.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in first.cookies  # no session that could expire
    assert enrollment.participant.display_name in client.get(url).content.decode()
