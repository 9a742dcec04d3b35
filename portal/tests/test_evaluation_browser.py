"""A participant's evaluations on a phone (390×844): from the personal page to a speaker evaluation, and the
organization form finished after the signal was lost in the middle."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.enums import QuestionnaireKind
from evaluations.models import Answer, Form, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context
    context.close()


def _open(form):
    form.opens_at = timezone.now() - timezone.timedelta(hours=1)
    form.closes_at = timezone.now() + timezone.timedelta(days=1)
    form.save()
    return form


def _answer_scales(page, choice: str):
    """Tap the given point of every scale question of the part on screen."""
    for question in page.locator(".eval-step:not(.d-none) .question").all():
        labels = question.locator(".scale label")
        if labels.count():
            labels.nth(int(choice) - 1).click()


def test_speaker_evaluation_from_the_personal_page(phone, live_server, people, speaker_session, evaluations,
                                                   screenshot_dir):  # fmt: skip
    form = _open(Form.objects.get(session=speaker_session))
    page = phone.new_page()
    page.goto(f"{live_server.url}/p/{people[0].access_token}/")
    box = page.locator(".evaluations")
    expect(box).to_contain_text("1 evaluasi belum diisi")
    box.get_by_text("Evaluasi Narasumber").click()
    expect(page.locator("h1")).to_have_text("Evaluasi Narasumber")
    expect(page.locator(".step-count")).to_have_text("Bagian 1 dari 2")
    _answer_scales(page, "4")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screenshot_dir / "evaluation-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Lanjut").click()
    page.locator("textarea").fill("Contoh nyata dari lapangan sangat membantu.")
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator(".status")).to_contain_text("sudah tersimpan")
    response = Response.objects.get(form=form, enrollment=people[0])
    assert response.answers.count() == 11
    assert Answer.objects.get(response=response, question__key="komentar").text.startswith("Contoh nyata")
    page.goto(f"{live_server.url}/p/{people[0].access_token}/")
    expect(page.locator(".evaluations")).to_contain_text("Terkirim")
    expect(page.locator(".evaluations")).not_to_contain_text("belum diisi")


def test_organization_form_survives_a_lost_connection_and_is_saved_once(phone, live_server, program, people,
                                                                        evaluations):  # fmt: skip
    form = _open(Form.objects.get(program=program, questionnaire__kind=QuestionnaireKind.ORGANIZATION))
    page = phone.new_page()
    url = f"{live_server.url}/p/{people[0].access_token}/evaluasi/{form.pk}/"
    page.goto(url)
    _answer_scales(page, "3")
    phone.set_offline(True)  # the hall's signal drops in the middle
    phone.set_offline(False)
    page.reload()  # the first part's answers were kept on the phone
    expect(page.locator(".status")).to_contain_text("belum terkirim")
    assert page.locator(".eval-step:not(.d-none) input[type=radio]:checked").count() == 10
    page.get_by_role("button", name="Lanjut").click()
    page.locator("textarea").fill("Air panas di asrama sering mati.")
    phone.set_offline(True)  # and drops again as it is sent
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator(".status")).to_contain_text("Tidak ada sinyal")
    page.close()  # the tab is closed before the signal returns
    assert not Response.objects.exists()
    phone.set_offline(False)
    page = phone.new_page()
    page.goto(url)  # opened again: what waited on the phone is sent
    expect(page.locator(".status")).to_contain_text("sudah tersimpan")
    page.reload()
    expect(page.locator(".alert-success")).to_contain_text("Jawaban Anda sudah tersimpan")
    assert Response.objects.filter(form=form).count() == 1
    response = Response.objects.get(form=form)
    assert response.answers.get(question__key="perbaikan").text == "Air panas di asrama sering mati."
    assert set(response.answers.filter(question__kind="scale").values_list("number", flat=True)) == {3}


def test_a_server_error_keeps_the_answers_and_says_so(phone, live_server, program, people, evaluations):
    from django.utils import translation
    from django.utils.translation import gettext

    form = _open(Form.objects.get(program=program, questionnaire__kind=QuestionnaireKind.ORGANIZATION))
    page = phone.new_page()
    url = f"{live_server.url}/p/{people[0].access_token}/evaluasi/{form.pk}/"
    page.goto(url)
    _answer_scales(page, "2")
    page.get_by_role("button", name="Lanjut").click()
    page.locator("textarea").fill("Ruang kelas terlalu dingin.")

    def refuse(route):
        if route.request.method == "POST":
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.continue_()

    page.route(url, refuse)
    page.get_by_role("button", name="Kirim").click()
    with translation.override("id"):
        failed = gettext("Your answers were not sent yet: they are kept on this phone. Try again.")
    expect(page.locator(".status")).to_have_text(failed)
    assert not Response.objects.exists()
    page.unroute(url)
    page.reload()  # the answers waited on the phone and go now
    expect(page.locator(".status")).to_contain_text("sudah tersimpan")
    response = Response.objects.get(form=form)
    assert response.answers.get(question__key="perbaikan").text == "Ruang kelas terlalu dingin."
