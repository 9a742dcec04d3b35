"""What the browser tests share."""

from playwright.sync_api import expect


def login(page, live_server, user):
    """Logs ``user`` (made by the factories, password ``sandi-uji-123``) in through the login page."""
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Sandi").fill("sandi-uji-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Program saya")).to_be_visible()
