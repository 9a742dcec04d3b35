"""The participant's "now / next" summary at the top of their page, worked out in the browser from the phone's
clock (the page is laid out once and kept), and a session's details opened from it."""

import datetime as dt

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from participants import services as participant_services
from participants.tests.factories import EnrollmentFactory
from sessions import services
from sessions.models import Session, Speaker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
DAY_1_18_50 = dt.datetime(2025, 5, 15, 11, 50, tzinfo=dt.UTC)  # 18.50 WIB on the program's first day


@pytest.fixture
def link(program, facilitator):
    """The three-day agenda from the template, the opening ceremony (day 1, 19.00) with a description, a
    moderator and a facilitator, published; and one participant's personal link."""
    cache.clear()
    services.agenda_apply_template(program=program)
    opening = Session.objects.get(program=program, title="Upacara Pembukaan")
    opening.description = "Pembukaan resmi oleh Wali Kota.\nPeserta hadir 15 menit sebelumnya."
    opening.moderator = Speaker.objects.create(institution=program.organizer, name="Siti Rahma")
    opening.save()
    facilitator.full_name = "Agus Prasetyo"
    facilitator.save()
    opening.facilitators.set([facilitator])
    services.agenda_publish(program=program)
    return participant_services.access_link_issue(enrollment=EnrollmentFactory(program=program))


def open_page(browser, live_server, link, viewport, when):
    phone = viewport["width"] < 600
    context = browser.new_context(viewport=viewport, device_scale_factor=2, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.set_fixed_time(when)
    page.goto(f"{live_server.url}/p/{link.access_token}/")
    return context, page, errors


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_now_and_next_at_the_top_on_the_first_evening(browser, live_server, link, screenshot_dir, viewport):
    context, page, errors = open_page(browser, live_server, link, viewport, DAY_1_18_50)
    summary = page.locator("#now-next")
    expect(summary).to_be_visible()
    box = summary.bounding_box()
    assert box["y"] + box["height"] <= viewport["height"]  # on the first screen, no scrolling
    running, upcoming = summary.locator(".now-next-item.running"), summary.locator(".now-next-item.next")
    expect(running).to_have_count(1)
    expect(running).to_contain_text("ISHOMA (Salat Magrib dan Makan Malam)")
    expect(running).to_contain_text("17.30–19.00 WIB")
    expect(running).to_contain_text("Ruang Makan")
    expect(upcoming).to_have_count(1)
    expect(upcoming).to_contain_text("Upacara Pembukaan")
    expect(upcoming).to_contain_text("19.00–21.00 WIB")
    expect(upcoming).to_contain_text("Aula Utama")
    expect(upcoming.locator(".dress")).to_be_visible()  # the dress code (PDH)
    expect(summary.locator(".now-next-nothing")).to_have_count(0)
    expect(page.locator(".day-tabs .active")).to_have_attribute("data-day", "2025-05-15")  # opens on today
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    name = "phone" if viewport is PHONE else "desktop"
    page.screenshot(path=screenshot_dir / f"now-next-{name}.png")

    upcoming.click()  # the session's card, its details open
    card = page.locator(".session.next")
    details = card.locator("details.session-details")
    expect(details).to_have_attribute("open", "")
    expect(details).to_contain_text("Pembukaan resmi oleh Wali Kota.")
    expect(details.locator(".moderator")).to_have_text("Siti Rahma")
    expect(details.locator(".facilitators")).to_have_text("Agus Prasetyo")
    expect(card).to_be_in_viewport()
    page.screenshot(path=screenshot_dir / f"now-next-details-{name}.png")
    assert errors == []
    context.close()


def test_between_days_and_after_the_program(browser, live_server, link):
    # Day 1 at 22.00 WIB: nothing runs; next is day 2's first session, with its date.
    context, page, errors = open_page(browser, live_server, link, PHONE, dt.datetime(2025, 5, 15, 15, tzinfo=dt.UTC))
    summary = page.locator("#now-next")
    expect(summary.locator(".now-next-nothing")).to_be_visible()
    expect(summary.locator(".now-next-item.running")).to_have_count(0)
    upcoming = summary.locator(".now-next-item.next")
    expect(upcoming).to_have_count(1)
    expect(upcoming.locator(".now-next-time")).to_contain_text("16")  # Friday 16 May
    upcoming.click()  # opens day 2's tab
    expect(page.locator(".day-tabs .active")).to_have_attribute("data-day", "2025-05-16")
    expect(page.locator(".session.next")).to_be_in_viewport()
    context.close()

    context, page, more = open_page(browser, live_server, link, PHONE, dt.datetime(2025, 5, 20, 3, tzinfo=dt.UTC))
    expect(page.locator(".session").first).to_be_attached()
    expect(page.locator("#now-next")).to_be_hidden()  # after the last session: nothing to sum up
    assert errors + more == []
    context.close()


def test_program_calendar_address_copies_and_explains_subscribing(browser, live_server, organizer, program, link,
                                                                  screenshot_dir):  # fmt: skip
    """The organizers' side: the program's calendar address on the agenda page, copied with one tap."""
    from django.urls import reverse

    services.calendar_token_ensure(program=program)
    program.refresh_from_db()
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(organizer.username)
    page.get_by_label("Sandi").fill("sandi-uji-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Program saya")).to_be_visible()
    page.goto(live_server.url + reverse("sessions:agenda", kwargs={"program_pk": program.pk}))
    address = page.locator("#calendar-url")
    assert address.input_value().endswith(f"/kalender/{program.calendar_token}.ics")
    copy = page.locator("[data-copy='calendar-url']")
    copy.click()
    expect(copy).to_have_text(copy.get_attribute("data-copied"))
    assert page.evaluate("navigator.clipboard.readText()") == address.input_value()
    help_ = page.locator("details.calendar-help")
    help_.locator("summary").click()
    expect(help_).to_contain_text("Google Calendar")
    expect(help_).to_contain_text("iPhone")
    webcal = help_.locator("a[href^='webcal://']")
    expect(webcal).to_have_attribute("href", "webcal://" + address.input_value().split("://", 1)[1])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    help_.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "calendar-address-phone.png")
    context.close()


def test_now_and_next_offline(browser, live_server, link):
    """The page as last loaded, opened without signal later that evening: "now" follows the phone's clock."""
    context, page, errors = open_page(browser, live_server, link, PHONE, DAY_1_18_50)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1", timeout=20_000)
    context.set_offline(True)
    page.clock.set_fixed_time(DAY_1_18_50 + dt.timedelta(minutes=20))  # 19.10: the opening ceremony runs
    page.reload()
    expect(page.locator("#offline-banner")).to_be_visible()
    running = page.locator("#now-next .now-next-item.running")
    expect(running).to_have_count(1)
    expect(running).to_contain_text("Upacara Pembukaan")
    assert errors == []
    context.close()
