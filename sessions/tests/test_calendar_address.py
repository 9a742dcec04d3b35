"""The program's calendar address: a leaked one is renewed (the old address stops answering) or revoked (no
address at all until a new one is made), by the program's managers, on the agenda page that shows it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from retreat.models import Program
from sessions import services

from .factories import local_time
from .test_calendar import make_session


@pytest.fixture
def published(program):
    program.agenda_published_at = timezone.now()
    program.save(update_fields=["agenda_published_at"])
    make_session(program, start=local_time(program, 1, "08:00"), title="Apel Pagi")
    services.calendar_token_ensure(program=program)
    return program


def feed(client, token):
    return client.get(reverse("sessions:program_calendar", kwargs={"token": token}))


def agenda_page(client, program) -> str:
    return client.get(reverse("sessions:agenda", kwargs={"program_pk": program.pk})).content.decode()


def test_renew_gives_a_new_address_and_the_old_one_stops_answering(organizer_client, client, published):
    old = published.calendar_token
    assert b"Apel Pagi" in feed(client, old).content
    assert f"/kalender/{old}.ics" in agenda_page(organizer_client, published)

    response = organizer_client.post(reverse("sessions:calendar_renew", kwargs={"program_pk": published.pk}))

    assert response.status_code == 302
    new = Program.objects.get(pk=published.pk).calendar_token
    assert new
    assert new != old
    assert feed(client, old).status_code == 404
    assert b"Apel Pagi" in feed(client, new).content
    page = agenda_page(organizer_client, published)
    assert f"/kalender/{new}.ics" in page
    assert old not in page


def test_revoke_leaves_no_address_until_a_new_one_is_made(organizer_client, client, published):
    old = published.calendar_token

    organizer_client.post(reverse("sessions:calendar_revoke", kwargs={"program_pk": published.pk}))

    assert Program.objects.get(pk=published.pk).calendar_token is None
    assert feed(client, old).status_code == 404
    page = agenda_page(organizer_client, published)
    assert "/kalender/" not in page
    assert reverse("sessions:calendar_feed", kwargs={"program_pk": published.pk}) in page  # make one again

    organizer_client.post(reverse("sessions:calendar_feed", kwargs={"program_pk": published.pk}))
    new = Program.objects.get(pk=published.pk).calendar_token
    assert new
    assert new != old
    assert b"Apel Pagi" in feed(client, new).content
    assert feed(client, old).status_code == 404


def test_the_agenda_page_offers_renew_and_revoke_to_managers_only(organizer_client, client, facilitator, published):
    page = agenda_page(organizer_client, published)
    assert reverse("sessions:calendar_renew", kwargs={"program_pk": published.pk}) in page
    assert reverse("sessions:calendar_revoke", kwargs={"program_pk": published.pk}) in page

    client.force_login(facilitator)
    assert published.calendar_token not in agenda_page(client, published)
    for name in ("sessions:calendar_renew", "sessions:calendar_revoke"):
        assert client.post(reverse(name, kwargs={"program_pk": published.pk})).status_code == 403
    assert Program.objects.get(pk=published.pk).calendar_token == published.calendar_token
