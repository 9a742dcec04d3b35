"""Confirm and cancel of one import run one after the other (the import's row is locked and its status checked
again): a cancel that arrives while the confirm is writing ends with everything imported and the cancel refused,
and of two confirms the second is told the import is done. Needs PostgreSQL (row locks, parallel transactions)."""

import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from participants.models import Enrollment, Participant, ParticipantImport
from participants.tests.factories import ParticipantFactory, valid_nip
from participants.tests.uploads import post_upload

NEW_ROWS = 300

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def known(institution):
    """A registry person the file updates after its new rows: a lock held on him stops a confirm half-way."""
    return ParticipantFactory(institution=institution, nip=valid_nip(900), name="Hadi Prasetyo", phone="")


@pytest.fixture
def batch(require_postgresql, organizer, program, known, settings):
    lines = ["Nama;NIP;Jenis Kelamin;No HP"]
    lines += [f"Peserta Baru {n};{valid_nip(n)};L;" for n in range(1, NEW_ROWS + 1)]
    lines.append(f"{known.name};{known.nip};L;081233300099")
    client = logged_in(organizer, settings)
    assert post_upload(client, program, "\r\n".join(lines) + "\r\n").status_code == 302
    return ParticipantImport.objects.get()


def logged_in(user, settings) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def in_thread(client, url, outcomes: list) -> threading.Thread:
    def run():
        try:
            response = client.post(url)
            outcomes.append((response.status_code, [str(m) for m in get_messages(response.wsgi_request)]))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_for_lock_waiters(count: int) -> None:
    """Until ``count`` other transactions of the test database wait for a row lock."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # the list of sessions is kept per transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.05)
    pytest.fail(f"{count} transactions never waited for a lock")


def action_url(program, batch, action):
    return reverse(f"participants:import_{action}", kwargs={"program_pk": program.pk, "import_pk": batch.pk})


def test_cancel_during_a_running_confirm_is_refused_and_everything_is_imported(
    organizer, program, known, batch, settings
):
    outcomes = {"confirm": [], "cancel": []}
    confirming, cancelling = logged_in(organizer, settings), logged_in(organizer, settings)
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=known.pk)  # the confirm stops at this row, half-way
        confirm = in_thread(confirming, action_url(program, batch, "confirm"), outcomes["confirm"])
        wait_for_lock_waiters(1)
        cancel = in_thread(cancelling, action_url(program, batch, "cancel"), outcomes["cancel"])
        wait_for_lock_waiters(2)
    confirm.join(timeout=60)
    cancel.join(timeout=60)

    batch.refresh_from_db()
    assert batch.status == ParticipantImport.Status.COMMITTED
    assert Enrollment.objects.filter(program=program).count() == NEW_ROWS + 1
    assert outcomes["confirm"] == [(302, [f"Imported: {NEW_ROWS + 1} new, 0 updated, 0 unchanged, 0 refused."])]
    assert outcomes["cancel"] == [
        (302, ["This import was already confirmed, so it can no longer be cancelled; its rows are in the list."])
    ]


def test_two_parallel_confirms_import_once_and_the_second_gets_a_message(organizer, program, known, batch, settings):
    outcomes = []
    url = action_url(program, batch, "confirm")
    clients = logged_in(organizer, settings), logged_in(organizer, settings)
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=known.pk)
        first = in_thread(clients[0], url, outcomes)
        wait_for_lock_waiters(1)
        second = in_thread(clients[1], url, outcomes)
        wait_for_lock_waiters(2)
    first.join(timeout=60)
    second.join(timeout=60)

    assert sorted(outcomes) == [
        (302, [f"Imported: {NEW_ROWS + 1} new, 0 updated, 0 unchanged, 0 refused."]),
        (302, ["This import was already confirmed; nothing was imported a second time."]),
    ]
    assert Enrollment.objects.filter(program=program).count() == NEW_ROWS + 1
    assert Participant.objects.count() == NEW_ROWS + 1
