"""Browser test: an organizer adds cohorts on the program (htmx, no reload) at desktop and phone size, and the
participant list shows them, as cards on a phone."""

import pytest
from playwright.sync_api import expect

from retreat.models import Cohort
from retreat.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES)
def test_organizer_adds_a_cohort(browser, live_server, organizer, program, enrolled, screenshot_dir, size):
    viewport = SIZES[size]
    context = browser.new_context(
        viewport=viewport, **({"is_mobile": True, "has_touch": True} if size == "phone" else {})
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, organizer)

    page.goto(f"{live_server.url}/program/{program.pk}/")
    page.locator("[data-link='cohorts']").click()
    expect(page).to_have_url(f"{live_server.url}/program/{program.pk}/angkatan/")
    section = page.locator("#cohorts")

    page.locator("#cohort-new-name").fill("Angkatan I")
    page.locator(".cohort-add button[type='submit']").click()
    expect(section.locator(".alert-success")).to_be_visible()
    expect(section.locator(".cohort .cohort-name")).to_have_text(["Angkatan I"])
    assert page.url.endswith("/angkatan/")  # swapped in place, no reload
    cohort = Cohort.objects.get(program=program)
    assert cohort.name == "Angkatan I"

    # The same name again, in another case: refused, with the reason under the field.
    page.locator("#cohort-new-name").fill("angkatan i")
    page.locator(".cohort-add button[type='submit']").click()
    expect(section.locator(".cohort-add .invalid-feedback")).to_contain_text("Angkatan I")
    assert Cohort.objects.filter(program=program).count() == 1

    # In use by the program's participants: removing it is refused and says by how many.
    program.enrollments.update(cohort=cohort)
    page.reload()
    section.locator(f"[data-cohort='{cohort.pk}'] .btn-outline-danger").click()
    expect(section.locator(".alert-danger")).to_contain_text("3")
    assert Cohort.objects.filter(pk=cohort.pk).exists()
    no_sideways_scroll(page, viewport["width"])
    page.screenshot(path=screenshot_dir / f"cohorts-{size}.png", full_page=True)

    # The participant list shows the cohort (as cards on a phone) and filters by it.
    page.goto(f"{live_server.url}/program/{program.pk}/peserta/?cohort={cohort.pk}")
    expect(page.locator("td.cell-cohort").first).to_have_text("Angkatan I")
    expect(page.locator("td.cell-cohort")).to_have_count(3)
    header_shown = page.locator("table.table-cards thead").is_visible()
    assert header_shown == (size == "desktop")
    no_sideways_scroll(page, viewport["width"])
    page.screenshot(path=screenshot_dir / f"participants-cohorts-{size}.png", full_page=True)
    assert errors == []
    context.close()
