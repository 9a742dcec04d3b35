"""Browser tests: the session editor on its own page (a new tab) at desktop size, beside the timeline at
desktop size, and on a phone (where "Edit" and "+ Session" open the editor's own page). Speakers,
facilitators and groups are picked in searchable multi-selects; times are typed 24-hour Indonesian style."""

import re

import pytest
from playwright.sync_api import expect

from participants.models import DiscussionGroup
from retreat.tests.browser import login
from sessions import services
from sessions.models import Speaker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def agenda(program, facilitator):
    """A three-day agenda from the template, two speakers, three discussion groups."""
    services.agenda_apply_template(program=program)
    for name in ("Zudan Arif Fakrulloh", "Sri Mulyani Indrawati"):
        Speaker.objects.create(institution=program.organizer, name=name)
    for number in (1, 2, 3):
        DiscussionGroup.objects.create(program=program, number=number, name=f"Kelompok {number}")
    facilitator.full_name = "Dewi Pendamping"
    facilitator.save()
    return program


def late_session(program):
    """A session on the last day, far down the agenda."""
    return program.sessions.order_by("-starts_at").first()


def local(moment, program) -> str:
    return moment.astimezone(program.tzinfo).strftime("%Y-%m-%d %H:%M")


def watch(page) -> list[str]:
    """Console errors (Content-Security-Policy violations among them) and uncaught exceptions."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def pick(page, field: str, search: str, option: str):
    """Type into a Tom Select multi-select and choose the matching option."""
    control = page.locator(f"#id_{field}-ts-control")
    control.click()
    control.fill(search)
    page.locator(f"#id_{field}-ts-dropdown .option", has_text=option).click()
    control.press("Escape")


def no_horizontal_scroll(page, width: int):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def in_viewport(locator):
    expect(locator).to_be_in_viewport()


def test_editor_on_its_own_page_at_desktop_size(page, live_server, organizer, agenda, screenshot_dir):
    program, session = agenda, late_session(agenda)
    errors = watch(page)
    page.set_viewport_size(DESKTOP)
    login(page, live_server, organizer)
    edit = f"{live_server.url}/program/{program.pk}/agenda/sesi/{session.pk}/"
    page.goto(edit)  # as if opened in a new tab from "Ubah"
    expect(page.get_by_role("heading", name="Ubah sesi")).to_be_visible()
    expect(page.locator("#id_start")).to_have_value(local(session.starts_at, program)[-5:].replace(":", "."))
    expect(page.locator("label[for=id_start]")).to_contain_text("(WIB)")
    # Searchable multi-selects instead of Ctrl-click lists.
    for field in ("speakers", "facilitators", "groups"):
        expect(page.locator(f"#id_{field}")).to_have_class(re.compile(r"\btomselected\b"))
    pick(page, "speakers", "zud", "Zudan Arif Fakrulloh")
    pick(page, "speakers", "mul", "Sri Mulyani Indrawati")
    pick(page, "facilitators", "dew", "Dewi")
    pick(page, "groups", "2", "Kelompok 2")
    page.locator("#id_start").fill("19:00")
    page.locator("#id_end").fill("2030")
    page.locator("#id_end").blur()
    expect(page.locator("#id_start")).to_have_value("19.00")
    expect(page.locator("#id_end")).to_have_value("20.30")
    no_horizontal_scroll(page, DESKTOP["width"])
    page.screenshot(path=screenshot_dir / "session-editor-page-desktop.png", full_page=True)

    page.get_by_role("button", name="Simpan").click()
    expect(page).to_have_url(f"{live_server.url}/program/{program.pk}/agenda/#session-{session.pk}")
    expect(page.locator(".alert-success")).to_be_visible()
    session.refresh_from_db()
    assert local(session.starts_at, program)[-5:] == "19:00"
    assert local(session.ends_at, program)[-5:] == "20:30"
    assert sorted(s.name for s in session.speakers.all()) == ["Sri Mulyani Indrawati", "Zudan Arif Fakrulloh"]
    assert [u.full_name for u in session.facilitators.all()] == ["Dewi Pendamping"]
    assert [g.name for g in session.groups.all()] == ["Kelompok 2"]
    in_viewport(page.locator(f"#session-{session.pk}"))

    # Closing the page of its own goes back to the agenda, at the session.
    page.goto(edit)
    page.get_by_role("link", name="Tutup").click()
    expect(page).to_have_url(f"{live_server.url}/program/{program.pk}/agenda/#session-{session.pk}")
    assert errors == []


def test_editor_beside_the_timeline_at_desktop_size(page, live_server, organizer, agenda, screenshot_dir):
    program, session = agenda, late_session(agenda)
    errors = watch(page)
    page.set_viewport_size(DESKTOP)
    login(page, live_server, organizer)
    agenda_url = f"{live_server.url}/program/{program.pk}/agenda/"
    page.goto(agenda_url)
    row = page.locator(f"#session-{session.pk}")
    row.scroll_into_view_if_needed()
    row.locator("[data-bs-toggle=dropdown]").click()
    row.get_by_role("link", name="Ubah").click()
    editor = page.locator("#editor .session-editor")
    expect(editor).to_be_visible()
    expect(page).to_have_url(agenda_url)  # loaded in place with htmx
    in_viewport(editor)
    in_viewport(row)  # beside the session being edited
    pick(page, "groups", "3", "Kelompok 3")
    page.locator("#id_start").fill("7.30")
    page.locator("#id_start").blur()
    expect(page.locator("#id_start")).to_have_value("07.30")
    page.screenshot(path=screenshot_dir / "session-editor-panel-desktop.png")
    editor.get_by_role("button", name="Simpan").click()
    expect(page.locator("#editor .session-editor")).to_have_count(0)
    expect(page.locator(f"#session-{session.pk}")).to_contain_text("Kelompok 3")
    session.refresh_from_db()
    assert local(session.starts_at, program)[-5:] == "07:30"
    assert errors == []


def test_editor_on_a_phone_opens_where_the_user_is(browser, live_server, organizer, agenda, screenshot_dir):
    program, session = agenda, late_session(agenda)
    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, reduced_motion="reduce"
    )  # no smooth scrolling half-way in a screenshot
    page = phone.new_page()
    errors = watch(page)
    login(page, live_server, organizer)
    agenda_url = f"{live_server.url}/program/{program.pk}/agenda/"
    page.goto(agenda_url)
    row = page.locator(f"#session-{session.pk}")
    row.scroll_into_view_if_needed()
    row.locator("[data-bs-toggle=dropdown]").click()
    row.get_by_role("link", name="Ubah").click()
    expect(page).to_have_url(f"{agenda_url}sesi/{session.pk}/")  # its own page, at the top
    heading = page.get_by_role("heading", name="Ubah sesi")
    expect(heading).to_be_visible()
    in_viewport(heading)
    pick(page, "speakers", "sri", "Sri Mulyani Indrawati")
    page.locator("#id_start").fill("19,00")
    page.locator("#id_end").fill("21")
    page.locator("#id_end").blur()
    expect(page.locator("#id_start")).to_have_value("19.00")
    expect(page.locator("#id_end")).to_have_value("21.00")
    no_horizontal_scroll(page, PHONE["width"])
    page.screenshot(path=screenshot_dir / "session-editor-phone.png")
    page.get_by_role("button", name="Simpan").click()
    expect(page).to_have_url(f"{agenda_url}#session-{session.pk}")
    in_viewport(page.locator(f"#session-{session.pk}"))
    expect(page.locator(f"#session-{session.pk}")).to_contain_text("19.00–21.00")
    expect(page.locator(f"#session-{session.pk}")).to_contain_text("Sri Mulyani Indrawati")
    no_horizontal_scroll(page, PHONE["width"])
    page.screenshot(path=screenshot_dir / "session-editor-phone-saved.png")

    # "+ Sesi" of a day: the new session's page, that day chosen.
    last_day = program.days[-1]
    page.locator(f".agenda-day[data-day='{last_day:%Y-%m-%d}'] .card-header a").click()
    expect(page.get_by_role("heading", name="Sesi baru")).to_be_visible()
    expect(page.locator("#id_day")).to_have_value(last_day.isoformat())
    page.locator("#id_kind").select_option("materi")
    page.locator("#id_title").fill("Refleksi Malam")
    page.locator("#id_start").fill("20.00")
    page.locator("#id_end").fill("21.00")
    page.get_by_role("button", name="Simpan").click()
    expect(page).to_have_url(re.compile(re.escape(agenda_url) + r"#session-\d+$"))
    added = program.sessions.get(title="Refleksi Malam")
    expect(page).to_have_url(f"{agenda_url}#session-{added.pk}")
    in_viewport(page.locator(f"#session-{added.pk}"))
    assert local(added.starts_at, program) == f"{last_day:%Y-%m-%d} 20:00"
    assert errors == []
    phone.close()
