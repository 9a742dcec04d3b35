"""A spreadsheet uploaded on a program's import page, as the import tests upload theirs."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import ParticipantImport


def post_upload(client, program, data: bytes | str, name: str = "peserta.csv"):
    """The import page's answer to the file ``name`` holding ``data`` (text is sent as UTF-8)."""
    url = reverse("participants:import_upload", kwargs={"program_pk": program.pk})
    content = data.encode() if isinstance(data, str) else data
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def uploaded(client, program, data: bytes | str, name: str = "peserta.csv") -> ParticipantImport:
    """The import kept for its preview; fails, with the page's start, if the upload was refused."""
    response = post_upload(client, program, data, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ParticipantImport.objects.latest("created_at")
