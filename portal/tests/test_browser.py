"""The participant's pages on a phone: the personal page, and the schedule today first, the running session
marked, and offline."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from participants import services as participant_services
from participants.tests.factories import EnrollmentFactory
from sessions import services
from sessions.models import Session, Venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def schedule(program):
    """A published three-day agenda from the template, and one participant's personal link."""
    services.agenda_apply_template(program=program)
    services.agenda_publish(program=program)
    return participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program))


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context
    context.close()


def test_today_first_with_the_running_and_next_session(phone, live_server, program, schedule, screenshot_dir):
    page = phone.new_page()
    # Friday 16 May 2025, 08.30 WIB: the keynote (08.00–10.00) runs, the coffee break is next.
    page.clock.set_fixed_time(dt.datetime(2025, 5, 16, 1, 30, tzinfo=dt.UTC))
    page.goto(f"{live_server.url}/p/{schedule.access_token}/")
    panel = page.locator(".day-panel:not(.d-none)")
    expect(panel).to_have_attribute("data-day", "2025-05-16")
    expect(page.locator(".day-tabs .active")).to_have_attribute("data-day", "2025-05-16")
    running = page.locator(".session.running")
    expect(running).to_have_count(1)
    expect(running).to_contain_text("Kuliah Umum (Keynote)")
    expect(running).to_contain_text("Aula Utama")
    expect(running).to_contain_text("PDL")
    expect(running.locator(".status-badge")).to_have_text("Sekarang")
    expect(page.locator(".session.next")).to_contain_text("Rehat Kopi")
    expect(running).to_contain_text("08.00–10.00 WIB")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    running.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "schedule-phone.png")


def test_only_my_groups_sessions(phone, live_server, program, schedule):
    from participants.models import DiscussionGroup

    mine = DiscussionGroup.objects.create(program=program, number=1, name="Kelompok 1")
    other = DiscussionGroup.objects.create(program=program, number=2, name="Kelompok 2")
    schedule.group = mine
    schedule.save()
    venue = Venue.objects.get(program=program, name="Aula Utama")
    for group, title in ((mine, "Diskusi Kelompok 1"), (other, "Diskusi Kelompok 2")):
        start = dt.datetime(2025, 5, 16, 21, 0, tzinfo=program.tzinfo)
        session = Session.objects.create(program=program, kind="diskusi", title=title, starts_at=start,
                                         ends_at=start + dt.timedelta(hours=1), venue=venue)  # fmt: skip
        session.groups.set([group])
    page = phone.new_page()
    page.goto(f"{live_server.url}/p/{schedule.access_token}/")
    page.locator(".day-tabs [data-day='2025-05-16']").click()
    panel = page.locator(".day-panel:not(.d-none)")
    expect(panel).to_contain_text("Diskusi Kelompok 1")
    expect(panel).not_to_contain_text("Diskusi Kelompok 2")


def test_schedule_still_shows_after_going_offline(phone, live_server, program, schedule, screenshot_dir):
    page = phone.new_page()
    url = f"{live_server.url}/p/{schedule.access_token}/"
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1", timeout=20_000)  # no eval under the CSP
    phone.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(program.name)
    expect(page.locator(".session").first).to_be_visible()
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#offline-banner .loaded-at")).not_to_be_empty()
    page.screenshot(path=screenshot_dir / "schedule-offline-phone.png")


def test_personal_page_on_a_phone(browser, live_server, program, screenshot_dir):
    enrollment = participant_services.access_link_issue(
        enrollment=EnrollmentFactory(program=program, room="Barak 2 / 14")
    )
    participant_services.groups_form(program=program, group_count=1)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/p/{enrollment.access_token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(program.name)
    expect(page.locator(".personal-facts")).to_contain_text("Barak 2 / 14")
    expect(page.get_by_text(enrollment.participant.display_name)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "personal-page-phone.png", full_page=True)
    context.close()
