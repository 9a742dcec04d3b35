"""Browser test: a manager picks a group's facilitators on the groups page (htmx swaps the group's card), at
desktop and phone size, without horizontal scroll or console errors."""

import pytest
from playwright.sync_api import expect

from participants.models import DiscussionGroup
from participants.tests.factories import EnrollmentFactory
from retreat.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_facilitators_picked_per_group(
    browser, live_server, organizer, facilitator, program, screenshot_dir, viewport, name
):
    facilitator.first_name, facilitator.last_name = "Rina", "Pendamping"
    facilitator.save()
    groups = [DiscussionGroup.objects.create(program=program, number=n, name=f"Kelompok {n}") for n in (1, 2)]
    for n in range(4):
        EnrollmentFactory(program=program, group=groups[n % 2])
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/kelompok/")
    card = page.locator("#group-2")
    card.locator("select[name=facilitators]").select_option(str(facilitator.pk))
    card.locator(".group-facilitators-form button").click()
    expect(page.locator("#group-2 [role=status]")).to_be_visible()  # swapped in place by htmx
    expect(page.locator("#group-2 .group-facilitator")).to_have_text("Rina Pendamping")
    expect(page.locator("#group-1 .group-facilitator")).to_have_count(0)
    assert list(groups[1].facilitators.all()) == [facilitator]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=screenshot_dir / f"group-facilitators-{name}.png", full_page=True)
    assert not errors, errors
    context.close()
