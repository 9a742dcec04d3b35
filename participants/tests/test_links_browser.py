"""Browser test: sending the links (cards on a phone, the QR sheet) and the import page's history with the
refused rows to download, at phone and desktop sizes: no horizontal scroll, no console error."""

import re

import pytest
from playwright.sync_api import expect

from participants.models import ParticipantImport
from participants.tests.factories import EnrollmentFactory
from retreat.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def check(page, size: str, screenshot_dir, name: str, errors: list):
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    page.screenshot(path=screenshot_dir / f"{name}-{size}.png", full_page=True)
    assert not errors


@pytest.mark.parametrize("size", SIZES)
def test_send_links_page_and_qr_sheet(page, live_server, organizer, program, screenshot_dir, size):
    EnrollmentFactory(program=program, participant__name="Dr. Ir. Ahmad Fauzan Hidayatullah, M.Si.",
                      participant__phone="0812-3456-7890", access_token=None)  # fmt: skip
    EnrollmentFactory.create_batch(5, program=program, access_token=None)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size(SIZES[size])
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/peserta/")
    page.locator("#send-links").click()
    page.locator("#links-ensure").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".link-card input[readonly]")).to_have_count(6)
    expect(page.locator("a.link-whatsapp").first).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/6281234567890\?text=")
    )
    check(page, size, screenshot_dir, "links", errors)

    page.goto(f"{live_server.url}/program/{program.pk}/peserta/tautan/qr/")
    expect(page.locator(".qr-card svg")).to_have_count(6)
    check(page, size, screenshot_dir, "links-qr", errors)
    if size == "desktop":
        page.emulate_media(media="print")
        expect(page.locator("body > nav")).to_be_hidden()
        expect(page.locator(".program-tabs")).to_be_hidden()
        expect(page.locator("footer")).to_be_hidden()
        page.screenshot(path=screenshot_dir / "links-qr-print.png", full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_import_history_offers_the_refused_rows(page, live_server, organizer, program, screenshot_dir, size, tmp_path):
    csv = tmp_path / "peserta.csv"
    csv.write_bytes(b"Nama;NIP;Jenis Kelamin\r\nSri Lestari;196802301994031005;P\r\nBudi;;L\r\n")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size(SIZES[size])
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/peserta/impor/")
    page.get_by_label("Spreadsheet (XLSX atau CSV)").set_input_files(csv)
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.locator("tr.import-row-refused")).to_have_count(1)
    expect(page.locator("tr.import-row-new td.import-role")).not_to_be_empty()
    page.screenshot(path=screenshot_dir / f"import-preview-roles-{size}.png", full_page=True)
    page.get_by_role("button", name="Impor", exact=True).click()
    batch = ParticipantImport.objects.get()
    expect(page.locator(f"#import-{batch.pk} .import-refused-download")).to_be_visible()
    with page.expect_download() as download:
        page.locator(f"#import-{batch.pk} .import-refused-download").click()
    assert download.value.suggested_filename == "peserta-ditolak.csv"
    check(page, size, screenshot_dir, "import-history", errors)
