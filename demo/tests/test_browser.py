"""Browser tests: Playwright on Debian's Chromium against the live server."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from demo.seeding import DEMO_PASSWORD
from retreat.tests.pdf import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db):
    from demo.seeding import seed_demo

    seed_demo()


def login(page, live_server, username):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Program saya")).to_be_visible()


def test_organizer_downloads_the_participant_list(page, live_server, demo, task_runner, screenshot_dir):
    login(page, live_server, "panitia.malang")
    page.get_by_role("link", name=re.compile("Pelatihan Leadership")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pelatihan Leadership")
    page.get_by_role("button", name="Daftar peserta (PDF)").click()
    job = page.locator(".document-job").first
    expect(job).to_have_attribute("data-status", "done", timeout=90_000)
    page.screenshot(path=screenshot_dir / "program-desktop.png", full_page=False)
    with page.expect_download() as info:
        job.get_by_role("link", name=re.compile("Unduh PDF")).click()
    download = info.value
    assert download.suggested_filename.startswith("daftar-peserta-")
    text = pdf_text(Path(download.path()).read_bytes())
    assert "DAFTAR PESERTA" in text
    assert "Kedungkandang" in text


def test_dashboard_at_phone_width(browser, live_server, demo, screenshot_dir):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server, "panitia.malang")
    cards = page.locator(".program-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("POLTEKAD")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "dashboard-phone.png", full_page=True)
    context.close()
