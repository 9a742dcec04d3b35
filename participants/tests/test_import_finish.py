"""The end of an import: the uploaded spreadsheet (names, NIPs, phones, health notes) and the rows kept from it
are deleted once the import is confirmed or cancelled, a preview nobody finishes is purged after 24 hours, and
a confirm or cancel that comes too late says what became of the import."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from participants.models import Enrollment, Participant, ParticipantImport
from participants.tasks import task_purge_import_previews
from participants.tests.factories import valid_nip
from participants.tests.uploads import uploaded

CSV = f"Nama;NIP;Jenis Kelamin\r\nBudi Santoso;{valid_nip(1)};L\r\nSri Lestari;{valid_nip(2, 'P')};P\r\n".encode()


pytestmark = pytest.mark.usefixtures("english")


def upload(client, program) -> ParticipantImport:
    batch = uploaded(client, program, CSV)
    assert default_storage.exists(batch.file.name)
    return batch


def post(client, program, batch, action: str):
    url = reverse(f"participants:import_{action}", kwargs={"program_pk": program.pk, "import_pk": batch.pk})
    response = client.post(url)
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("participants:enrollment_list", kwargs={"program_pk": program.pk})
    return [str(message) for message in get_messages(response.wsgi_request)][-1]  # earlier ones were never shown


def test_confirm_deletes_the_uploaded_file_and_the_kept_rows(
    organizer_client, program, django_capture_on_commit_callbacks
):
    batch = upload(organizer_client, program)
    name = batch.file.name
    with django_capture_on_commit_callbacks(execute=True):
        message = post(organizer_client, program, batch, "confirm")
    assert message == "Imported: 2 new, 0 updated, 0 unchanged, 0 refused."
    batch.refresh_from_db()
    assert (batch.status, batch.rows, batch.file.name) == ("committed", None, "")
    assert not default_storage.exists(name)
    assert Enrollment.objects.filter(program=program).count() == 2


def test_cancel_deletes_the_uploaded_file_and_the_kept_rows(
    organizer_client, program, django_capture_on_commit_callbacks
):
    batch = upload(organizer_client, program)
    name = batch.file.name
    with django_capture_on_commit_callbacks(execute=True):
        message = post(organizer_client, program, batch, "cancel")
    assert message == "Import cancelled; nothing was changed."
    batch.refresh_from_db()
    assert (batch.status, batch.rows, batch.file.name) == ("cancelled", None, "")
    assert not default_storage.exists(name)
    assert not Participant.objects.exists()


def test_second_confirm_gets_a_message_and_imports_nothing_twice(organizer_client, program):
    batch = upload(organizer_client, program)
    post(organizer_client, program, batch, "confirm")
    assert post(organizer_client, program, batch, "confirm") == (
        "This import was already confirmed; nothing was imported a second time."
    )
    assert Participant.objects.count() == 2


def test_cancel_after_confirm_is_refused_with_a_message_and_the_import_stays(organizer_client, program):
    batch = upload(organizer_client, program)
    post(organizer_client, program, batch, "confirm")
    assert post(organizer_client, program, batch, "cancel") == (
        "This import was already confirmed, so it can no longer be cancelled; its rows are in the list."
    )
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert Enrollment.objects.filter(program=program).count() == 2


def test_confirm_after_cancel_imports_nothing(organizer_client, program):
    batch = upload(organizer_client, program)
    post(organizer_client, program, batch, "cancel")
    assert post(organizer_client, program, batch, "confirm") == (
        "This import was cancelled, so nothing was imported. Upload the file again."
    )
    assert not Participant.objects.exists()


def test_purge_task_deletes_previews_left_for_24_hours_with_their_files(
    organizer_client, program, django_capture_on_commit_callbacks
):
    old, recent, finished, kept_forever = (upload(organizer_client, program) for _ in range(4))
    with django_capture_on_commit_callbacks(execute=True):
        post(organizer_client, program, finished, "cancel")
    # Confirmed before the file was deleted at the end: its file is still there.
    ParticipantImport.objects.filter(pk=kept_forever.pk).update(status="committed")
    day_ago = timezone.now() - dt.timedelta(hours=24, minutes=1)
    ParticipantImport.objects.filter(pk__in=[old.pk, finished.pk]).update(created_at=day_ago)
    ParticipantImport.objects.filter(pk=recent.pk).update(created_at=day_ago + dt.timedelta(minutes=2))

    with django_capture_on_commit_callbacks(execute=True):
        purged = task_purge_import_previews.delay().get()

    assert task_purge_import_previews.name == "participants.purge_import_previews"  # the beat schedule's name
    assert purged == 1
    assert set(ParticipantImport.objects.values_list("pk", flat=True)) == {recent.pk, finished.pk, kept_forever.pk}
    assert not default_storage.exists(old.file.name)
    assert not default_storage.exists(kept_forever.file.name)
    assert ParticipantImport.objects.get(pk=kept_forever.pk).file.name == ""
    assert default_storage.exists(recent.file.name)
