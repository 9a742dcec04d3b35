"""Browser test: the staff pages work under the Content-Security-Policy. The agenda's session editor (loaded,
saved and closed through htmx and static/retreat/js/app.js) and the participant page with its htmx-polled
document job run without a single policy violation in Chromium."""

import pytest
from playwright.sync_api import expect

from participants.tests.factories import EnrollmentFactory
from retreat.enums import JobStatus
from retreat.models import DocumentJob
from retreat.tests.browser import login
from sessions.models import Session
from sessions.tests.factories import VenueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records every violation the page reports, from the first script on.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, with the policy's violations and the console's errors collected."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(WATCH_VIOLATIONS)
    page.errors = errors
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__violations") + [e for e in page.errors if "Content Security Policy" in e]


def test_a_violation_is_seen(watched, live_server, db):
    """The watch itself works: an inline script added to a page is blocked and reported."""
    watched.goto(f"{live_server.url}/akun/masuk/")
    watched.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.append(script);
    }""")
    for _ in range(50):  # the report is an event, sent a moment later (wait_for_function would need eval)
        if watched.evaluate("window.__violations.length"):
            break
        watched.wait_for_timeout(100)
    assert watched.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in violations(watched))


def test_session_editor_works_under_the_policy(watched, live_server, organizer, program):
    page = watched
    page.set_viewport_size({"width": 1366, "height": 900})
    VenueFactory(program=program, name="Aula Utama")
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/agenda/")
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()

    page.get_by_role("link", name="+ Sesi").first.click()  # htmx loads the editor
    editor = page.locator("#editor")
    expect(editor.get_by_role("heading", name="Sesi baru")).to_be_visible()
    editor.get_by_role("button", name="Tutup").click()  # data-close
    expect(editor).to_be_empty()

    page.get_by_role("link", name="+ Sesi").first.click()
    editor.get_by_label("Judul").fill("Apel pembukaan")
    editor.get_by_label("Hari").select_option(program.start_date.isoformat())
    editor.get_by_label("Mulai").fill("07.30")
    editor.get_by_label("Selesai").fill("08.30")
    editor.get_by_role("button", name="Simpan").click()  # no kind: the form comes back with the error
    expect(editor.get_by_text("Bidang ini tidak boleh kosong.")).to_be_visible()
    editor.get_by_label("Jenis").select_option(label="Apel / upacara")
    editor.get_by_role("button", name="Simpan").click()  # htmx saves into #agenda; the editor empties
    expect(page.locator("#agenda .agenda-session")).to_contain_text("Apel pembukaan")
    expect(editor).to_be_empty()
    assert Session.objects.filter(program=program, title="Apel pembukaan").exists()

    assert violations(page) == []


def test_document_job_progress_and_copy_button_under_the_policy(watched, live_server, organizer, program):
    page = watched
    enrollment = EnrollmentFactory(program=program)
    DocumentJob.objects.create(
        program=program, kind="participant_list", status=JobStatus.RUNNING, progress_done=1, progress_total=4
    )
    login(page, live_server, organizer)
    page.goto(f"{live_server.url}/program/{program.pk}/")
    bar = page.locator(".document-job .progress-bar").first
    expect(bar).to_have_attribute("data-percent", "25")
    assert page.evaluate("(bar) => bar.style.width", bar.element_handle()) == "25%"  # set by app.js

    page.goto(f"{live_server.url}/program/{program.pk}/peserta/{enrollment.pk}/")
    page.get_by_role("button", name="Buat tautan pribadi").click()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Salin").click()  # data-copy
    expect(page.get_by_role("button", name="Tersalin")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == page.locator("#personal-link").input_value()
    assert violations(page) == []
