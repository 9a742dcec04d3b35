"""Electronic signatures on certificates: a throwaway certificate authority and signer made here, PDFs signed
and checked back with pyHanko's validator (intact, trusted, covering the whole file, visible), the
institution's signer from its file and password, the sealed password, and the signing page."""

import datetime as dt
import io
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from certificates import services_signing
from certificates.models import CertificateSettings
from certificates.signing import (
    BSRE_FOOTER,
    DEFAULT_BOX,
    FIELD_NAME,
    Pkcs12Signer,
    Signer,
    anchor_box,
    footer_text,
    open_password,
    seal_password,
    signer_for,
    signing_file_check,
)
from retreat.documents import DocumentError
from retreat.enums import Role
from retreat.pdf import render_pdf
from retreat.tests.factories import MembershipFactory, UserFactory
from retreat.tests.pdf import pdf_text

from .pki import PASSWORD, SIGNER, make_pki, validate


@pytest.fixture(autouse=True)
def in_english():
    """The messages are read in the language they are written in."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def pki():
    return make_pki()


@pytest.fixture(scope="module")
def pdf():
    return render_pdf("certificates/pdf/certificate.html", {"layer": "static", "design": {"title": "SERTIFIKAT"},
                                                            "lines": ["PEMERINTAH KOTA MALANG"]})  # fmt: skip


def test_a_signed_pdf_is_valid_trusted_whole_and_visible(pki, pdf):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    ca, data = pki
    signer = Pkcs12Signer.from_bytes(data, PASSWORD, file="uji.p12")
    assert isinstance(signer, Signer)
    signed = signer.sign(pdf)
    embedded, status = validate(signed, ca)
    assert (status.intact, status.valid, status.trusted) == (True, True, True), status.pretty_print_details()
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert embedded.field_name == FIELD_NAME
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert status.signing_cert.subject.native["common_name"] == SIGNER
    widget = embedded.sig_field
    rect = [float(v) for v in widget["/Rect"]]
    assert rect == pytest.approx(list(DEFAULT_BOX), abs=0.5)
    assert rect[2] - rect[0] > 100
    assert rect[3] - rect[1] > 30
    assert widget.raw_get("/P").idnum == embedded.reader.root["/Pages"]["/Kids"].raw_get(0).idnum  # on page 1
    assert "/AP" in widget  # it has an appearance: visible
    assert signed.startswith(pdf)  # the original bytes are kept: the signature is added, nothing rewritten


def test_the_signature_shows_the_signer_and_the_page_text_stays(pki, pdf):
    signed = Pkcs12Signer.from_bytes(pki[1], PASSWORD, file="uji.p12").sign(pdf)
    import pikepdf

    with pikepdf.open(io.BytesIO(signed)) as document:
        widget = next(a for a in document.pages[0].Annots if a.get("/FT") == "/Sig")
        shown = [str(operands[0]) for operands, operator in pikepdf.parse_content_stream(widget.AP.N)
                 if str(operator) == "Tj"]  # fmt: skip
    assert shown[:2] == ["Ditandatangani secara elektronik oleh", SIGNER]
    assert shown[2].endswith(" WIB")
    assert "PEMERINTAH KOTA MALANG" in pdf_text(signed)


def test_a_signed_pdf_changed_afterwards_is_detected(pki, pdf):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    ca, data = pki
    signed = Pkcs12Signer.from_bytes(data, PASSWORD, file="uji.p12").sign(pdf)
    # Bytes appended: the signature no longer covers the whole file.
    _embedded, appended = validate(signed + b"\n% one more line\n", ca)
    assert appended.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    # Text drawn on the page in an update after signing (as merging or stamping would): refused.
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    stamp = generic.StreamObject(stream_data=b"BT /F1 20 Tf 100 100 Td (PALSU) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stamp))
    out = io.BytesIO()
    writer.write(out)
    _embedded, updated = validate(out.getvalue(), ca)
    assert updated.modification_level == ModificationLevel.OTHER
    assert not updated.bottom_line
    # One byte changed inside the signed range: the signature is broken.
    at = len(pdf) // 2
    changed = signed[:at] + bytes([signed[at] ^ 1]) + signed[at + 1 :]
    _embedded, broken = validate(changed, ca)
    assert not broken.intact
    assert not broken.bottom_line


def test_signing_many_times_gives_valid_signatures_each(pdf):
    ca, data = make_pki(rsa=True)
    signer = Pkcs12Signer.from_bytes(data, PASSWORD, file="uji.p12", box=(100, 100, 270, 160))
    for _ in range(3):
        embedded, status = validate(signer.sign(pdf), ca)
        assert status.bottom_line
        assert [float(v) for v in embedded.sig_field["/Rect"]] == [100, 100, 270, 160]


def test_anchor_box_finds_the_element_by_its_id():
    page = render_pdf("certificates/pdf/certificate.html", {
        "layer": "static", "design": {"title": "SERTIFIKAT"}, "signatories": [{"position": "Kepala BKPSDM",
        "name": SIGNER, "space_id": "ttd-1"}], "signing_place": "Malang"})  # fmt: skip
    left, bottom, right, top = anchor_box(page, "ttd-1", width=170, height=50)
    assert (right - left, top - bottom) == (pytest.approx(170, abs=0.2), pytest.approx(50, abs=0.2))
    assert 400 < left < 600  # the right signature block,
    assert 100 < top < 250  # in the lower half of the page
    with pytest.raises(DocumentError, match="nowhere"):
        anchor_box(page, "nowhere", width=170, height=50)


def test_the_footer_names_bsre_or_the_issuer_of_the_certificate(pki):
    signer = Pkcs12Signer.from_bytes(pki[1], PASSWORD, file="uji.p12")
    assert footer_text(signer) == (
        "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan "
        "oleh Lembaga Sertifikasi Uji."
    )
    _ca, bsre = make_pki(issuer_org="Badan Siber dan Sandi Negara")
    assert footer_text(Pkcs12Signer.from_bytes(bsre, PASSWORD, file="bsre.p12")) == BSRE_FOOTER
    assert "Balai Besar Sertifikasi Elektronik (BSrE)" in BSRE_FOOTER


# --- The institution's signer ---------------------------------------------------------------------------


def keep_file(institution, data: bytes, *, enabled=True) -> CertificateSettings:
    row = CertificateSettings(institution=institution, signing_enabled=enabled, signing_subject=SIGNER)
    row.signing_file.save("uji.p12", ContentFile(data), save=False)
    row.save()
    return row


def test_no_signer_while_signing_is_off(institution, pki):
    assert signer_for(institution, password=PASSWORD) is None
    keep_file(institution, pki[1], enabled=False)
    assert signer_for(institution, password=PASSWORD) is None


def test_the_signer_of_an_institution_signs_with_the_typed_password(institution, pki, pdf):
    keep_file(institution, pki[1])
    signer = signer_for(institution, password=PASSWORD)
    assert signer.signer_name == SIGNER
    assert validate(signer.sign(pdf), pki[0])[1].bottom_line


def test_the_password_comes_from_the_environment_when_none_is_typed(institution, pki, monkeypatch):
    keep_file(institution, pki[1])
    monkeypatch.delenv(f"SIGNING_PASSWORD_{institution.pk}", raising=False)
    with pytest.raises(DocumentError, match=f"SIGNING_PASSWORD_{institution.pk}"):
        signer_for(institution)
    monkeypatch.setenv(f"SIGNING_PASSWORD_{institution.pk}", PASSWORD)
    assert signer_for(institution).signer_name == SIGNER
    monkeypatch.setenv(f"SIGNING_PASSWORD_{institution.pk}", "salah")
    with pytest.raises(DocumentError, match="password does not open"):
        signer_for(institution)


def test_a_wrong_password_is_a_clear_error(institution, pki):
    keep_file(institution, pki[1])
    with pytest.raises(DocumentError, match="The password does not open the signing file of Pemkot Malang"):
        signer_for(institution, password="salah")


def test_a_missing_file_is_a_clear_error(institution, pki):
    CertificateSettings.objects.create(institution=institution, signing_enabled=True)
    with pytest.raises(DocumentError, match="uploaded no signing file"):
        signer_for(institution, password=PASSWORD)
    row = CertificateSettings.objects.get(institution=institution)
    row.signing_file.save("uji.p12", ContentFile(pki[1]))
    default_storage.delete(row.signing_file.name)
    with pytest.raises(DocumentError, match="^The signing file of Pemkot Malang is missing from storage"):
        signer_for(institution, password=PASSWORD)


def test_an_expired_certificate_is_a_clear_error(institution):
    _ca, expired = make_pki(days=10, ago=20)
    keep_file(institution, expired)
    with pytest.raises(DocumentError, match=r"expired on \d+ \w+ \d{4}"):
        signer_for(institution, password=PASSWORD)


def test_a_file_that_is_no_pkcs12_is_a_clear_error(institution, pdf):
    keep_file(institution, pdf)
    with pytest.raises(DocumentError, match=r"not a PKCS#12 file"):
        signer_for(institution, password=PASSWORD)


def test_a_sealed_password_opens_and_a_tampered_one_does_not():
    token = seal_password(PASSWORD)
    assert PASSWORD not in token
    assert open_password(token) == PASSWORD
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(DocumentError, match="type it again"):
        open_password(tampered)
    with pytest.raises(DocumentError):
        open_password("not a token")


def test_a_password_sealed_under_another_secret_key_does_not_open(settings):
    token = seal_password(PASSWORD)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    with pytest.raises(DocumentError):
        open_password(token)


# --- Checking an upload ---------------------------------------------------------------------------------


def upload(data: bytes, name="ttd-kepala.p12"):
    return SimpleUploadedFile(name, data, content_type="application/x-pkcs12")


def test_an_upload_is_checked_and_read(pki):
    found = signing_file_check(upload(pki[1]), PASSWORD)
    assert found["subject"] == SIGNER
    assert found["issuer"] == "Lembaga Sertifikasi Uji"
    assert found["valid_until"] > dt.datetime.now(dt.UTC)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("wrong password", "The password does not open “ttd-kepala.p12”."),
        ("not pkcs12", "“ttd-kepala.p12” is not a PKCS#12 file (.p12 or .pfx)."),
        ("no key", "“ttd-kepala.p12” holds no private key"),
        ("expired", "The certificate in “ttd-kepala.p12” (Dr. H. Sutiaji, S.Si., M.Si.) expired on"),
    ],
)
def test_an_upload_that_cannot_sign_is_refused_naming_the_file(pki, case, message):
    data, password = pki[1], PASSWORD
    if case == "wrong password":
        password = "salah"
    elif case == "not pkcs12":
        data = b"%PDF-1.7 not a certificate"
    elif case == "no key":
        data = make_pki(key=False)[1]
    elif case == "expired":
        data = make_pki(days=10, ago=20)[1]
    with pytest.raises(ValidationError) as error:
        signing_file_check(upload(data), password)
    assert message in error.value.messages[0]


# --- The signing page -----------------------------------------------------------------------------------


def page(program):
    return reverse("certificates:signing", kwargs={"program_pk": program.pk})


def test_a_wrong_password_is_refused_with_a_message_and_nothing_is_saved(organizer_client, program, pki):
    response = organizer_client.post(page(program), {"file": upload(pki[1]), "password": "salah"})
    assert response.status_code == 200
    assert "ttd-kepala.p12" in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not CertificateSettings.objects.filter(institution=program.organizer).exclude(signing_file="").exists()
    assert not default_storage.exists(f"private/signing/{program.organizer.pk}")
    assert "salah" not in response.content.decode()


def test_a_good_file_is_stored_with_its_signer_and_the_password_is_not(organizer_client, program, pki):
    response = organizer_client.post(page(program), {"file": upload(pki[1]), "password": PASSWORD}, follow=True)
    row = CertificateSettings.objects.get(institution=program.organizer)
    assert row.signing_subject == SIGNER
    assert row.signing_valid_until > dt.datetime.now(dt.UTC)
    assert row.signing_file.name.startswith(f"private/signing/{program.organizer.pk}/")
    assert row.signing_file.read() == pki[1]
    assert not row.signing_enabled
    assert SIGNER in response.content.decode()
    history = row.history.first()
    assert history.history_user.username == "panitia"
    assert PASSWORD not in str([vars(h) for h in row.history.all()])
    assert f"SIGNING_PASSWORD_{program.organizer.pk}" in response.content.decode()


def test_signing_is_switched_on_only_with_a_file(organizer_client, program, pki):
    response = organizer_client.post(page(program), {"action": "enable"}, follow=True)
    with translation.override("id"):  # the page is in the site's language
        assert gettext("Upload the signing file (.p12 or .pfx) before switching signing on.") in unescape(
            response.content.decode()
        )
    assert not CertificateSettings.objects.filter(institution=program.organizer, signing_enabled=True).exists()
    organizer_client.post(page(program), {"file": upload(pki[1]), "password": PASSWORD})
    organizer_client.post(page(program), {"action": "enable"})
    assert CertificateSettings.objects.get(institution=program.organizer).signing_enabled
    organizer_client.post(page(program), {"action": "disable"})
    assert not CertificateSettings.objects.get(institution=program.organizer).signing_enabled


def test_replacing_and_removing_delete_the_old_file_from_storage(
    organizer_client, program, pki, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(page(program), {"file": upload(pki[1]), "password": PASSWORD})
    first = CertificateSettings.objects.get(institution=program.organizer).signing_file.name
    _ca, other = make_pki(signer="Drs. Wahyu Hidayat, M.AP.")
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(page(program), {"file": upload(other), "password": PASSWORD})
    row = CertificateSettings.objects.get(institution=program.organizer)
    assert row.signing_subject == "Drs. Wahyu Hidayat, M.AP."
    assert row.signing_file.name != first
    assert not default_storage.exists(first)
    assert default_storage.exists(row.signing_file.name)
    second = row.signing_file.name
    services_signing.signing_switch(institution=program.organizer, enabled=True, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(page(program), {"action": "remove"})
    row.refresh_from_db()
    assert (row.signing_file.name, row.signing_subject, row.signing_enabled) == ("", "", False)
    assert not default_storage.exists(second)


def test_the_page_is_404_for_another_institutions_manager(client, program, other_institution, pki):
    outsider = MembershipFactory(user=UserFactory(username="admin.magelang"), institution=other_institution,
                                 role=Role.ORGANIZER).user  # fmt: skip
    client.force_login(outsider)
    assert client.get(page(program)).status_code == 404
    assert client.post(page(program), {"file": upload(pki[1]), "password": PASSWORD}).status_code == 404
    assert not CertificateSettings.objects.filter(institution=program.organizer).exists()


def test_the_page_is_forbidden_for_a_facilitator(client, program, facilitator, pki):
    client.force_login(facilitator)
    assert client.get(page(program)).status_code == 403
    assert client.post(page(program), {"file": upload(pki[1]), "password": PASSWORD}).status_code == 403
    assert not CertificateSettings.objects.filter(institution=program.organizer).exists()
