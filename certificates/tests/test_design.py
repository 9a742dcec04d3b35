"""The certificate design: texts with the program's placeholders, uploaded images checked and resized for
print, one or two signatories; and the files made from it (the shared page laid out once, each person's
layer drawn over it), alone and combined for printing."""

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from certificates.documents import certificates_make, certificates_print_pdf
from certificates.models import CertificateDesign
from certificates.services import certificate_design_update
from certificates.texts import body_text
from evaluations.services.completion import completion_override_set
from participants.tests.factories import EnrollmentFactory
from retreat.tests.pdf import pdf_text

from .test_files import qr_texts


def picture(name: str, size: tuple[int, int], *, mode: str = "RGB", kind: str = "JPEG") -> SimpleUploadedFile:
    colour = (20, 40, 140, 0) if mode == "RGBA" else (240, 230, 200)
    image = Image.new(mode, size, colour)
    if mode == "RGBA":
        image.paste((20, 40, 140, 255), (size[0] // 4, size[1] // 3, size[0] // 2, size[1] // 2))
    out = io.BytesIO()
    image.save(out, kind)
    return SimpleUploadedFile(name, out.getvalue())


def images_in(pdf: bytes) -> list[tuple[int, int, str]]:
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return [(int(o.Width), int(o.Height), str(o.get("/Filter"))) for o in opened.objects
                if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]  # fmt: skip


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def complete(program, organizer):
    people = EnrollmentFactory.create_batch(3, program=program)
    for enrollment in people:
        completion_override_set(enrollment=enrollment, complete=True, reason="Lulus (uji)", user=organizer)
    return people


def test_uploaded_images_are_resized_for_print_and_a_signature_keeps_its_transparency(program, organizer):
    design = certificate_design_update(program=program, user=organizer, data={
        "background": picture("latar.jpg", (3508, 2480)),
        "signature": picture("ttd.png", (1800, 700), mode="RGBA", kind="PNG")})  # fmt: skip
    with Image.open(design.background.open("rb")) as background:
        assert (background.format, background.size) == ("JPEG", (1400, 990))
    with Image.open(design.signature.open("rb")) as signature:
        assert signature.format == "PNG"
        assert signature.mode == "RGBA"
        assert max(signature.size) == 500


def test_a_file_that_is_no_image_is_refused_by_name_and_nothing_changes(program, organizer):
    certificate_design_update(program=program, user=organizer, data={"title": "PIAGAM"})
    before = set(default_storage.listdir(f"certificates/designs/{program.pk}")[1]) if default_storage.exists(
        f"certificates/designs/{program.pk}") else set()  # fmt: skip
    not_an_image = SimpleUploadedFile("latar.jpg", b"%PDF-1.7 not an image")
    with pytest.raises(ValidationError) as refused:
        certificate_design_update(program=program, user=organizer, data={"title": "SERTIFIKAT",
                                                                          "background": not_an_image})  # fmt: skip
    assert "latar.jpg" in refused.value.message_dict["background"][0]
    design = CertificateDesign.objects.get(program=program)
    assert design.title == "PIAGAM"
    assert not design.background
    after = set(default_storage.listdir(f"certificates/designs/{program.pk}")[1]) if default_storage.exists(
        f"certificates/designs/{program.pk}") else set()  # fmt: skip
    assert after == before


def test_an_unknown_placeholder_is_refused_naming_it(program, organizer):
    with pytest.raises(ValidationError) as refused:
        certificate_design_update(program=program, user=organizer, data={"body": "telah mengikuti {acara} di {tempat}"})
    assert "{acara}" in refused.value.message_dict["body"][0]
    assert "{tempat}" not in refused.value.message_dict["body"][0].split(":")[0]


def test_placeholders_are_filled_and_no_jp_drops_the_hours():
    import datetime as dt

    text = "telah mengikuti {program} oleh {penyelenggara} pada {tanggal} di {tempat} selama {jp} jam pelajaran (JP)."
    values = {"program_name": "Retret Kepemimpinan", "institution": "Pemerintah Kota Malang",
              "start_date": dt.date(2025, 5, 15), "end_date": dt.date(2025, 5, 17), "place": "POLTEKAD"}  # fmt: skip
    from django.utils import translation

    with translation.override("id"):
        expected = ("telah mengikuti Retret Kepemimpinan oleh Pemerintah Kota Malang pada 15–17 Mei 2025 di POLTEKAD "
                    "selama 24 jam pelajaran (JP).")  # fmt: skip
        assert body_text(text, jp=24, **values) == expected
        assert body_text(text, jp=0, **values).endswith("di POLTEKAD.")


def test_the_files_carry_the_design_two_signatories_and_the_background_once(program, organizer, complete):
    certificate_design_update(program=program, user=organizer, data={
        "title": "PIAGAM", "given": "dianugerahkan kepada", "body": "telah menyelesaikan {program} di {tempat}.",
        "background": picture("latar.jpg", (3508, 2480)),
        "on_behalf": "a.n. Wali Kota Malang", "signatory_position": "Kepala BKPSDM", "signatory_name": "Budi Santoso",
        "signatory_nip": "197001011990031001",
        "second_position": "Wali Kota Malang", "second_name": "Wahyu Hidayat"})  # fmt: skip
    certificates = certificates_make(program, user=organizer)
    pdf = certificates[0].file.read()
    text = flat(pdf_text(pdf))
    first = certificates[0]
    for expected in ("PIAGAM", "dianugerahkan kepada", f"telah menyelesaikan {program.name} di {program.venue_name}.",
                     "a.n. Wali Kota Malang", "Kepala BKPSDM", "Budi Santoso", "NIP 19700101 199003 1 001",
                     "Wali Kota Malang", "Wahyu Hidayat", first.holder_name, first.number):  # fmt: skip
        assert expected in text
    assert [size for size in images_in(pdf) if size[0] == 1400] == [(1400, 990, "/DCTDecode")]
    assert qr_texts(pdf)  # the QR drawn over the background still reads
    # For printing: every certificate in one file, the background in it once.
    printed = certificates_print_pdf(program)
    with pikepdf.open(io.BytesIO(printed)) as opened:
        assert len(opened.pages) == 3  # no session counts for JP here: no back page
    assert [size for size in images_in(printed) if size[0] == 1400] == [(1400, 990, "/DCTDecode")]
    printed_text = flat(pdf_text(printed))
    assert all(c.holder_name in printed_text and c.number in printed_text for c in certificates)


def test_the_design_page_saves_an_upload_and_shows_what_is_refused(client, program, organizer):
    client.force_login(organizer)
    url = reverse("certificates:design", kwargs={"program_pk": program.pk})
    form = {"title": "SERTIFIKAT", "given": "diberikan kepada", "body": "telah mengikuti {program}.",
            "show_agenda": "on"}  # fmt: skip
    response = client.post(url, {**form, "body": "telah mengikuti {kegiatan}."})
    assert response.status_code == 200
    assert "{kegiatan}" in response.content.decode()
    response = client.post(url, {**form, "emblem": picture("lambang.png", (1200, 1400), mode="RGBA", kind="PNG")})
    assert response.status_code == 302
    design = CertificateDesign.objects.get(program=program)
    with Image.open(design.emblem.open("rb")) as emblem:
        assert max(emblem.size) == 600
