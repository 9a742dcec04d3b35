"""Browser test: the import walk at desktop size."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from participants.models import Participant
from retreat.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).parent / "data"


def test_import_upload_preview_confirm(page, live_server, organizer, program, screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/peserta/")
    page.get_by_role("link", name="Impor dari spreadsheet").click()
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


def test_file_picker_speaks_indonesian(page, live_server, organizer, program, screenshot_dir):
    """The browser's own "Choose File" is replaced by a translated button; the chosen file's name shows."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/peserta/impor/")
    picker = page.locator("[data-file-picker]")
    expect(picker.locator(".file-picker-button")).to_have_text("Pilih berkas")
    expect(picker.locator(".file-picker-name")).to_have_text("Belum ada berkas dipilih")
    page.get_by_label("Spreadsheet (XLSX atau CSV)").set_input_files(DATA / "peserta_excel_id.csv")
    expect(picker.locator(".file-picker-name")).to_have_text("peserta_excel_id.csv")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=screenshot_dir / "import-file-picker-mobile.png")
