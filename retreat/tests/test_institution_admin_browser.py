"""Browser test: an institution admin creates a facilitator (pendamping) from the navbar's institution entry,
hands over the temporary password shown once, and the facilitator logs in with it and first chooses their own;
at desktop and phone size."""

import pytest
from playwright.sync_api import expect

from retreat.enums import Role
from retreat.models import Membership
from retreat.tests.browser import login
from retreat.tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def new_page(browser, size, errors):
    options = {"is_mobile": True, "has_touch": True} if size == "phone" else {}
    context = browser.new_context(viewport=SIZES[size], **options)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page


@pytest.mark.parametrize("size", SIZES)
def test_admin_creates_a_facilitator_who_logs_in(browser, live_server, institution, organizer, screenshot_dir, size):
    admin = MembershipFactory(user=UserFactory(username="admin.malang"), institution=institution, role=Role.ADMIN)
    errors = []
    context, page = new_page(browser, size, errors)
    login(page, live_server, admin.user)

    if size == "phone":
        page.locator(".navbar-toggler").click()
    page.locator("[data-link='institution']").click()
    expect(page).to_have_url(f"{live_server.url}/instansi/")
    expect(page.locator(".user-card")).to_have_count(2)  # the admin and the organizer, as cards
    no_sideways_scroll(page, SIZES[size]["width"])
    page.screenshot(path=screenshot_dir / f"institution-users-{size}.png", full_page=True)

    page.locator("[data-link='user-create']").click()
    page.locator("#id_username").fill("siti.pendamping")
    page.locator("#id_full_name").fill("Siti Rahmawati, S.Sos.")
    page.locator("#id_role").select_option(Role.FACILITATOR)
    no_sideways_scroll(page, SIZES[size]["width"])
    page.locator("#user-create button[type='submit']").click()

    password = page.locator("#temporary-password").inner_text().strip()
    assert len(password) >= 12
    expect(page.locator("#new-username")).to_have_text("siti.pendamping")
    no_sideways_scroll(page, SIZES[size]["width"])
    page.screenshot(path=screenshot_dir / f"institution-user-created-{size}.png", full_page=True)
    membership = Membership.objects.select_related("user").get(user__username="siti.pendamping")
    assert membership.institution == institution
    assert membership.role == Role.FACILITATOR

    page.locator("[data-link='done']").click()
    card = page.locator(".user-card[data-user='siti.pendamping']")
    expect(card).to_be_visible()
    expect(card.locator(".user-role")).to_have_text(membership.get_role_display())
    context.close()

    # The facilitator, on their own device, logs in with the temporary password.
    context, page = new_page(browser, size, errors)
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("siti.pendamping")
    page.get_by_label("Sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    # first their own password: the temporary one leads nowhere else
    expect(page).to_have_url(f"{live_server.url}/akun/sandi/")
    expect(page.locator(".temporary-password-note")).to_be_visible()
    no_sideways_scroll(page, SIZES[size]["width"])
    page.screenshot(path=screenshot_dir / f"institution-facilitator-own-password-{size}.png", full_page=True)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/akun/sandi/")
    page.locator("#id_old_password").fill(password)
    page.locator("#id_new_password1").fill("Pendamping-Retret-2026")
    page.locator("#id_new_password2").fill("Pendamping-Retret-2026")
    page.locator("#id_new_password2").press("Enter")
    page.get_by_role("link", name="Lanjutkan").click()
    expect(page.get_by_role("heading", name="Program saya")).to_be_visible()
    expect(page.locator("[data-link='institution']")).to_have_count(0)  # not an admin: no institution menu
    page.screenshot(path=screenshot_dir / f"institution-facilitator-logged-in-{size}.png", full_page=True)
    assert errors == []
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_superuser_lands_on_the_institution_setup(browser, live_server, institution, screenshot_dir, size):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    errors = []
    context, page = new_page(browser, size, errors)
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(superuser.username)
    page.get_by_label("Sandi").fill("sandi-uji-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/instansi/baru/")
    expect(page.locator(".institutions li")).to_have_count(1)
    page.locator("#id_name").fill("Pemerintah Kabupaten Sleman")
    page.locator("#id_short_name").fill("Pemkab Sleman")
    page.locator("#id_kind").select_option("pemkab")
    page.locator("#id_letterhead_lines").fill("PEMERINTAH KABUPATEN SLEMAN\nBADAN KEPEGAWAIAN DAERAH")
    page.locator("#id_admin_username").fill("admin.sleman")
    page.locator("#id_admin_full_name").fill("Budi Santoso")
    no_sideways_scroll(page, SIZES[size]["width"])
    page.screenshot(path=screenshot_dir / f"institution-setup-{size}.png", full_page=True)
    page.locator("#institution-create button[type='submit']").click()
    expect(page.locator("#new-username")).to_have_text("admin.sleman")
    assert (
        Membership.objects.get(user__username="admin.sleman", role=Role.ADMIN).institution.short_name == "Pemkab Sleman"
    )
    assert errors == []
    context.close()


def test_admin_edits_the_profile_on_a_phone(browser, live_server, institution, screenshot_dir):
    admin = MembershipFactory(user=UserFactory(username="admin.malang"), institution=institution, role=Role.ADMIN)
    errors = []
    context, page = new_page(browser, "phone", errors)
    login(page, live_server, admin.user)
    page.goto(f"{live_server.url}/instansi/profil/")
    page.locator("#id_address").fill("Jl. Tugu No. 1, Malang")
    page.locator("#id_letterhead_lines").fill("PEMERINTAH KOTA MALANG\nSEKRETARIAT DAERAH")
    no_sideways_scroll(page, SIZES["phone"]["width"])
    page.screenshot(path=screenshot_dir / "institution-profile-phone.png", full_page=True)
    page.locator("#institution-profile button[type='submit']").click()
    expect(page).to_have_url(f"{live_server.url}/instansi/")
    expect(page.locator(".letterhead-preview")).to_contain_text("SEKRETARIAT DAERAH")
    assert errors == []
    context.close()
