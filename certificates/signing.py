"""Electronic signatures (PAdES) on certificate files, optional and per institution.

An institution that switches signing on uploads its PKCS#12 file (``.p12``/``.pfx``: private key and
certificate chain) on its signing page; the file is kept in storage under ``private/`` and served by no view.
Its password is never stored in the database in clear. It comes from one of two places when certificates
are issued:

* typed by the organizer when issuing: the issue job carries it only sealed (``seal_password``, Fernet with
  a key derived from ``SECRET_KEY``) and wipes it after use;
* otherwise the server environment variable ``SIGNING_PASSWORD_<institution id>`` (for example
  ``SIGNING_PASSWORD_7`` for the institution with id 7), read from ``os.environ`` each time a signer is made.

Signing is the last step of a certificate: nothing is merged into or changed in a signed file (any change
breaks the signature). The issue job calls ``signer_for(institution, password=...)`` once and
``signer.sign(pdf)`` per certificate; the key is loaded once, so a signature costs milliseconds. Signatures
are PAdES B-B (``ETSI.CAdES.detached``), made offline: no time-stamp authority and no revocation data
fetched over the network.

``Signer`` is what the issue job relies on; ``Pkcs12Signer`` signs with the uploaded file. A remote signer
(BSrE's signing service, say) is another class with the same three members.
"""

import base64
import datetime as dt
import io
import os
import unicodedata
from dataclasses import dataclass
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from retreat.documents import DocumentError
from retreat.enums import TimeZone

from .selectors import settings_for

ENVIRONMENT_PREFIX = "SIGNING_PASSWORD_"
FIELD_NAME = "TandaTanganElektronik"
MAX_FILE_SIZE = 200 * 1024  # a PKCS#12 with a key and a chain of three certificates is a few KB
SEALED_FOR = dt.timedelta(days=2)  # a typed password is unreadable after this: an issue job waits less

MM = 72 / 25.4
# Where the visible signature goes unless the caller says (PDF points from the bottom left of page 1, A4
# landscape): 60 × 18 mm in the certificate's signature space, the 19 mm between the signatory's position and
# name in the right signature block (104 mm wide, 24 mm from the right edge), centred under the position.
# ``anchor_box`` finds the space itself in a laid-out page.
DEFAULT_BOX = (round(191 * MM, 1), round(44.7 * MM, 1), round(251 * MM, 1), round(62.7 * MM, 1))

BSRE_FOOTER = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh "
    "Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara."
)
FOOTER_TEXT = BSRE_FOOTER  # what a certificate signed with a BSrE certificate says at its foot


@runtime_checkable
class Signer(Protocol):
    """What signs certificate files. ``sign`` is called once per file, as the last step, many times per
    process; it returns the signed file."""

    signer_name: str  # who signs: the certificate's holder, shown on the page and in the signature field
    issuer_name: str  # who issued the signing certificate (its organisation), for the footer

    def sign(self, pdf: bytes) -> bytes: ...

    def placed(self, box: tuple) -> "Signer":
        """The same signer with its visible field at ``box`` (PDF points: left, bottom, right, top)."""
        ...


def footer_text(signer: Signer) -> str:
    """The sentence at the foot of a signed certificate: BSrE's wording for a BSrE certificate, otherwise the
    same sentence naming the organisation that issued the signing certificate."""
    issuer = " ".join(signer.issuer_name.split())
    if _is_bsre(issuer):
        return BSRE_FOOTER
    return (
        "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan "
        f"oleh {issuer.rstrip('.')}."
    )


def _is_bsre(issuer: str) -> bool:
    folded = issuer.casefold()
    return "bsre" in folded or "sertifikasi elektronik" in folded or "badan siber dan sandi negara" in folded


def anchor_box(pdf: bytes, anchor: str, *, width: float, height: float) -> tuple[float, float, float, float]:
    """The box (PDF points: left, bottom, right, top) of ``width`` × ``height`` points whose top left corner is
    the element with ``id="<anchor>"`` on page 1 (WeasyPrint names a destination after every id), to give
    ``signer_for(box=...)``; DocumentError if the page has no such element."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        names = document.Root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
        targets = {str(names[i]): names[i + 1] for i in range(0, len(names) - 1, 2)}
        target = targets.get(anchor)
        first = document.pages[0].obj.objgen if len(document.pages) else None
        if target is None or target[0].objgen != first or str(target[1]) != "/XYZ":
            raise DocumentError(_("The page has no place named “%(anchor)s” for the signature.") % {"anchor": anchor})
        left, top = float(target[2]), float(target[3])
    return (round(left, 1), round(top - height, 1), round(left + width, 1), round(top, 1))


# --- Reading a PKCS#12 file ---------------------------------------------------------------------------------


class SigningFileProblem(ValueError):
    """A PKCS#12 file that can't sign; the message says what is wrong, naming the file."""


def _problem(message: str) -> SigningFileProblem:
    return SigningFileProblem(capfirst(message))  # "the signing file of …" may start the sentence


@dataclass(frozen=True)
class Pkcs12Contents:
    key: object  # a cryptography private key
    certificate: object  # cryptography x509.Certificate of the key
    chain: tuple  # the other certificates in the file (issuing CAs)
    subject: str
    issuer: str
    valid_from: dt.datetime
    valid_until: dt.datetime


def _name(name) -> str:
    """The common name of an X.509 name (or its organisation, or the whole name)."""
    from cryptography.x509.oid import NameOID

    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        found = name.get_attributes_for_oid(oid)
        if found:
            return str(found[0].value)
    return name.rfc4514_string()


def _organisation(name) -> str:
    """The organisation of an X.509 name (the issuer of a certificate), or its common name."""
    from cryptography.x509.oid import NameOID

    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        found = name.get_attributes_for_oid(oid)
        if found:
            return str(found[0].value)
    return name.rfc4514_string()


def _is_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12

    try:
        pfx = pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in ("data", "signed_data")
    except (ValueError, TypeError, KeyError):
        return False


def pkcs12_read(data: bytes, password: str | None, *, file: str, now: dt.datetime | None = None) -> Pkcs12Contents:
    """The key and certificates of a PKCS#12 file, checked: a PKCS#12 file, the password opens it, it holds
    a private key and its certificate, the certificate is valid now. ``file`` names the file in messages."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    if len(data) > MAX_FILE_SIZE or not _is_pkcs12(data):
        raise _problem(_("%(file)s is not a PKCS#12 file (.p12 or .pfx).") % {"file": file})
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except ValueError:
        raise _problem(_("The password does not open %(file)s.") % {"file": file}) from None
    if key is None:
        raise _problem(
            _("%(file)s holds no private key: export the certificate again together with its private key.")
            % {"file": file}
        )
    if certificate is None:
        raise _problem(_("%(file)s holds no certificate.") % {"file": file})
    now = now or timezone.now()
    valid_from, valid_until = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    if valid_until < now:
        raise _problem(
            _("The certificate in %(file)s (%(subject)s) expired on %(date)s.")
            % {"file": file, "subject": _name(certificate.subject), "date": date_format(valid_until, "j F Y")}
        )
    if valid_from > now:
        raise _problem(
            _("The certificate in %(file)s (%(subject)s) is valid only from %(date)s.")
            % {"file": file, "subject": _name(certificate.subject), "date": date_format(valid_from, "j F Y")}
        )
    return Pkcs12Contents(
        key=key, certificate=certificate, chain=tuple(chain), subject=_name(certificate.subject),
        issuer=_organisation(certificate.issuer), valid_from=valid_from, valid_until=valid_until,
    )  # fmt: skip


def signing_file_check(upload, password: str) -> dict:
    """Check an uploaded PKCS#12 file with its typed password (which is not kept): ``{"subject",
    "issuer", "valid_until"}``; a ValidationError naming the file otherwise."""
    name = f"“{getattr(upload, 'name', '') or _('the file')}”"
    if getattr(upload, "size", 0) and upload.size > MAX_FILE_SIZE:
        raise ValidationError(_("%(file)s is not a PKCS#12 file (.p12 or .pfx).") % {"file": name}, code="type")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        contents = pkcs12_read(data, password, file=name)
    except SigningFileProblem as problem:
        raise ValidationError(str(problem), code="signing_file") from None
    return {"subject": contents.subject, "issuer": contents.issuer, "valid_until": contents.valid_until}


# --- Signing with a PKCS#12 file ----------------------------------------------------------------------------


def _kept_key_signer(contents: Pkcs12Contents):
    """pyHanko's in-memory signer, keeping the parsed private key instead of parsing it for every signature."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = contents.key

    class KeptKeySigner(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
            return super().sign_raw(data, digest_algorithm)  # other key types: parsed per signature

    store = SimpleCertificateStore()
    store.register_multiple([asn1_x509.Certificate.load(_der(c)) for c in contents.chain])
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return KeptKeySigner(
        signing_cert=asn1_x509.Certificate.load(_der(contents.certificate)),
        signing_key=asn1_keys.PrivateKeyInfo.load(pkcs8),
        cert_registry=store,
    )


def _latin(text: str) -> str:
    """Text the signature field's standard font can show (WinAnsi): accents kept, anything else folded."""
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


class Pkcs12Signer:
    """Signs PDFs with a PKCS#12 file's key, loaded once: PAdES B-B, a visible signature field on page 1 at
    ``box`` (PDF points: left, bottom, right, top; ``DEFAULT_BOX`` unless given) reading "Ditandatangani
    secara elektronik oleh <signer>, <date and time>" in the ``zone`` of the institution. ``sign`` may be
    called any number of times from one process (one thread at a time)."""

    def __init__(self, contents: Pkcs12Contents, *, box: tuple | None = None, zone: str = "Asia/Jakarta"):
        from pyhanko.pdf_utils.font.basic import SimpleFontEngineFactory
        from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
        from pyhanko.pdf_utils.text import TextBoxStyle
        from pyhanko.sign import fields, signers
        from pyhanko.stamp import TextStampStyle

        self.contents = contents
        self.signer_name = contents.subject
        self.issuer_name = contents.issuer
        self.valid_until = contents.valid_until
        self.box = tuple(box or DEFAULT_BOX)
        self.zone = ZoneInfo(zone)
        self.zone_label = TimeZone(zone).label if zone in TimeZone.values else zone  # WIB, WITA, WIT
        self._signer = _kept_key_signer(contents)
        self._meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            name=contents.subject, reason="Sertifikat ditandatangani secara elektronik",
        )  # fmt: skip
        self._style = TextStampStyle(
            stamp_text="%(text)s",
            border_width=1,
            border_color=(0.12, 0.23, 0.41),
            text_box_style=TextBoxStyle(font=SimpleFontEngineFactory("Helvetica", 0.52), font_size=9, leading=11),
            inner_content_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID, margins=Margins.uniform(4)
            ),
        )
        self._field = fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=0, box=self.box)
        self._pdf_signer = signers.PdfSigner(self._meta, self._signer, stamp_style=self._style,
                                             new_field_spec=self._field)  # fmt: skip
        # Room for the CMS: the certificates, the signature and the signed attributes, with a margin. Set, so
        # that pyHanko does not make a trial signature to measure it for every file.
        certificates = (contents.certificate, *contents.chain)
        reserved = sum(len(_der(c)) for c in certificates) + _key_bytes(contents.key) + 4096
        self._reserved = reserved + reserved % 2

    def placed(self, box: tuple) -> "Pkcs12Signer":
        return Pkcs12Signer(self.contents, box=box, zone=self.zone.key)

    @classmethod
    def from_bytes(cls, data: bytes, password: str | None, *, file: str, **kwargs) -> "Pkcs12Signer":
        return cls(pkcs12_read(data, password, file=file), **kwargs)

    def appearance_text(self, when: dt.datetime) -> str:
        local = when.astimezone(self.zone)
        with translation.override("id"):
            moment = f"{date_format(local, 'j F Y')} {local:%H.%M} {self.zone_label}"
        lines = [
            "Ditandatangani secara elektronik oleh",
            *_wrap(_latin(self.signer_name), 34),
            moment,
        ]  # fmt: skip
        return "\n".join(lines)

    def sign(self, pdf: bytes) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        except Exception as error:  # pyHanko's reader raises several kinds for a broken file
            raise DocumentError(_("The certificate file could not be read for signing (%(error)s).") % {
                "error": error}) from None  # fmt: skip
        params = {"text": self.appearance_text(timezone.now())}
        out = _outside_any_event_loop(lambda: self._pdf_signer.sign_pdf(
            writer, bytes_reserved=self._reserved, appearance_text_params=params))  # fmt: skip
        return out.getvalue()


def _outside_any_event_loop(work):
    """pyHanko signs with ``asyncio.run``, which refuses to run inside a running event loop (a thread that
    drives one, such as a browser test's): there, the work runs on a thread of its own."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(work).result()


def _der(certificate) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return certificate.public_bytes(Encoding.DER)


def _key_bytes(key) -> int:
    return (getattr(key, "key_size", 4096) + 7) // 8


# --- The institution's signer -------------------------------------------------------------------------------


def password_variable(institution) -> str:
    """The environment variable holding the institution's signing password: ``SIGNING_PASSWORD_<id>``."""
    return f"{ENVIRONMENT_PREFIX}{institution.pk}"


def signer_for(institution, *, password: str | None = None, box: tuple | None = None) -> Signer | None:
    """The institution's signer, or None when it has not switched signing on. The password is the one
    typed (``password``) or else ``SIGNING_PASSWORD_<institution id>`` from the environment. Raises
    DocumentError saying what is wrong: no file, file gone, no or wrong password, expired certificate."""
    found = settings_for(institution)
    if not found.signing_enabled:
        return None
    file = _("the signing file of %(institution)s") % {"institution": institution.short_name or institution.name}
    if not found.signing_file:
        raise DocumentError(_("Electronic signing is on, but %(institution)s has uploaded no signing file.") % {
            "institution": institution.short_name or institution.name})  # fmt: skip
    storage, name = found.signing_file.storage, found.signing_file.name
    if not storage.exists(name):
        raise DocumentError(capfirst(_("%(file)s is missing from storage: upload it again.") % {"file": file}))
    if password is None:
        password = os.environ.get(password_variable(institution))
    if not password:
        raise DocumentError(
            _("No password for %(file)s: type it when issuing, or set the server environment variable %(variable)s.")
            % {"file": file, "variable": password_variable(institution)}
        )
    with storage.open(name, "rb") as handle:
        data = handle.read()
    try:
        return Pkcs12Signer.from_bytes(data, password, file=file, box=box, zone=institution.timezone)
    except SigningFileProblem as problem:
        raise DocumentError(str(problem)) from None


# --- A typed password, carried sealed ----------------------------------------------------------------------


def _fernet():
    from cryptography.fernet import Fernet

    key = salted_hmac("retret.certificates.signing.password", "signing password", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal_password(password: str) -> str:
    """A typed password encrypted (Fernet, key derived from SECRET_KEY), to carry in a job's params."""
    return _fernet().encrypt(password.encode()).decode()


def open_password(token: str) -> str:
    """The password a ``seal_password`` token holds; DocumentError if the token was changed, made with
    another SECRET_KEY, or is older than two days."""
    from cryptography.fernet import InvalidToken

    try:
        return _fernet().decrypt(token.encode(), ttl=int(SEALED_FOR.total_seconds())).decode()
    except (InvalidToken, UnicodeError, AttributeError):
        raise DocumentError(
            _("The signing password typed for this job can't be read any more: type it again.")
        ) from None
