"""A document request shows where its job honestly stands. Embedded (no broker: the task runs in the request
itself) the answer is the finished job with its download; with a broker it is "queued" until a worker takes
it, then the real progress (``progress_done`` of ``progress_total``), never a bar stuck at 0 %."""

import pytest
from django.urls import reverse
from django.utils import translation

from retreat import services
from retreat.enums import JobStatus
from retreat.models import DocumentJob


def _request_url(program, kind="participant_list"):
    return reverse("retreat:document_request", kwargs={"program_pk": program.pk, "kind": kind})


def _card(html: str) -> str:
    return html[html.index('class="border rounded p-2 bg-white document-job"') :]


@pytest.mark.django_db(transaction=True)
def test_embedded_the_answer_is_the_finished_job(organizer_client, program, enrolled):
    page = organizer_client.post(_request_url(program), HTTP_HX_REQUEST="true").content.decode()
    job = DocumentJob.objects.get()
    assert job.status == JobStatus.DONE
    assert 'data-status="done"' in page
    assert reverse("retreat:document_download", kwargs={"job_pk": job.pk}) in page
    assert "hx-trigger" not in page  # nothing left to poll
    assert "0%" not in page


@pytest.mark.django_db(transaction=True)
def test_embedded_without_htmx_the_job_page_shows_it_done(organizer_client, program, enrolled):
    response = organizer_client.post(_request_url(program))
    page = organizer_client.get(response.headers["Location"]).content.decode()
    assert 'data-status="done"' in _card(page)
    assert "progress-bar" not in page


@pytest.mark.django_db(transaction=True)
def test_with_a_broker_a_request_answers_queued_not_zero_percent(organizer_client, program, enrolled, monkeypatch):
    monkeypatch.setattr(services, "_send", lambda job_id, take_over=True: True)  # the broker took it; no worker yet
    with translation.override("en"):
        page = organizer_client.post(_request_url(program), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    page = page.content.decode()
    assert 'data-status="queued"' in page
    assert "job-queued" in page
    assert "progress-bar" not in page
    assert "0%" not in page
    assert 'hx-trigger="every 1s"' in page  # polled until a worker takes it


def test_a_queued_job_row_shows_queued(organizer_client, program):
    job = DocumentJob.objects.create(program=program, kind="participant_list", progress_total=3)
    page = organizer_client.get(reverse("retreat:document_job", kwargs={"job_pk": job.pk}), HTTP_HX_REQUEST="true")
    page = page.content.decode()
    assert 'data-status="queued"' in page
    assert "job-queued" in page
    assert "progress-bar" not in page


def test_a_running_job_shows_its_real_progress(organizer_client, program):
    job = DocumentJob.objects.create(program=program, kind="participant_list", status=JobStatus.RUNNING,
                                     progress_done=1, progress_total=3)  # fmt: skip
    page = organizer_client.get(reverse("retreat:document_job", kwargs={"job_pk": job.pk})).content.decode()
    card = _card(page)
    assert 'data-status="running"' in card
    assert 'aria-valuenow="33"' in card
    assert 'data-percent="33"' in card
    assert "job-running" in card


def test_a_running_count_of_items_is_shown(organizer_client, program):
    job = DocumentJob.objects.create(program=program, kind="participant_list", status=JobStatus.RUNNING,
                                     progress_done=124, progress_total=501, progress_items=True)  # fmt: skip
    page = organizer_client.get(reverse("retreat:document_job", kwargs={"job_pk": job.pk}), HTTP_HX_REQUEST="true")
    assert '<span class="job-items">123' in page.content.decode()
