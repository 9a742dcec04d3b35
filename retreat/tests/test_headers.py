"""Production headers: a Content-Security-Policy that allows no inline script or style, a Permissions-Policy
that gives the camera to the site's own pages only, and a 12-character minimum for new passwords.
Every page's markup is checked against the policy in ``demo/tests/test_csp_pages.py``."""

from django.urls import reverse


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_pages_carry_a_content_security_policy_without_inline_code(client, db):
    response = client.get(reverse("login"))
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:", "blob:"]  # Bootstrap's icons, a QR photo
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_htmx_is_told_not_to_inject_its_styles(client, db):
    page = client.get(reverse("login")).content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>""" in page


def test_permissions_policy_gives_the_camera_to_the_site_only(client, db):
    policy = client.get(reverse("login")).headers["Permissions-Policy"]
    features = dict(part.strip().split("=", 1) for part in policy.split(","))
    assert features["camera"] == "(self)"
    assert features["microphone"] == "()"
    assert features["geolocation"] == "()"


def test_new_passwords_need_twelve_characters(client, organizer):
    client.force_login(organizer)
    url = reverse("password_change")
    short = client.post(
        url, {"old_password": "sandi-uji-123", "new_password1": "Retret-2026", "new_password2": "Retret-2026"}
    )
    assert short.status_code == 200
    assert "Harus mengandung setidaknya 12 karakter." in short.content.decode()
    organizer.refresh_from_db()
    assert organizer.check_password("sandi-uji-123")

    long_enough = {"old_password": "sandi-uji-123", "new_password1": "Retret-2026!", "new_password2": "Retret-2026!"}
    assert client.post(url, long_enough).url == reverse("password_change_done")
    organizer.refresh_from_db()
    assert organizer.check_password("Retret-2026!")
