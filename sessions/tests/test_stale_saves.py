"""Two organizers edit one session: a save from a form read before the other's save is refused, names what
the other changed, and keeps the input; every save through the app moves the session's version on."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from retreat.enums import Role
from retreat.tests.factories import MembershipFactory, UserFactory
from sessions import services
from sessions.models import Session, Venue
from sessions.tests.factories import local_time


@pytest.fixture
def hall(program):
    return Venue.objects.create(program=program, name="Aula Utama")


@pytest.fixture
def session(program, hall):
    return services.session_save(program=program, kind="materi", title="Kuliah Umum", venue=hall,
                                  starts_at=local_time(program, 2, "08:00"),
                                  ends_at=local_time(program, 2, "09:00"))  # fmt: skip


@pytest.fixture
def second_client(institution):
    """Another organizer of the same program, in a browser of their own."""
    other = MembershipFactory(user=UserFactory(username="panitia2"), institution=institution, role=Role.ORGANIZER)
    browser = Client()
    browser.force_login(other.user)
    return browser


def edit_url(session):
    return reverse("sessions:session_update", kwargs={"program_pk": session.program_id, "session_pk": session.pk})


def read_form(browser, session) -> dict:
    return form_values(browser.get(edit_url(session)).content.decode(), session)


def form_values(page: str, session) -> dict:
    """The session's edit form as a page shows it: every field's value, the hidden ones included."""
    form = page[page.index('action="' + edit_url(session)) :]
    form = form[: form.index("</form>")]
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        if kind and kind.group(1) == "checkbox":
            if "checked" in tag:
                data.setdefault(name.group(1), []).append(value.group(1) if value else "on")
            continue
        data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        data[name] = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = html.unescape(body.strip())
    return data


def refused_moved(program, when: str) -> str:
    with translation.override("id"):
        return gettext("Meanwhile someone else moved this session to %(when)s; your changes are kept: check and "
                       "save again.") % {"when": when}  # fmt: skip


def test_a_stale_form_does_not_move_the_session_back(organizer_client, second_client, program, session):
    mine, theirs = read_form(organizer_client, session), read_form(second_client, session)
    assert mine["version"] == theirs["version"] == "1"

    response = second_client.post(edit_url(session), {**theirs, "start": "10:00", "end": "11:00"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == local_time(program, 2, "10:00")
    assert session.version == 2

    response = organizer_client.post(edit_url(session), {**mine, "title": "Kuliah Umum Kepala BKN"})

    session.refresh_from_db()
    assert (session.title, session.starts_at) == ("Kuliah Umum", local_time(program, 2, "10:00"))
    assert session.version == 2
    page = response.content.decode()
    assert refused_moved(program, "Jumat, 16 Mei 2025, 10.00–11.00 WIB, Aula Utama") in html.unescape(page)
    shown = form_values(page, session)
    assert shown["title"] == "Kuliah Umum Kepala BKN"  # the input is kept
    assert shown["start"] == "08.00"  # as the user left it (shown 24-hour Indonesian style): they decide
    assert shown["version"] == "2"  # now checked against the other's save: saving again is accepted

    organizer_client.post(edit_url(session), {**shown, "start": "10:00", "end": "11:00"})
    session.refresh_from_db()
    assert (session.title, session.starts_at, session.version) == (
        "Kuliah Umum Kepala BKN", local_time(program, 2, "10:00"), 3
    )  # fmt: skip


def test_a_stale_form_names_other_changes_on_their_fields(organizer_client, second_client, program, session):
    mine, theirs = read_form(organizer_client, session), read_form(second_client, session)
    second_client.post(edit_url(session), {**theirs, "title": "Kuliah Umum Kepala BKN"})

    response = organizer_client.post(edit_url(session), {**mine, "description": "Dibuka Sekda"},
                                     headers={"HX-Request": "true"})  # fmt: skip

    session.refresh_from_db()
    assert (session.title, session.description) == ("Kuliah Umum Kepala BKN", "")
    assert response.headers["HX-Retarget"] == "#editor"
    page = response.content.decode()
    with translation.override("id"):
        refused = gettext("Meanwhile someone else saved this session; your changes are kept: check and save again.")
        stored = gettext("Saved now: %(value)s") % {"value": "Kuliah Umum Kepala BKN"}
    assert refused in html.unescape(page)
    assert stored in html.unescape(page)
    assert form_values(page, session)["description"] == "Dibuka Sekda"


def test_a_move_button_from_a_stale_agenda_moves_nothing(organizer_client, second_client, program, session):
    agenda = organizer_client.get(reverse("sessions:agenda", kwargs={"program_pk": program.pk})).content.decode()
    move = reverse("sessions:session_move", kwargs={"program_pk": program.pk, "session_pk": session.pk})
    button = agenda[agenda.index(f'action="{move}"') :]
    version = re.search(r'name="version" value="(\d+)"', button[: button.index("</form>")]).group(1)
    second_client.post(edit_url(session), {**read_form(second_client, session), "start": "10:00", "end": "11:00"})

    response = organizer_client.post(move, {"minutes": 15, "days": 0, "version": version},
                                     headers={"HX-Request": "true"})  # fmt: skip

    session.refresh_from_db()
    assert session.starts_at == local_time(program, 2, "10:00")
    with translation.override("id"):
        when = "Jumat, 16 Mei 2025, 10.00–11.00 WIB, Aula Utama"
        refused = gettext("Meanwhile someone else changed this session (it is now %(when)s); it was not moved: "
                          "check and move it again.") % {"when": when}  # fmt: skip
    assert refused in html.unescape(response.content.decode())  # in the agenda it returns


def test_every_save_through_the_app_moves_the_version_on(organizer_client, program, session, hall):
    assert session.version == 1
    assert Session.objects.get(pk=session.pk).version == 1
    other = Venue.objects.create(program=program, name="Lapangan Apel")
    organizer_client.post(edit_url(session), {**read_form(organizer_client, session), "venue": other.pk})
    session.refresh_from_db()
    assert (session.venue, session.version) == (other, 2)
    move = reverse("sessions:session_move", kwargs={"program_pk": program.pk, "session_pk": session.pk})
    organizer_client.post(move, {"minutes": 15, "days": 0, "version": 2})
    session.refresh_from_db()
    assert (session.starts_at, session.version) == (local_time(program, 2, "08:15"), 3)
    services.session_move(session=session, days=1)
    session.refresh_from_db()
    assert session.version == 4
    copy = services.session_duplicate(session=session)
    assert copy.version == 1
