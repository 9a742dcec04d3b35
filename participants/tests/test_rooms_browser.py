"""Browser test: the rooms page (Kamar) at desktop and phone size: assigning rooms, a refused and an accepted
move (htmx), and the rooming list PDF."""

import pytest
from playwright.sync_api import expect

from participants.enums import Sex
from participants.models import Enrollment
from participants.tests.factories import EnrollmentFactory, ParticipantFactory, RoomFactory, valid_nip
from retreat.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _people(program):
    people = []
    for n in range(10):
        sex = Sex.FEMALE if n % 3 == 0 else Sex.MALE
        participant = ParticipantFactory(institution=program.organizer, sex=sex, nip=valid_nip(700 + n, sex),
                                         name=f"Peserta Kamar {n}", unit_name=f"Dinas Uji {n % 4}")  # fmt: skip
        people.append(EnrollmentFactory(program=program, participant=participant, order=n))
    for number in ("01", "02", "03"):
        RoomFactory(program=program, building="Barak Yudha", number=number, capacity=3, sex=Sex.MALE)
    RoomFactory(program=program, building="Barak Srikandi", number="01", capacity=4, sex=Sex.FEMALE)
    return people


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_rooms_assign_move_and_rooming_list(browser, live_server, organizer, program, screenshot_dir, viewport, name):
    people = _people(program)
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/kamar/")
    expect(page.locator(".rooms-waiting")).to_be_visible()  # nobody has a room yet

    page.locator("#rooms-assign button").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    expect(page.locator(".rooms-waiting")).to_have_count(0)
    assert Enrollment.objects.filter(program=program, room__isnull=True).count() == 0
    for enrollment in Enrollment.objects.filter(program=program).select_related("participant", "room"):
        assert enrollment.room.sex == enrollment.participant.sex
    page.screenshot(path=screenshot_dir / f"rooms-assigned-{name}.png", full_page=True)

    # A woman moved into a men's room: refused on the board, nothing changes.
    woman = people[0]
    men_room = program.rooms.get(building="Barak Yudha", number="03")
    women_room = program.rooms.get(building="Barak Srikandi")
    row = page.locator(f'li[data-enrollment="{woman.pk}"]')
    row.locator("select.room-select").select_option(str(men_room.pk))
    expect(page.locator(".rooms-notice.alert-danger")).to_be_visible()
    assert Enrollment.objects.get(pk=woman.pk).room == women_room

    # A man moved to another men's room with a free bed: done, and locked.
    man = Enrollment.objects.filter(program=program, participant__sex=Sex.MALE).exclude(room=men_room).first()
    if men_room.enrollments.count() >= men_room.capacity:
        men_room = program.rooms.exclude(pk=man.room_id).filter(sex=Sex.MALE).first()
    page.locator(f'li[data-enrollment="{man.pk}"] select.room-select').select_option(str(men_room.pk))
    expect(page.locator(".rooms-notice.alert-success")).to_be_visible()
    expect(page.locator(f'.room-card[data-room="{men_room.pk}"] li[data-enrollment="{man.pk}"]')).to_be_visible()
    man.refresh_from_db()
    assert (man.room, man.room_locked) == (men_room, True)
    page.screenshot(path=screenshot_dir / f"rooms-moved-{name}.png", full_page=True)

    # The rooming list, made in the request (no worker) and offered for download.
    page.locator("form[action$='/rooming_list/'] button").click()
    expect(page.locator("#jobs .document-job[data-status='done']").first).to_be_visible(timeout=30000)
    page.screenshot(path=screenshot_dir / f"rooms-rooming-list-{name}.png", full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert errors == []
    context.close()
