"""Browser test: switching the language in the footer keeps what was typed and not saved yet
(``data-keep-input`` in static/retreat/js/app.js), with no console error and no policy violation."""

import pytest
from playwright.sync_api import expect

from retreat.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [(390, 844), (1366, 900)])
def test_the_language_switch_keeps_unsaved_input(page, live_server, organizer, program, screenshot_dir, size):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/ubah/")
    page.locator("#id_name").fill("Nama yang belum disimpan")
    page.locator("#id_description").fill("Catatan panjang\nbaris kedua")
    page.locator("#id_status").select_option(index=1)
    chosen = page.locator("#id_status").input_value()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#id_name")).to_have_value("Nama yang belum disimpan")
    expect(page.locator("#id_description")).to_have_value("Catatan panjang\nbaris kedua")
    expect(page.locator("#id_status")).to_have_value(chosen)
    page.screenshot(path=screenshot_dir / f"language-switch-{size[0]}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Kept once: opening the page again shows the saved values, not the old input.
    page.reload()
    expect(page.locator("#id_name")).to_have_value(program.name)
    assert errors == []
