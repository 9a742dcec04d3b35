from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from participants import services
from participants.models import Room
from participants.tests.factories import EnrollmentFactory


def test_personal_link_opens_the_participants_page_without_login(client, program):
    enrollment = services.access_link_issue(enrollment=EnrollmentFactory(program=program, room="K-07"))
    assert len(enrollment.access_token) >= 32
    response = client.get(reverse("portal:personal_page", kwargs={"token": enrollment.access_token}))
    page = response.content.decode()
    assert response.status_code == 200
    assert enrollment.participant.display_name in page
    assert program.name in page
    assert "K-07" in page
    assert enrollment.participant.nip not in page  # no personal numbers on the phone page
    assert response["Referrer-Policy"] == "no-referrer"


def test_unknown_revoked_and_replaced_links_are_404(client, program):
    enrollment = services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    old = enrollment.access_token
    services.access_link_issue(enrollment=enrollment)
    assert client.get(reverse("portal:personal_page", kwargs={"token": old})).status_code == 404
    new = enrollment.access_token
    assert client.get(reverse("portal:personal_page", kwargs={"token": new})).status_code == 200
    services.access_link_revoke(enrollment=enrollment)
    assert client.get(reverse("portal:personal_page", kwargs={"token": new})).status_code == 404
    assert client.get(reverse("portal:personal_page", kwargs={"token": "tebakan"})).status_code == 404


def test_organizer_page_offers_copy_qr_and_whatsapp(organizer_client, program):
    enrollment = EnrollmentFactory(program=program, participant__phone="+6281234567890")
    url = reverse("participants:link_issue", kwargs={"program_pk": program.pk, "enrollment_pk": enrollment.pk})
    organizer_client.post(url)
    enrollment.refresh_from_db()
    page = organizer_client.get(
        reverse("participants:enrollment_update", kwargs={"program_pk": program.pk, "enrollment_pk": enrollment.pk})
    ).content.decode()
    link = f"/p/{enrollment.access_token}/"
    assert link in page
    assert "<svg" in page  # the QR code
    wa = next(part for part in page.split('"') if part.startswith("https://wa.me/"))
    assert urlsplit(wa).path == "/6281234567890"
    assert link in parse_qs(urlsplit(wa.replace("&amp;", "&")).query)["text"][0]


def test_access_links_ensure_gives_every_active_enrollment_a_link(program):
    EnrollmentFactory.create_batch(3, program=program)
    assert services.access_links_ensure(program=program) == 3
    assert services.access_links_ensure(program=program) == 0
    tokens = set(program.enrollments.values_list("access_token", flat=True))
    assert len(tokens) == 3
    assert None not in tokens


def test_personal_page_is_rendered_once_then_served_from_cache(client, program, django_assert_num_queries):
    enrollment = services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    url = reverse("portal:personal_page", kwargs={"token": enrollment.access_token})
    first = client.get(url).content.decode()
    with django_assert_num_queries(1):  # the link, with the agenda's state
        second = client.get(url).content.decode()
    assert second == first
    enrollment.room = Room.objects.create(program=program, number="C-3", capacity=2)
    enrollment.save()
    assert "C-3" in client.get(url).content.decode()


def test_personal_page_is_the_same_whoever_opens_it(organizer_client, organizer, program):
    enrollment = services.access_link_issue(enrollment=EnrollmentFactory(program=program))
    page = organizer_client.get(
        reverse("portal:personal_page", kwargs={"token": enrollment.access_token})
    ).content.decode()
    assert organizer.username not in page
    assert str(organizer) not in page
    assert "csrfmiddlewaretoken" not in page
