"""The "send the links" page: links, WhatsApp buttons, broadcast-list files (recorded exports) and the QR sheet."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from participants.enums import EnrollmentStatus
from participants.tests.factories import EnrollmentFactory
from retreat.models import ExportRecord


def url(name, program, **kwargs):
    return reverse(f"participants:{name}", kwargs={"program_pk": program.pk, **kwargs})


@pytest.fixture
def with_links(program):
    first = EnrollmentFactory(program=program, participant__name="Ani Rahmawati", participant__phone="0812-3456-7890",
                              access_token="tok-ani")  # fmt: skip
    second = EnrollmentFactory(program=program, participant__name="Budi Santoso", participant__phone="")
    EnrollmentFactory(program=program, participant__name="Citra Mundur", status=EnrollmentStatus.WITHDRAWN,
                      access_token="tok-gone")  # fmt: skip
    return first, second


def test_links_page_lists_active_participants_with_link_and_whatsapp(organizer_client, program, with_links):
    first, second = with_links
    page = organizer_client.get(url("links", program)).content.decode()
    assert page.count('class="card card-body py-2 h-100 link-card') == 2  # the withdrawn one is left out
    assert "Citra Mundur" not in page
    assert 'value="http://testserver/p/tok-ani/"' in page or "/p/tok-ani/" in page
    assert "https://wa.me/6281234567890?text=" in page
    assert page.count("link-whatsapp") == 1  # no link and no phone: no button
    assert 'id="links-ensure"' in page  # Budi has no link yet
    assert "+6281234567890" in page


def test_links_ensure_makes_the_missing_links_and_keeps_the_others(organizer_client, program, with_links):
    first, second = with_links
    response = organizer_client.post(url("links_ensure", program))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.access_token == "tok-ani"
    assert second.access_token
    page = organizer_client.get(url("links", program)).content.decode()
    assert 'id="links-ensure"' not in page


def test_links_csv_and_xlsx_are_recorded_and_hold_no_nip(organizer_client, program, with_links):
    first, _second = with_links
    response = organizer_client.get(url("links_export", program, fmt="csv"))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 2  # header + the one participant with a link
    assert rows[1][0] == "Ani Rahmawati"
    assert rows[1][1] == "'+6281234567890"  # neutralised: Excel would read +62… as a formula
    assert rows[1][2].endswith("/p/tok-ani/")
    assert first.participant.nip not in text

    response = organizer_client.get(url("links_export", program, fmt="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2
    assert len(values[0]) == 3
    assert values[1][1] == "+6281234567890"
    assert sheet["B2"].data_type == "s"
    records = sorted(ExportRecord.objects.filter(program=program).values_list("file_format", "rows"))
    assert records == [("CSV", 1), ("XLSX", 1)]
    assert organizer_client.get(url("links_export", program, fmt="pdf")).status_code == 404


def test_links_page_and_files_are_for_managers_only(client, leader, program, with_links):
    client.force_login(leader)
    for name, kwargs in (("links", {}), ("links_qr", {}), ("links_export", {"fmt": "csv"})):
        assert client.get(url(name, program, **kwargs)).status_code == 403
    assert client.post(url("links_ensure", program)).status_code == 403
    assert not ExportRecord.objects.exists()


def test_other_institution_gets_404(organizer_client, other_program):
    assert organizer_client.get(url("links", other_program)).status_code == 404


def test_qr_sheet_has_one_code_per_link(organizer_client, program, with_links):
    page = organizer_client.get(url("links_qr", program)).content.decode()
    assert page.count('class="qr-card"') == 1
    assert "<svg" in page
    assert "data-print" in page


def test_list_links_to_the_page(organizer_client, program, with_links):
    page = organizer_client.get(url("enrollment_list", program)).content.decode()
    assert 'id="send-links"' in page


def test_new_link_message_mentions_the_previous_one_only_when_there_was_one(
    organizer_client, program, with_links, settings
):
    first, second = with_links
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def message_after_issuing(enrollment):
        response = organizer_client.post(url("link_issue", program, enrollment_pk=enrollment.pk), follow=True)
        return [str(m) for m in response.context["messages"]]

    assert message_after_issuing(second) == ["A personal link was made."]
    assert message_after_issuing(first) == ["A new personal link was made; the previous one no longer works."]
    first.refresh_from_db()
    assert first.access_token != "tok-ani"


@pytest.mark.parametrize("count", [1, 30])
def test_links_pages_query_count(organizer_client, program, django_assert_max_num_queries, count):
    EnrollmentFactory.create_batch(count, program=program, access_token=None)
    organizer_client.post(url("links_ensure", program))
    for name in ("links", "links_qr"):
        with django_assert_max_num_queries(12):
            assert organizer_client.get(url(name, program)).status_code == 200
