import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from participants.exports import neutralize
from participants.tests.factories import EnrollmentFactory


def test_neutralize():
    assert neutralize('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for text in ("+1", "-2", "@SUM(A1)", "\t=1"):
        assert neutralize(text).startswith("'")
    assert neutralize("Dinas Kesehatan") == "Dinas Kesehatan"


def test_xlsx_export_keeps_nips_as_text_and_neutralises_formulas(organizer_client, program):
    evil = EnrollmentFactory(program=program, participant__name="=HYPERLINK(\"http://contoh\",\"klik\")",
                             participant__phone="+6281234567890")  # fmt: skip
    response = organizer_client.get(
        reverse("participants:enrollment_export", kwargs={"program_pk": program.pk, "fmt": "xlsx"})
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = {header[i]: cell for i, cell in enumerate(sheet[2])}
    assert row["NIP"].value == evil.participant.nip
    assert row["NIP"].data_type == "s"
    assert row["Nama"].value.startswith("'=")
    assert row["Nama"].data_type == "s"
    assert row["No HP"].value == "0812-3456-7890"


def test_csv_export_is_excel_indonesian(organizer_client, program):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="@Dinas")
    response = organizer_client.get(
        reverse("participants:enrollment_export", kwargs={"program_pk": program.pk, "fmt": "csv"})
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["No", "Nama lengkap"]
    assert rows[1][5] == enrollment.participant.nip
    assert "'@Dinas" in rows[1]


def test_every_export_and_download_is_recorded_and_listed_for_organizers(
    organizer_client, client, leader, program, django_capture_on_commit_callbacks
):
    from retreat.models import ExportRecord

    EnrollmentFactory.create_batch(3, program=program)
    organizer_client.get(reverse("participants:enrollment_export", kwargs={"program_pk": program.pk, "fmt": "csv"}))
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(
            reverse("retreat:document_request", kwargs={"program_pk": program.pk, "kind": "participant_list"})
        )
    job = program.document_jobs.get()
    organizer_client.get(reverse("retreat:document_download", kwargs={"job_pk": job.pk}))
    records = list(ExportRecord.objects.order_by("created_at").values_list("what", "file_format", "rows"))
    assert records == [("Peserta", "CSV", 3), ("Daftar peserta", "PDF", 3)]

    page = organizer_client.get(reverse("retreat:program_detail", kwargs={"program_pk": program.pk})).content.decode()
    assert 'class="table table-sm small mb-0 exports"' in page
    assert "Daftar peserta" in page
    client.force_login(leader)
    page = client.get(reverse("retreat:program_detail", kwargs={"program_pk": program.pk})).content.decode()
    assert "exports" not in page
