from django.urls import reverse

from retreat.tests.factories import UserFactory


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_and_logout(client, db):
    UserFactory(username="panitia.malang")
    response = _login(client, "panitia.malang", "sandi-uji-123")
    assert response.url == reverse("retreat:dashboard")
    assert client.get(reverse("retreat:dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("retreat:dashboard")).status_code == 302


def test_wrong_password_message_is_indonesian(client, db):
    UserFactory(username="panitia.malang")
    page = _login(client, "panitia.malang", "salah").content.decode()
    assert "dan sandi yang benar" in page


def test_login_attempts_are_rate_limited(client, db, settings):
    UserFactory(username="panitia.malang")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "panitia.malang", "salah")
    response = _login(client, "panitia.malang", "sandi-uji-123")  # right password, but locked out
    assert response.status_code == 429
    assert "Terlalu banyak" in response.content.decode()
    assert client.get(reverse("retreat:dashboard")).status_code == 302


def test_password_reset_sends_a_mail(client, db, mailoutbox):
    UserFactory(username="panitia.malang", email="panitia@malangkota.example")
    response = client.post(reverse("password_reset"), {"email": "panitia@malangkota.example"})
    assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    assert "/akun/sandi/reset/" in mailoutbox[0].body


def test_password_change(client, db):
    user = UserFactory(username="panitia.malang")
    client.force_login(user)
    data = {"old_password": "sandi-uji-123", "new_password1": "Retret-Baru-2026!", "new_password2": "Retret-Baru-2026!"}
    assert client.post(reverse("password_change"), data).url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Retret-Baru-2026!")


def test_healthz_is_public(client, db):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
