"""The error pages: in the site's frame and the chosen language (Indonesian unless the language cookie says
English), with a way home; a personal link that opens nothing says so without telling whether it ever
opened anything; the 500 page renders without a request context or the database; a CSRF failure says what
to do. Production mode (DEBUG off), with this module as the URL configuration for the views that fail."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext

from retreat.urls import handler403, handler404, handler500  # noqa: F401 (the handlers of this URL configuration)
from retreat.urls import urlpatterns as site_patterns


@login_not_required
def _forbidden(request):
    raise PermissionDenied("not for you")


@login_not_required
def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("uji/terlarang/", _forbidden), path("uji/rusak/", _broken), *site_patterns]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _footer(language: str) -> str:
    with translation.override(language):
        return gettext("Leadership retreats for civil servants")


def _in(language: str, response) -> bool:
    page = response.content.decode()
    return f'<html lang="{language}">' in page and _footer(language) in page


def test_the_translated_footer_tells_the_languages_apart():
    assert _footer("id") != _footer("en")


def test_an_unknown_page_is_a_404_in_indonesian_with_a_way_home(client, db):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert _in("id", response)
    assert response["Content-Language"] == "id"
    page = response.content.decode()
    assert 'data-error="404"' in page
    assert f'href="{reverse("retreat:dashboard")}"' in page
    assert "Not Found" not in page


def test_an_unknown_page_is_in_english_when_chosen(client, db):
    response = _english(client).get("/tidak-ada/")
    assert response.status_code == 404
    assert _in("en", response)
    page = response.content.decode()
    assert "Page not found" in page
    assert "Go to the home page" in page


def test_a_logged_in_user_gets_the_404_in_the_frame_with_their_menu(organizer_client, organizer):
    response = organizer_client.get("/program/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-error="404"' in page
    assert reverse("logout") in page  # the user's menu still works


def _normalised(response, token: str) -> str:
    page = response.content.decode().replace(token, "TOKEN")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", page)


def _issue_link(organizer_client, enrollment) -> str:
    """The organizer issues a (new) personal link, as on the participant's page; the old one stops working."""
    kwargs = {"program_pk": enrollment.program_id, "enrollment_pk": enrollment.pk}
    organizer_client.post(reverse("participants:link_issue", kwargs=kwargs))
    enrollment.refresh_from_db()
    return enrollment.access_token


def test_a_replaced_personal_link_says_ask_the_committee_like_one_that_never_was(organizer_client, enrolled):
    old_token = _issue_link(organizer_client, enrolled[0])
    client = Client()  # the participant's phone
    assert client.get(f"/p/{old_token}/").status_code == 200
    assert _issue_link(organizer_client, enrolled[0]) != old_token
    _english(client)
    revoked = client.get(f"/p/{old_token}/")
    never = client.get("/p/tautan-yang-tidak-pernah-ada/")
    for response in (revoked, never):
        assert response.status_code == 404
        page = response.content.decode()
        assert 'data-error="404-personal"' in page
        assert "This link is no longer valid" in page
        assert "Ask the committee (panitia) of your retreat for the new link." in page
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["X-Robots-Tag"] == "noindex"
    assert _normalised(revoked, old_token) == _normalised(never, "tautan-yang-tidak-pernah-ada")


def test_a_dead_personal_links_other_pages_say_the_same_in_indonesian(client, db):
    for address in ("/p/tidak-ada/jadwal.ics", "/p/tidak-ada/rencana-aksi/", "/p/tidak-ada/alamat-lama/"):
        response = client.get(address)
        assert response.status_code == 404, address
        assert 'data-error="404-personal"' in response.content.decode(), address
        assert _in("id", response), address


def test_a_forbidden_page_is_a_403_in_the_frame(client, db):
    response = client.get("/uji/terlarang/")
    assert response.status_code == 403
    assert _in("id", response)
    assert 'data-error="403"' in response.content.decode()
    english = _english(client).get("/uji/terlarang/")
    assert _in("en", english)
    assert "Access denied" in english.content.decode()


def test_a_server_error_renders_the_static_500_page_without_the_database(db, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/uji/rusak/")
    assert response.status_code == 500
    page = response.content.decode()
    assert 'data-error="500"' in page
    assert '<html lang="id">' in page
    assert _footer("id") in page
    assert f'href="{reverse("retreat:dashboard")}"' in page
    english = _english(Client(raise_request_exception=False)).get("/uji/rusak/")
    assert '<html lang="en">' in english.content.decode()
    assert "Something went wrong" in english.content.decode()


def test_a_csrf_failure_says_the_form_expired_in_the_chosen_language(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "panitia", "password": "salah"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-error="403-csrf"' in page
    assert _in("id", response)
    assert "CSRF verification failed" not in page
    english = _english(Client(enforce_csrf_checks=True)).post(reverse("login"), {"username": "x", "password": "y"})
    assert _in("en", english)
    assert "The form has expired" in english.content.decode()
    assert 'name="csrfmiddlewaretoken"' in english.content.decode()  # the language switcher still posts


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}])
def test_error_pages_fit_a_phone_and_a_desktop(browser, live_server, viewport, screenshot_dir):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems = []
    # Chromium logs the page's own status as "Failed to load resource"; its stylesheets and images must load.
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" and not
            message.text.startswith("Failed to load resource") else None)  # fmt: skip
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: problems.append(response.url) if response.request.resource_type !=
            "document" and response.status >= 400 else None)  # fmt: skip
    for name, address in (("404", "/tidak-ada/"), ("404-personal", "/p/tidak-ada/"), ("403", "/uji/terlarang/"),
                          ("500", "/uji/rusak/")):  # fmt: skip
        response = page.goto(live_server.url + address)
        assert response.status in (403, 404, 500), address
        assert page.locator("#error-page").get_attribute("data-error") == name
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], address
        page.screenshot(path=screenshot_dir / f"error-{name}-{viewport['width']}.png")
    assert problems == []
    context.close()
