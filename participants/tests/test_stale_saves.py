"""Two organizers editing one participant: a save made from a form read before someone else's save is refused,
names what that person changed, and overwrites nothing; a form read afresh then saves."""

import re
import threading
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from participants import services
from participants.enums import RetreatRole
from participants.forms import EnrollmentForm, ParticipantForm
from participants.models import DiscussionGroup, Enrollment, Participant
from participants.tests.factories import EnrollmentFactory, ParticipantFactory, RoomFactory
from retreat.tests.factories import CohortFactory, ProgramFactory


class FormValues(HTMLParser):
    """What a browser would send from each form of a page: every named field with its value."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("checkbox", "radio", "submit", "file"):
            self._form[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self._form.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self._form[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self._form[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea] += data.removeprefix("\n") if not self._form[self._textarea] else data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def edit_form_values(page: str) -> dict:
    """The values the edit form of ``page`` sends, as a browser would."""
    parser = FormValues()
    parser.feed(page)
    (values,) = [form for form in parser.forms if "participant_version" in form]
    assert "enrollment_version" in values
    values.pop("csrfmiddlewaretoken", None)
    return values


def edit_form(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    return edit_form_values(page.content.decode())


CHANGED = "%(field)s changed from “%(read)s” to “%(stored)s”"


def warnings(page: str) -> str:
    """The text of the page's warnings (the messages above the form)."""
    return " ".join(re.findall(r'class="alert alert-warning[^"]*"[^>]*>(.*?)<button', page, re.S))


def in_ui_language(text: str, **values) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text) % values


def label(form_class, name: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(form_class.base_fields[name].label)


def edit_url(enrollment) -> str:
    return reverse(
        "participants:enrollment_update", kwargs={"program_pk": enrollment.program_id, "enrollment_pk": enrollment.pk}
    )


@pytest.fixture
def second_organizer_client(organizer):
    other = Client()
    other.force_login(organizer)  # the same rights; another browser
    return other


def test_stale_participant_save_is_refused_and_names_the_change(organizer_client, second_organizer_client, program):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="Dinas Kesehatan")
    url = edit_url(enrollment)
    first, second = edit_form(organizer_client, url), edit_form(second_organizer_client, url)

    first["unit_name"] = "Dinas Pendidikan"
    assert organizer_client.post(url, first).status_code == 302
    second["dietary_notes"] = "Vegetarian"
    page = second_organizer_client.post(url, second).content.decode()

    person = Participant.objects.get(pk=enrollment.participant_id)
    assert (person.unit_name, person.dietary_notes) == ("Dinas Pendidikan", "")  # the first change is kept
    said = warnings(page)
    assert in_ui_language(CHANGED, field=label(ParticipantForm, "unit_name"), read="Dinas Kesehatan",
                          stored="Dinas Pendidikan") in said  # fmt: skip
    assert label(ParticipantForm, "dietary_notes") not in said  # the user's own change is not named as theirs
    refused = edit_form_values(page)
    assert refused["dietary_notes"] == "Vegetarian"  # the second person's input is kept in the form
    assert refused["unit_name"] == "Dinas Pendidikan"  # and the first person's change taken in

    # Saved again from the form as shown now: both changes are kept.
    assert second_organizer_client.post(url, refused).status_code == 302
    person.refresh_from_db()
    assert (person.unit_name, person.dietary_notes) == ("Dinas Pendidikan", "Vegetarian")
    assert person.version == 2


def test_a_field_both_changed_keeps_the_users_input_and_shows_the_stored_value(
    organizer_client, second_organizer_client, program
):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="Dinas Kesehatan")
    url = edit_url(enrollment)
    first, second = edit_form(organizer_client, url), edit_form(second_organizer_client, url)
    first["unit_name"] = "Dinas Pendidikan"
    organizer_client.post(url, first)
    second["unit_name"] = "Dinas Sosial"
    page = second_organizer_client.post(url, second).content.decode()

    assert Participant.objects.get(pk=enrollment.participant_id).unit_name == "Dinas Pendidikan"
    assert edit_form_values(page)["unit_name"] == "Dinas Sosial"
    beside = re.search(r'id="id_unit_name_helptext"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert in_ui_language("Saved meanwhile by someone else: “%(value)s”. Yours is kept here.",
                          value="Dinas Pendidikan") in beside  # fmt: skip


def test_stale_enrollment_save_is_refused(organizer_client, second_organizer_client, program):
    cohort_a, cohort_b = (
        CohortFactory(program=program, name="Angkatan I"),
        CohortFactory(program=program, name="Angkatan II"),
    )
    group = DiscussionGroup.objects.create(program=program, number=3, name="Kelompok Tiga")
    enrollment = EnrollmentFactory(program=program, cohort=cohort_a, role=RetreatRole.KEPALA_PD)
    url = edit_url(enrollment)
    first, second = edit_form(organizer_client, url), edit_form(second_organizer_client, url)

    first["cohort"] = str(cohort_b.pk)
    assert organizer_client.post(url, first).status_code == 302
    second["group"] = str(group.pk)
    room = RoomFactory(program=program, number="B-07")
    second["room"] = str(room.pk)
    page = second_organizer_client.post(url, second).content.decode()

    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert (stored.cohort, stored.group, stored.room) == (cohort_b, None, None)
    assert in_ui_language(CHANGED, field=label(EnrollmentForm, "cohort"), read="Angkatan I",
                          stored="Angkatan II") in warnings(page)  # fmt: skip
    refused = edit_form_values(page)
    assert (refused["cohort"], refused["group"], refused["room"]) == (str(cohort_b.pk), str(group.pk), str(room.pk))

    assert second_organizer_client.post(url, refused).status_code == 302
    stored.refresh_from_db()
    assert (stored.cohort, stored.group, stored.room) == (cohort_b, group, room)


def test_the_same_person_edited_from_another_program_makes_this_form_stale(
    organizer_client, second_organizer_client, program, institution
):
    person = ParticipantFactory(institution=institution, dietary_notes="")
    here = EnrollmentFactory(program=program, participant=person)
    there = EnrollmentFactory(program=ProgramFactory(organizer=institution), participant=person)
    mine = edit_form(organizer_client, edit_url(here))
    theirs = edit_form(second_organizer_client, edit_url(there))
    theirs["dietary_notes"] = "Tanpa gluten"
    assert second_organizer_client.post(edit_url(there), theirs).status_code == 302
    mine["room"] = str(RoomFactory(program=program).pk)
    page = organizer_client.post(edit_url(here), mine).content.decode()
    assert "Tanpa gluten" in warnings(page)
    here.refresh_from_db()
    person.refresh_from_db()
    assert (here.room, person.dietary_notes) == (None, "Tanpa gluten")  # nothing of the stale save was written


def test_a_form_without_its_version_saves_nothing(organizer_client, program):
    enrollment = EnrollmentFactory(program=program)
    url = edit_url(enrollment)
    data = edit_form(organizer_client, url)
    del data["participant_version"]
    data["room"] = str(RoomFactory(program=program).pk)
    page = organizer_client.post(url, data).content.decode()
    assert in_ui_language("This form is out of date: open the page again and redo your changes.") in page
    enrollment.refresh_from_db()
    assert enrollment.room is None


def test_a_group_move_makes_an_open_form_stale(organizer_client, program):
    """The form can't move the person back to the group it was read with."""
    enrollment = EnrollmentFactory(program=program)
    group = DiscussionGroup.objects.create(program=program, number=1, name="Kelompok 1")
    url = edit_url(enrollment)
    stale = edit_form(organizer_client, url)
    services.enrollment_move(enrollment=enrollment, group=group)
    stale["room"] = str(RoomFactory(program=program).pk)
    page = organizer_client.post(url, stale).content.decode()
    assert "Kelompok 1" in warnings(page)
    enrollment.refresh_from_db()
    assert (enrollment.group, enrollment.room) == (group, None)


def test_forming_groups_moves_on_the_version_of_those_it_moves(program):
    placed = EnrollmentFactory(program=program)
    services.enrollment_move(enrollment=placed, group=DiscussionGroup.objects.create(program=program, number=1,
                                                                                      name="Kelompok 1"))  # fmt: skip
    loose = EnrollmentFactory(program=program)
    services.groups_form(program=program, group_count=1)
    placed.refresh_from_db()
    loose.refresh_from_db()
    assert (placed.version, loose.version) == (1, 1)  # the locked one stayed: only its move counted


def test_an_import_that_changes_a_person_makes_an_open_form_stale(organizer_client, program, institution):
    from participants.importing import import_commit, plan_import

    person = ParticipantFactory(institution=institution, name="Ahmad Fauzi", position_title="Camat Klojen",
                                unit_name="Kecamatan Klojen")  # fmt: skip
    enrollment = EnrollmentFactory(program=program, participant=person, role=RetreatRole.CAMAT)
    url = edit_url(enrollment)
    stale = edit_form(organizer_client, url)
    data = f"Nama;NIP;Jabatan;Unit Kerja\nAhmad Fauzi;{person.nip};Camat Lowokwaru;Kecamatan Lowokwaru\n".encode()
    assert import_commit(program=program, plan=plan_import(program=program, data=data, filename="a.csv"))["update"]
    stale["room"] = str(RoomFactory(program=program).pk)
    organizer_client.post(url, stale)
    person.refresh_from_db()
    enrollment.refresh_from_db()
    assert (person.position_title, person.version, enrollment.room) == ("Camat Lowokwaru", 1, None)


@pytest.mark.django_db(transaction=True)
def test_two_saves_from_the_same_version_race_and_one_wins(require_postgresql, institution):
    enrollment = EnrollmentFactory(program=ProgramFactory(organizer=institution))
    person = enrollment.participant
    barrier = threading.Barrier(2)
    outcomes = []

    def save(unit):
        try:
            target = Enrollment.objects.select_related("participant").get(pk=enrollment.pk)
            barrier.wait(timeout=10)
            services.participant_update(participant=target.participant, data={"unit_name": unit}, version=0)
            outcomes.append(("saved", unit))
        except services.StaleEdit as exc:
            outcomes.append(("refused", exc.rows[0].unit_name))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(unit,)) for unit in ("Dinas Pendidikan", "Dinas Sosial")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    person.refresh_from_db()
    assert sorted(kind for kind, _unit in outcomes) == ["refused", "saved"]
    winner = next(unit for kind, unit in outcomes if kind == "saved")
    assert (person.unit_name, person.version) == (winner, 1)
    assert next(unit for kind, unit in outcomes if kind == "refused") == winner  # the loser is shown the winner's
