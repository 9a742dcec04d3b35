"""Browser tests: the import walk at desktop size, the personal page at phone size."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from participants import services
from participants.models import Participant
from participants.tests.factories import EnrollmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).parent / "data"
PHONE = {"width": 390, "height": 844}


def login(page, live_server, user):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Sandi").fill("sandi-uji-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Program saya")).to_be_visible()


def test_import_upload_preview_confirm(page, live_server, organizer, program, screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/peserta/")
    page.get_by_role("link", name="Impor spreadsheet").click()
    page.get_by_label("Spreadsheet (XLSX atau CSV)").set_input_files(DATA / "peserta_excel_id.csv")
    page.get_by_role("button", name="Pratinjau").click()

    expect(page.get_by_role("heading", name="Pratinjau impor")).to_be_visible()
    refused = page.locator("tr.import-row-refused")
    expect(refused.first).to_be_visible()
    new_count = page.locator("tr.import-row-new").count()
    assert new_count > 5
    assert Participant.objects.count() == 0  # nothing written before confirming
    page.screenshot(path=screenshot_dir / "import-preview-desktop.png")

    page.get_by_role("button", name="Impor", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text(f"{new_count} baru")
    assert program.enrollments.count() == new_count


def test_personal_page_on_a_phone(browser, live_server, program, screenshot_dir):
    enrollment = services.access_link_issue(enrollment=EnrollmentFactory(program=program, room="Barak 2 / 14"))
    services.groups_form(program=program, group_count=1)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/p/{enrollment.access_token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(program.name)
    expect(page.locator(".personal-facts")).to_contain_text("Barak 2 / 14")
    expect(page.get_by_text(enrollment.participant.display_name)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "personal-page-phone.png", full_page=True)
    context.close()
