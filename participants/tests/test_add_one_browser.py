"""Browser test: adding one participant, at desktop and phone size: found in the registry by live search, or
created as a new person."""

import pytest
from playwright.sync_api import expect

from participants.models import Enrollment, Participant
from participants.tests.factories import ParticipantFactory, valid_nip
from participants.tests.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def watch_console(page) -> list[str]:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def no_horizontal_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_add_a_person_found_in_the_registry_desktop(page, live_server, organizer, program, screenshot_dir):
    person = ParticipantFactory(institution=program.organizer, name="Slamet Riyadi", nip=valid_nip(701),
                                position_title="Camat Klojen", unit_name="Kecamatan Klojen")  # fmt: skip
    page.set_viewport_size(DESKTOP)
    errors = watch_console(page)
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/peserta/")
    page.locator(f"a[href='/program/{program.pk}/peserta/tambah/']").click()
    page.locator("#registry-q").press_sequentially("slam", delay=30)  # live results, no submit
    result = page.locator(f".registry-person[data-participant='{person.pk}']")
    expect(result).to_contain_text("Slamet Riyadi")
    expect(result.locator(".nip")).to_have_text(person.nip_display)
    no_horizontal_scroll(page, DESKTOP)
    page.screenshot(path=screenshot_dir / "add-participant-search-desktop.png", full_page=True)
    result.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Slamet Riyadi")
    assert Enrollment.objects.filter(program=program, participant=person).exists()
    assert errors == []


def test_add_a_new_person_on_a_phone(browser, live_server, organizer, program, screenshot_dir):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = watch_console(page)
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/peserta/tambah/?q=rina")  # the plain GET search
    expect(page.locator(".registry-none")).to_be_visible()
    nip = valid_nip(702, "P")
    page.locator("#id_name").fill("Dr. Rina Wulandari, M.Si.")
    page.locator("#id_nip").fill("1234")
    page.locator(".new-person-form button[type=submit]").click()
    expect(page.locator("#id_nip.is-invalid")).to_be_visible()  # the import's NIP check, on the field
    no_horizontal_scroll(page, PHONE)
    page.screenshot(path=screenshot_dir / "add-participant-new-phone-error.png", full_page=True)
    page.locator("#id_nip").fill(nip)
    page.locator("#id_position_title").fill("Lurah Bareng")
    page.locator(".new-person-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Rina Wulandari")
    no_horizontal_scroll(page, PHONE)
    page.screenshot(path=screenshot_dir / "add-participant-new-phone-done.png", full_page=True)
    person = Participant.objects.get(nip=nip)
    assert (person.front_title, person.back_title, person.sex) == ("Dr.", "M.Si.", "P")
    assert person.enrollments.get().program == program
    assert errors == []
    context.close()
