"""The roll call on a facilitator's phone (390×844): taps, a late arrival and an excused absence with its
note, then the offline queue: three taps without signal, the tab reloaded, and all three saved once when
the connection returns."""

import pytest
from playwright.sync_api import expect

from attendance.models import AttendanceRecord
from attendance.tests.conftest import at
from participants.tests.factories import EnrollmentFactory
from sessions.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def roll_call(program, facilitator, browser, live_server):
    enrollments = EnrollmentFactory.create_batch(5, program=program)
    session = Session.objects.create(program=program, kind="materi", title="Wawasan Kebangsaan",
                                     starts_at=at(program, 2, "08:00"), ends_at=at(program, 2, "10:00"))  # fmt: skip
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(facilitator.username)
    page.get_by_label("Sandi").fill("sandi-uji-123")
    page.get_by_role("button", name="Masuk").click()
    url = f"{live_server.url}/program/{program.pk}/presensi/sesi/{session.pk}/"
    page.goto(url)
    yield page, context, url, session, enrollments
    context.close()


def _row(page, enrollment):
    return page.locator(f'.person[data-enrollment="{enrollment.pk}"]')


def test_roll_call_late_and_excused_with_a_note(roll_call, screenshot_dir):
    page, _context, _url, session, enrollments = roll_call
    _row(page, enrollments[0]).get_by_role("button", name="Terlambat").click()
    page.once("dialog", lambda dialog: dialog.accept("Menghadiri rapat paripurna DPRD"))
    _row(page, enrollments[1]).get_by_role("button", name="Izin").click()
    _row(page, enrollments[2]).get_by_role("button", name="Hadir", exact=False).first.click()
    expect(page.locator('[data-count="not_yet"]')).to_have_text("2")
    expect(page.locator('[data-count="terlambat"]')).to_have_text("1")
    expect(page.locator('[data-count="excused"]')).to_have_text("1")
    expect(_row(page, enrollments[1]).locator(".note")).to_have_text("Menghadiri rapat paripurna DPRD")
    page.locator(".roll-call-search").fill(enrollments[3].participant.name[:6].lower())
    expect(_row(page, enrollments[3])).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".roll-call-search").fill("")
    page.screenshot(path=screenshot_dir / "roll-call-phone.png", full_page=False)
    records = {r.enrollment_id: (r.status, r.note) for r in AttendanceRecord.objects.filter(session=session)}
    assert records[enrollments[0].pk] == ("terlambat", "")
    assert records[enrollments[1].pk] == ("izin", "Menghadiri rapat paripurna DPRD")
    assert records[enrollments[2].pk][0] == "hadir"


def test_offline_taps_wait_on_the_phone_and_are_saved_once(roll_call, screenshot_dir):
    page, context, url, session, enrollments = roll_call
    context.set_offline(True)
    for enrollment in enrollments[:3]:
        _row(page, enrollment).get_by_role("button", name="Hadir", exact=False).first.click()
    expect(page.locator(".queue-state")).to_contain_text("3 menunggu dikirim")
    page.screenshot(path=screenshot_dir / "roll-call-offline-phone.png", full_page=False)
    assert not AttendanceRecord.objects.exists()
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.reload()
    context.set_offline(False)
    page.goto(url, wait_until="load")
    expect(page.locator('[data-count="hadir"]')).to_have_text("3", timeout=15_000)
    expect(page.locator(".queue-state")).to_be_hidden()
    page.reload()
    expect(page.locator('[data-count="hadir"]')).to_have_text("3")
    assert AttendanceRecord.objects.filter(session=session).count() == 3
    assert AttendanceRecord.history.filter(session_id=session.pk).count() == 3  # each applied once


def test_qr_from_a_photo_checks_the_person_in(roll_call, tmp_path, screenshot_dir):
    import segno

    from participants import services as participant_services
    from participants.documents import personal_url

    page, _context, url, session, enrollments = roll_call
    enrollment = participant_services.access_link_issue(enrollment=enrollments[4])
    image = tmp_path / "kartu.png"
    segno.make(personal_url(enrollment), error="m").save(image, scale=8, border=4)
    page.goto(url + "pindai/")
    page.locator(".scan-photo").set_input_files(image)
    expect(page.locator(".scan-card")).to_contain_text(enrollment.participant.display_name)
    expect(page.locator('[data-count="not_yet"]')).to_have_text("4")
    page.screenshot(path=screenshot_dir / "scan-phone.png", full_page=False)
    record = AttendanceRecord.objects.get(session=session)
    assert (record.enrollment_id, record.method) == (enrollment.pk, "qr")
    page.locator(".scan-photo").set_input_files(image)  # the same card again: harmless, and it says so
    expect(page.locator(".scan-card")).to_contain_text("sudah tercatat")
    assert AttendanceRecord.objects.filter(session=session).count() == 1
