"""Login throttling behind the reverse proxy: the client's address comes from X-Forwarded-For as configured
(AXES_PROXY_COUNT proxies in front), a lockout holds one username at one address, one address that fails
over many usernames is stopped too, and the admin login counts the same way.

The proxy here is 10.0.0.2 (REMOTE_ADDR of every request); it appends the address it received from to
X-Forwarded-For, as nginx's ``$proxy_add_x_forwarded_for`` does."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from retreat.clients import client_address
from retreat.tests.factories import UserFactory

PROXY = "10.0.0.2"
PASSWORD = "sandi-uji-123"


@pytest.fixture(autouse=True)
def _one_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    cache.clear()  # the public forms' per-minute counts live in the cache
    yield
    cache.clear()


def _through_proxy(address: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def _login(client, username, password, address, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password}, **_through_proxy(address))


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_client_address_is_the_proxys_last_entry():
    factory = RequestFactory()
    assert client_address(factory.get("/", **_through_proxy("1.2.3.4"))) == "1.2.3.4"
    # A client that sends its own X-Forwarded-For: the proxy appends the real address, which is what counts.
    assert client_address(factory.get("/", **_through_proxy("5.6.7.8, 1.2.3.4"))) == "1.2.3.4"
    # No header (a request that did not come through the proxy): the connection's own address.
    assert client_address(factory.get("/", REMOTE_ADDR="192.0.2.9")) == "192.0.2.9"


def test_client_address_ignores_the_header_without_a_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="5.6.7.8")
    assert client_address(request) == "192.0.2.9"


def test_client_address_counts_two_proxies(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 2  # e.g. a load balancer, then nginx
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="9.9.9.9, 1.2.3.4, 172.16.0.5")
    assert client_address(request) == "1.2.3.4"


def test_lockout_at_one_address_spares_the_user_at_another(client, db, settings):
    UserFactory(username="panitia.malang")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "panitia.malang", "salah", "1.2.3.4")
    refused = _login(client, "panitia.malang", PASSWORD, "1.2.3.4")
    assert refused.status_code == 429
    assert not _logged_in(client)

    response = _login(client, "panitia.malang", PASSWORD, "5.6.7.8")
    assert response.status_code == 302
    assert response.url == reverse("retreat:dashboard")
    assert _logged_in(client)


def test_a_forged_header_does_not_escape_the_lockout(client, db, settings):
    UserFactory(username="panitia.malang")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "panitia.malang", "salah", f"203.0.113.{n}, 1.2.3.4")  # a new forged address each time
    assert _login(client, "panitia.malang", PASSWORD, "198.51.100.7, 1.2.3.4").status_code == 429
    assert not _logged_in(client)


def test_failures_over_many_usernames_lock_out_the_address(client, db, settings):
    usernames = [f"pegawai{n}" for n in range(7)]
    for username in usernames:
        UserFactory(username=username)
    UserFactory(username="panitia.malang")
    for username in usernames:  # password spraying: below the per-username limit for each one
        for _ in range(4):
            _login(client, username, "Rahasia2025!", "1.2.3.4")
    assert settings.AXES_FAILURE_LIMIT > 4

    refused = _login(client, "panitia.malang", PASSWORD, "1.2.3.4")
    assert refused.status_code == 429
    assert "Terlalu banyak" in refused.content.decode()
    assert not _logged_in(client)

    assert _login(client, "panitia.malang", PASSWORD, "5.6.7.8").status_code == 302  # another address: not stopped
    assert _logged_in(client)


def test_a_few_mistakes_at_a_shared_address_lock_no_one_out(client, db):
    for n in range(5):  # an office behind one address: each person mistypes once or twice
        UserFactory(username=f"pegawai{n}")
        _login(client, f"pegawai{n}", "salah", "1.2.3.4")
        _login(client, f"pegawai{n}", "salah lagi", "1.2.3.4")
    response = _login(client, "pegawai0", PASSWORD, "1.2.3.4")
    assert response.status_code == 302
    assert _logged_in(client)


def test_admin_login_is_throttled_too(client, db, settings):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "admin", "salah", "1.2.3.4", url=url)
    refused = _login(client, "admin", PASSWORD, "1.2.3.4", url=url)
    assert refused.status_code == 429
    assert not _logged_in(client)
    assert client.get(reverse("admin:index"), **_through_proxy("1.2.3.4")).status_code == 302

    assert _login(client, "admin", PASSWORD, "5.6.7.8", url=url).status_code == 302
    assert _logged_in(client)


def test_certificate_lookup_counts_the_client_address(client, db):
    url = reverse("portal:verify_lookup")
    data = {"number": "800.2.4/9999/BKPSDM/2025", "name": "Coba"}
    answers = [client.post(url, data, **_through_proxy("1.2.3.4")).status_code for _ in range(11)]
    assert answers[-1] == 429
    # Someone else behind the same proxy is not held up by that address's searches.
    other = client.post(url, data, **_through_proxy("5.6.7.8"))
    assert other.status_code == 200
    assert "Tidak ada sertifikat dengan nomor dan nama ini." in other.content.decode()
