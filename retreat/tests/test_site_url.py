"""Links follow the address the app serves on when SITE_URL is unset (``make run PORT=8102`` hands out
links to port 8102), and SITE_URL wins when it is set (production). Work with no request behind it uses
SERVE_URL, the address ``make run`` serves on; a task sent to a worker during a request keeps its address."""

import pytest
from celery.app.task import Context
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.urls import reverse

from retreat import links


def _address(name: str, enrollment) -> str:
    return reverse(name, kwargs={"program_pk": enrollment.program_id, "enrollment_pk": enrollment.pk})


@pytest.fixture
def linked(organizer_client, enrolled):
    """An enrollment with a personal link, issued by the organizer (enrollments belong to a higher app)."""
    enrollment = enrolled[0]
    organizer_client.post(_address("participants:link_issue", enrollment))
    enrollment.refresh_from_db()
    assert enrollment.access_token
    return enrollment


def _edit_page(client, enrollment, **extra) -> str:
    response = client.get(_address("participants:enrollment_update", enrollment), **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_without_site_url_the_personal_link_follows_the_address_served_on(organizer_client, linked, settings):
    settings.SITE_URL = ""
    page = _edit_page(organizer_client, linked, HTTP_HOST="127.0.0.1:8102")
    assert f'value="http://127.0.0.1:8102/p/{linked.access_token}/"' in page
    assert "127.0.0.1:8000" not in page
    page = _edit_page(organizer_client, linked, HTTP_HOST="localhost:8103")
    assert f'value="http://localhost:8103/p/{linked.access_token}/"' in page


def test_site_url_wins_when_set(organizer_client, linked, settings):
    settings.SITE_URL = "https://retret.example.go.id"
    page = _edit_page(organizer_client, linked, HTTP_HOST="127.0.0.1:8102")
    assert f'value="https://retret.example.go.id/p/{linked.access_token}/"' in page
    assert "127.0.0.1:8102" not in page


def test_a_host_outside_allowed_hosts_makes_no_link(organizer_client, linked, settings):
    settings.SITE_URL = ""
    response = organizer_client.get(_address("participants:enrollment_update", linked), HTTP_HOST="penyerang.example")
    assert response.status_code == 400
    assert "penyerang.example" not in response.content.decode()


def test_behind_the_proxy_the_link_takes_its_scheme(organizer_client, linked, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["retret.example.go.id"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    page = _edit_page(organizer_client, linked, HTTP_HOST="retret.example.go.id", HTTP_X_FORWARDED_PROTO="https")
    assert f'value="https://retret.example.go.id/p/{linked.access_token}/"' in page


def test_the_agenda_calendar_feed_follows_the_address_too(organizer_client, program, settings):
    settings.SITE_URL = ""
    program.calendar_token = "rahasia-kalender"
    program.save(update_fields=["calendar_token"])
    response = organizer_client.get(reverse("sessions:agenda", kwargs={"program_pk": program.pk}),
                                    HTTP_HOST="127.0.0.1:8102")  # fmt: skip
    feed = reverse("sessions:program_calendar", kwargs={"token": "rahasia-kalender"})
    assert f"http://127.0.0.1:8102{feed}" in response.content.decode()


def test_with_no_request_links_start_at_the_address_make_run_serves_on(settings):
    settings.SITE_URL = ""
    settings.SERVE_URL = "http://127.0.0.1:8102"
    assert links.personal_url("abc") == "http://127.0.0.1:8102/p/abc/"
    assert links.verify_url("KODE") == "http://127.0.0.1:8102/v/KODE/"
    settings.SITE_URL = "https://retret.example.go.id"
    assert links.personal_url("abc") == "https://retret.example.go.id/p/abc/"


def test_a_task_sent_during_a_request_makes_its_links_at_that_address(rf, settings):
    settings.SITE_URL = ""
    settings.SERVE_URL = "http://127.0.0.1:8000"
    headers = {}
    with links.serving_at(rf.get("/", HTTP_HOST="127.0.0.1:8102")):
        before_task_publish.send(sender="evaluations.send_reminders", body=(), headers=headers)
    assert headers == {links.ADDRESS_HEADER: "http://127.0.0.1:8102"}

    class Task:  # what a worker sees: the message's headers on the task's request
        request = Context({links.ADDRESS_HEADER: "http://127.0.0.1:8102"})

    task = Task()
    task_prerun.send(sender=task, task_id="1", task=task, args=(), kwargs={})
    assert links.personal_url("abc") == "http://127.0.0.1:8102/p/abc/"
    task_postrun.send(sender=task, task_id="1", task=task, args=(), kwargs={}, retval=None, state="SUCCESS")
    assert links.personal_url("abc") == "http://127.0.0.1:8000/p/abc/"  # the next task starts afresh


def test_a_task_sent_with_no_request_or_with_site_url_carries_no_address(rf, settings):
    settings.SITE_URL = ""
    headers = {}
    before_task_publish.send(sender="retreat.sweep_document_jobs", body=(), headers=headers)
    assert headers == {}
    settings.SITE_URL = "https://retret.example.go.id"
    with links.serving_at(rf.get("/", HTTP_HOST="127.0.0.1:8102")):
        before_task_publish.send(sender="evaluations.send_reminders", body=(), headers=headers)
    assert headers == {}


def test_personal_paths_are_told_apart():
    assert links.is_personal_path("/p/abc/")
    assert links.is_personal_path("/p/abc/jadwal.ics")
    assert not links.is_personal_path("/p/sw.js")
    assert not links.is_personal_path("/p/")
    assert not links.is_personal_path("/program/1/")
    assert not links.is_personal_path("/v/KODE/")
