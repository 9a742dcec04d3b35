"""Reminder e-mails through the production stack: PostgreSQL, Redis and a real worker process."""

import time

import pytest
from django.urls import reverse

from evaluations.models import ReminderSending

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_real_worker_sends_the_reminders(celery_worker, organizer_client, program, people, open_now):
    participant = people[1].participant
    participant.email = "budi@example.go.id"
    participant.save()
    organizer_client.post(reverse("evaluations:reminders", kwargs={"program_pk": program.pk}))
    sending = ReminderSending.objects.get()
    deadline = time.monotonic() + 60
    while sending.status in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        sending.refresh_from_db()
    assert (sending.status, sending.sent, sending.skipped) == ("done", 1, 2), sending.error
    assert "budi@example.go.id" in celery_worker.log.read_text()  # sent by the worker (console backend), not here
