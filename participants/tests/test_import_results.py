"""What a confirmed import leaves: the refused rows as a file to send back (their own cells plus a reason), the
batch's summary on the import page, reasons that name their column once, and the role and cohort in the preview."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from participants.importing import plan_import
from participants.importing.planning import error_text
from participants.models import ParticipantImport
from participants.tests.factories import EnrollmentFactory, valid_nip
from participants.tests.uploads import post_upload, uploaded
from retreat.models import ExportRecord

BAD_NIP = "196802301994031005"  # 30 February
CSV = (
    "Nama;NIP;Jenis Kelamin;Jabatan;Angkatan;Catatan\r\n"
    f"Budi Santoso;{valid_nip(1)};L;Camat Klojen;Angkatan I;-\r\n"
    f"Sri Lestari;{BAD_NIP};P;Lurah Oro-oro Dowo;Angkatan I;=1+1\r\n"
    "Tanpa Kelamin;;;Staf;;\r\n"
).encode()


pytestmark = pytest.mark.usefixtures("english")


def url(name, program, **kwargs):
    return reverse(f"participants:{name}", kwargs={"program_pk": program.pk, **kwargs})


def upload_and_confirm(client, program, name="peserta.csv", data=CSV):
    batch = uploaded(client, program, data, name)
    response = client.post(url("import_confirm", program, import_pk=batch.pk))
    batch.refresh_from_db()
    return batch, response


def test_error_text_names_the_column_once():
    assert error_text("NIP", "NIP 1968: Digits 1–8 of the NIP …") == "NIP 1968: Digits 1–8 of the NIP …"
    assert error_text("No HP", "not a phone number") == "No HP: not a phone number"
    assert error_text("", "The name is empty.") == "The name is empty."


def test_preview_shows_role_cohort_and_each_reason_once(organizer_client, program):
    post_upload(organizer_client, program, CSV)
    batch = ParticipantImport.objects.latest("created_at")
    page = organizer_client.get(url("import_preview", program, import_pk=batch.pk)).content.decode()
    assert '<td class="small import-role">District head (Camat)</td>' in page
    assert '<td class="small import-cohort">Angkatan I</td>' in page
    assert f"NIP {BAD_NIP}: Digits 1–8" in page
    assert f"NIP: NIP {BAD_NIP}" not in page


def test_preview_of_an_update_shows_the_enrollment_role_and_cohort(program):
    enrollment = EnrollmentFactory(program=program, role="lurah", participant__nip=valid_nip(3),
                                   participant__institution=program.organizer)  # fmt: skip
    data = f"Nama;NIP;Jabatan\r\n{enrollment.participant.name};{valid_nip(3)};Lurah Baru\r\n".encode()
    row = plan_import(program=program, data=data, filename="a.csv").rows[0]
    assert row.action in ("update", "unchanged")
    assert (row.role, row.cohort) == ("lurah", enrollment.cohort.name if enrollment.cohort else "")


def test_confirm_keeps_the_summary_and_offers_the_refused_rows_as_csv(organizer_client, organizer, program):
    batch, response = upload_and_confirm(organizer_client, program)
    assert response.url.endswith(f"#import-{batch.pk}")
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0] == "Imported: 1 new, 0 updated, 0 unchanged, 2 refused."
    summary = batch.summary
    assert (summary["new"], summary["refused"]) == (1, 2)
    assert summary["confirmed_by"] == (organizer.get_full_name() or organizer.username)
    assert batch.rows is None  # the kept file rows still go; only the refused ones stay, for the agency

    page = organizer_client.get(url("import_upload", program)).content.decode()
    assert f'id="import-{batch.pk}"' in page
    assert 'data-count="refused">Refused: 2<' in page
    download = url("import_refused", program, import_pk=batch.pk)
    assert download in page

    response = organizer_client.get(download)
    assert response["Content-Disposition"] == 'attachment; filename="peserta-ditolak.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Nama", "NIP", "Jenis Kelamin", "Jabatan", "Angkatan", "Catatan", "Alasan"]
    assert rows[1][:6] == ["Sri Lestari", BAD_NIP, "P", "Lurah Oro-oro Dowo", "Angkatan I", "'=1+1"]
    assert rows[1][6].startswith(f"NIP {BAD_NIP}: Digits 1–8 of the NIP")
    assert rows[2][0] == "Tanpa Kelamin"
    assert "sex is missing" in rows[2][6]
    assert list(ExportRecord.objects.values_list("file_format", "rows")) == [("CSV", 2)]


def test_refused_rows_of_an_xlsx_upload_come_back_as_xlsx(organizer_client, program):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nama", "NIP", "Jenis Kelamin"])
    sheet.append(["Budi Santoso", valid_nip(1), "L"])
    sheet.append(["Sri Lestari", BAD_NIP, "P"])
    out = io.BytesIO()
    workbook.save(out)
    batch, _response = upload_and_confirm(organizer_client, program, "daftar.xlsx", out.getvalue())
    response = organizer_client.get(url("import_refused", program, import_pk=batch.pk))
    assert response["Content-Disposition"] == 'attachment; filename="daftar-ditolak.xlsx"'
    values = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert values[0] == ["Nama", "NIP", "Jenis Kelamin", "Alasan"]
    assert values[1][:3] == ["Sri Lestari", BAD_NIP, "P"]
    assert len(values) == 2


def test_no_refused_rows_no_file(organizer_client, program):
    data = f"Nama;NIP;Jenis Kelamin\r\nBudi Santoso;{valid_nip(1)};L\r\n".encode()
    batch, response = upload_and_confirm(organizer_client, program, data=data)
    assert response.url == url("enrollment_list", program)
    response = organizer_client.get(url("import_refused", program, import_pk=batch.pk))
    assert response.url == url("import_upload", program)
    assert not ExportRecord.objects.exists()
    page = organizer_client.get(url("import_upload", program)).content.decode()
    assert "import-refused-download" not in page


def test_refused_file_is_for_importers_of_the_program_only(organizer_client, client, leader, program, other_program):
    batch, _response = upload_and_confirm(organizer_client, program)
    client.force_login(leader)
    assert client.get(url("import_refused", program, import_pk=batch.pk)).status_code == 403
    assert organizer_client.get(url("import_refused", other_program, import_pk=batch.pk)).status_code == 404


def test_import_page_history_query_count(organizer_client, program, django_assert_max_num_queries):
    for _n in range(3):
        upload_and_confirm(organizer_client, program)
    with django_assert_max_num_queries(10):
        page = organizer_client.get(url("import_upload", program)).content.decode()
    assert page.count('class="card card-body py-2 h-100 import-batch"') == 3


def test_refused_rows_go_after_thirty_days_the_counts_stay(organizer_client, program):
    import datetime as dt

    from django.utils import timezone

    from participants.tasks import task_purge_import_previews

    batch, _response = upload_and_confirm(organizer_client, program)
    task_purge_import_previews()
    batch.refresh_from_db()
    assert len(batch.summary["refused_rows"]) == 2  # still within the month
    ParticipantImport.objects.filter(pk=batch.pk).update(finished_at=timezone.now() - dt.timedelta(days=31))
    task_purge_import_previews()
    batch.refresh_from_db()
    assert "refused_rows" not in batch.summary
    assert batch.summary["refused"] == 2
    response = organizer_client.get(url("import_refused", program, import_pk=batch.pk))
    assert response.url == url("import_upload", program)
