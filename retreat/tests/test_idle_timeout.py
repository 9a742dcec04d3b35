"""Staff sessions end after SESSION_IDLE_MINUTES without a request; participants, who use personal links
and no session, are not affected (``portal/tests/test_idle_sessions.py``). The time of the last request
is written at most once a minute."""

import time

import pytest
from django.urls import reverse

from retreat.middleware import LAST_ACTIVITY_KEY


@pytest.fixture
def idle_minutes(settings):
    settings.SESSION_IDLE_MINUTES = 30
    return 30


def _last_request_ago(client, seconds: int):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_a_staff_user_idle_too_long_is_logged_out(organizer_client, idle_minutes):
    dashboard = reverse("retreat:dashboard")
    assert organizer_client.get(dashboard).status_code == 200
    _last_request_ago(organizer_client, idle_minutes * 60 + 5)
    organizer_client.cookies["django_language"] = "en"  # the message's source text (locale/ translates it)

    response = organizer_client.get(dashboard)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in organizer_client.session
    login_page = organizer_client.get(response.url).content.decode()
    assert "You were logged out after 30 minutes without activity. Log in again." in login_page
    assert organizer_client.get(dashboard).status_code == 302  # still logged out


def test_an_htmx_request_after_the_idle_time_sends_the_page_to_the_login(organizer_client, idle_minutes):
    organizer_client.get(reverse("retreat:dashboard"))
    _last_request_ago(organizer_client, idle_minutes * 60 + 5)
    response = organizer_client.get(reverse("retreat:dashboard"), headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith(reverse("login"))
    assert "_auth_user_id" not in organizer_client.session


def test_a_staff_user_active_within_the_idle_time_stays(organizer_client, idle_minutes):
    organizer_client.get(reverse("retreat:dashboard"))
    _last_request_ago(organizer_client, idle_minutes * 60 - 60)
    assert organizer_client.get(reverse("retreat:dashboard")).status_code == 200
    stamp = organizer_client.session[LAST_ACTIVITY_KEY]
    assert abs(stamp - time.time()) < 5  # the clock starts again
    _last_request_ago(organizer_client, idle_minutes * 60 - 60)
    assert organizer_client.get(reverse("retreat:dashboard")).status_code == 200


def test_the_last_request_is_written_at_most_once_a_minute(organizer_client, idle_minutes):
    organizer_client.get(reverse("retreat:dashboard"))
    _last_request_ago(organizer_client, 20)
    stamp = organizer_client.session[LAST_ACTIVITY_KEY]
    response = organizer_client.get(reverse("retreat:dashboard"))
    assert organizer_client.session[LAST_ACTIVITY_KEY] == stamp  # unchanged: no session write
    assert "sessionid" not in response.cookies
    _last_request_ago(organizer_client, 75)
    organizer_client.get(reverse("retreat:dashboard"))
    assert organizer_client.session[LAST_ACTIVITY_KEY] > stamp


def test_the_idle_time_defaults_to_eight_hours():
    from django.conf import settings

    assert settings.SESSION_IDLE_MINUTES == 480
