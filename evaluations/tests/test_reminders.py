from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from evaluations.enums import Phase, QuestionnaireKind
from evaluations.models import Form, ReminderSending
from evaluations.selectors.reminders import reminders_for_program
from evaluations.services import forms as services
from evaluations.tests.test_services import _answers
from participants import services as participant_services
from participants.links import whatsapp_number
from participants.tests.factories import EnrollmentFactory


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages and messages in English, the source texts (Indonesian is their translation)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def self_assessment(program, evaluations):
    """The BerAKHLAK self-assessment before the retreat, open now."""
    form = Form.objects.get(program=program, questionnaire__kind=QuestionnaireKind.BERAKHLAK, phase=Phase.BEFORE)
    form.opens_at = timezone.now() - timezone.timedelta(hours=2)
    form.closes_at = timezone.now() + timezone.timedelta(hours=5)
    form.save()
    return form


@pytest.fixture
def contacts(people):
    """The second participant has a phone (typed 08…) and an e-mail; the others neither a phone nor an e-mail."""
    participant = people[1].participant
    participant.phone, participant.email = "0812-3456-7890", "budi@example.go.id"
    participant.save()
    return people


def test_who_has_not_filled_which_open_forms(program, contacts, open_now, self_assessment):
    people = contacts
    services.response_submit(form=open_now, enrollment=people[0], answers=_answers(open_now))
    rows = {r.enrollment.pk: [f.pk for f in r.forms] for r in reminders_for_program(program)}
    assert rows == {
        people[0].pk: [self_assessment.pk],
        people[1].pk: [self_assessment.pk, open_now.pk],  # in the order they close
        people[2].pk: [self_assessment.pk, open_now.pk],
    }


def test_nobody_is_reminded_of_a_closed_or_upcoming_form(program, people, evaluations):
    assert reminders_for_program(program) == []


def test_phone_numbers_for_whatsapp():
    assert whatsapp_number("0812-3456-7890") == "6281234567890"
    assert whatsapp_number("+62 812 3456 7890") == "6281234567890"
    assert whatsapp_number("6281234567890") == "6281234567890"
    assert whatsapp_number("") == ""
    assert whatsapp_number("bukan nomor") == ""


def test_the_participants_page_link_uses_the_same_whatsapp_number(program, people):
    from participants.models import Participant
    from participants.views import whatsapp_url

    enrollment = people[0]
    Participant.objects.filter(pk=enrollment.participant_id).update(phone="0812-3456-7890")
    enrollment.participant.refresh_from_db()
    url = whatsapp_url(enrollment, "https://retret.example/p/abc/")
    assert url.startswith("https://wa.me/6281234567890?text=")
    assert "https://retret.example/p/abc/" in parse_qs(urlsplit(url).query)["text"][0]
    Participant.objects.filter(pk=enrollment.participant_id).update(phone="")
    enrollment.participant.refresh_from_db()
    assert whatsapp_url(enrollment, "https://retret.example/p/abc/") == ""  # no number: no link


def test_page_lists_people_with_a_prefilled_whatsapp_link(organizer_client, program, contacts, open_now):
    people = contacts
    page = organizer_client.get(reverse("evaluations:reminders", kwargs={"program_pk": program.pk})).content.decode()
    for enrollment in people:
        assert enrollment.participant.display_name in page
    links = [part for part in page.split('"') if part.startswith("https://wa.me/")]
    assert len(links) == 1  # only the participant with a phone
    address = urlsplit(links[0].replace("&amp;", "&"))
    assert address.path == "/6281234567890"
    text = parse_qs(address.query)["text"][0]
    assert people[1].participant.display_name in text
    assert str(open_now) in text
    assert f"/p/{people[1].access_token}/" in text
    assert "%20" in links[0]  # encoded
    assert "Message for the group chat" in page
    group_text = page.split('id="group-text"', 1)[1].split("</textarea>", 1)[0]
    assert str(open_now) in group_text
    assert people[2].participant.display_name in group_text


def test_email_goes_to_those_with_an_address(organizer_client, organizer, program, contacts, open_now,
                                             django_capture_on_commit_callbacks):  # fmt: skip
    people = contacts
    url = reverse("evaluations:reminders", kwargs={"program_pk": program.pk})
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["budi@example.go.id"]
    assert f"/p/{people[1].access_token}/" in mail.outbox[0].body
    assert str(open_now) in mail.outbox[0].body
    sending = ReminderSending.objects.get()
    assert (sending.status, sending.sent, sending.skipped, sending.requested_by) == ("done", 1, 2, organizer)
    assert "1 sent, 2 without an e-mail address." in organizer_client.get(url).content.decode()


def test_a_sending_is_sent_once(organizer, program, contacts, open_now, django_capture_on_commit_callbacks):
    from evaluations.services.reminders import reminder_sending_request, reminder_sending_run

    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = reminder_sending_request(program=program, user=organizer)
        again = reminder_sending_request(program=program, user=organizer)  # a second click while it is queued
    assert first == again
    assert ReminderSending.objects.count() == 1
    for callback in queued:
        callback()
    reminder_sending_run(sending_id=first.pk)  # the task delivered twice
    assert len(mail.outbox) == 1


def test_mail_server_down_marks_the_sending_failed(organizer_client, program, contacts, open_now, settings,
                                                   django_capture_on_commit_callbacks):  # fmt: skip
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    url = reverse("evaluations:reminders", kwargs={"program_pk": program.pk})
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url)
    sending = ReminderSending.objects.get()
    assert sending.status == "failed"
    assert sending.error
    assert "the mail server did not answer" in organizer_client.get(url).content.decode()


def test_reminders_are_for_managers_only(client, facilitator, leader, program, open_now):
    url = reverse("evaluations:reminders", kwargs={"program_pk": program.pk})
    for user in (facilitator, leader):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert mail.outbox == []


def test_not_responded_page_links_to_reminders(organizer_client, program, people, open_now):
    url = reverse("evaluations:not_responded", kwargs={"program_pk": program.pk, "form_pk": open_now.pk})
    assert (
        reverse("evaluations:reminders", kwargs={"program_pk": program.pk})
        in organizer_client.get(url).content.decode()
    )


@pytest.mark.parametrize("size", [1, 15])
def test_reminders_queries_do_not_grow(organizer_client, program, open_now, self_assessment, size,
                                       django_assert_max_num_queries):  # fmt: skip
    for enrollment in EnrollmentFactory.create_batch(size, program=program):
        participant_services.access_link_issue(enrollment=enrollment)
    with django_assert_max_num_queries(11):
        page = organizer_client.get(reverse("evaluations:reminders", kwargs={"program_pk": program.pk}))
    assert page.content.decode().count('class="list-group-item reminder-row"') == size


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reminders_and_editor_on_a_phone(browser, live_server, organizer, program, contacts, open_now, screenshot_dir):
    """At 390×844 the pages fit the screen and the group message is copied with one tap."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, permissions=["clipboard-read", "clipboard-write"])  # fmt: skip
    page = context.new_page()
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(organizer.username)
    page.get_by_label("Sandi").fill("sandi-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}{reverse('evaluations:reminders', kwargs={'program_pk': program.pk})}")
    assert page.locator(".reminder-row").count() == 3
    button = page.locator("[data-copy=group-text]")
    label = button.inner_text()
    button.click()
    expect(button).not_to_have_text(label)  # changed once the clipboard has it (waits for the promise)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / "evaluation-reminders-phone.png", full_page=True)
    url = reverse("evaluations:questionnaire", kwargs={"program_pk": program.pk,
                                                       "questionnaire_pk": open_now.questionnaire_id})  # fmt: skip
    page.goto(f"{live_server.url}{url}")
    assert page.locator(".question-row").count() == open_now.questionnaire.questions.count()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / "evaluation-editor-phone.png", full_page=True)
    context.close()
