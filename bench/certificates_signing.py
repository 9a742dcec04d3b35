"""Electronic signatures on certificates: milliseconds per PAdES signature of one certificate PDF with
certificates.signing.Pkcs12Signer (the PKCS#12 read and the key parsed once, ``bytes_reserved`` set, a
visible field, no network), against the budget of 25 ms a certificate; and, in the same run, pyHanko's
default way (its PKCS#12 signer, the CMS size measured with a trial signature for each file). Every
signature is checked by size only; the tests validate them.

The certificate is the program's preview (certificates.documents.preview_pdf: a full certificate with
emblem, fonts and QR), or the PDF given with --pdf. The signing certificate is a throwaway RSA 2048 one
under a throwaway CA (as certificates/tests/test_signing.py makes). On its own SQLite database in a
temporary folder. Asserts nothing.

    .venv/bin/python bench/certificates_signing.py [--signatures 200] [--pdf file.pdf]
"""

import argparse
import shutil
import time
from pathlib import Path

from setup import django_on_temp_database

BUDGET_MS = 25  # per certificate, when signing is switched on (issue target)


def background_jpeg() -> bytes:
    """A background as institutions upload them (a pale pattern with some grain), about 90 KB."""
    import io
    import random

    from PIL import Image, ImageFilter

    rng = random.Random(7)
    image = Image.new("RGB", (1200, 850), (248, 244, 232))
    grain = Image.frombytes("L", image.size, bytes(rng.randrange(180, 256) for _ in range(1200 * 850)))
    image = Image.composite(image, Image.new("RGB", image.size, (214, 196, 150)), grain.filter(ImageFilter.BoxBlur(1)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def certificate_pdf() -> bytes:
    import datetime as dt

    from django.core.files.base import ContentFile

    from certificates.documents import preview_pdf
    from certificates.models import CertificateDesign
    from participants.tests.factories import EnrollmentFactory
    from retreat.tests.factories import InstitutionFactory, ProgramFactory

    institution = InstitutionFactory(name="Pemerintah Kota Bench", short_name="Pemkot Bench",
                                     letterhead_lines="PEMERINTAH KOTA BENCH\nBADAN KEPEGAWAIAN DAERAH")  # fmt: skip
    program = ProgramFactory(organizer=institution, start_date=dt.date(2025, 5, 15), end_date=dt.date(2025, 5, 17))
    design = CertificateDesign(program=program, on_behalf="a.n. Wali Kota Bench", signatory_position="Kepala BKPSDM",
                               signatory_name="Dr. H. Sutiaji, S.Si., M.Si.", signatory_nip="196903011994031005",
                               signatory_rank="Pembina Utama Madya (IV/d)")  # fmt: skip
    design.background.save("latar.jpg", ContentFile(background_jpeg()), save=False)  # a designed page: ~100 KB
    design.save()
    EnrollmentFactory(program=program)
    return preview_pdf(program)


def timed(sign, pdf: bytes, count: int) -> tuple[float, int]:
    sign(pdf)  # warm up (imports, font and stamp setup)
    started = time.perf_counter()
    for _ in range(count):
        size = len(sign(pdf))
    return (time.perf_counter() - started) / count * 1000, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signatures", type=int, default=200)
    parser.add_argument("--pdf", type=Path, help="sign this PDF instead of a certificate preview")
    args = parser.parse_args()
    tmp = django_on_temp_database()
    try:
        run(args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args):
    import io

    from django.utils import translation
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from certificates.signing import DEFAULT_BOX, FIELD_NAME, Pkcs12Signer
    from certificates.tests.pki import PASSWORD, make_pki

    translation.activate("id")
    pdf = args.pdf.read_bytes() if args.pdf else certificate_pdf()
    _ca, data = make_pki(rsa=True)
    print(f"certificate PDF: {len(pdf) / 1024:.0f} KB; {args.signatures} signatures each way (RSA 2048, SHA-256)")

    started = time.perf_counter()
    signer = Pkcs12Signer.from_bytes(data, PASSWORD, file="bench.p12")
    loaded = (time.perf_counter() - started) * 1000
    ms, size = timed(signer.sign, pdf, args.signatures)
    print(f"Pkcs12Signer (key loaded once in {loaded:.0f} ms, bytes_reserved set): {ms:.1f} ms a signature "
          f"= {ms / BUDGET_MS:.2f} of the {BUDGET_MS} ms budget; signed file {size / 1024:.0f} KB")  # fmt: skip

    default = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=PASSWORD.encode())
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES)
    spec = fields.SigFieldSpec(sig_field_name=FIELD_NAME, box=DEFAULT_BOX)

    def sign_default(document: bytes) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(document), strict=False)
        return signers.PdfSigner(meta, default, new_field_spec=spec).sign_pdf(writer).getvalue()

    count = max(args.signatures // 4, 10)
    default_ms, _size = timed(sign_default, pdf, count)
    print(f"pyHanko's default way ({count} signatures): {default_ms:.1f} ms a signature "
          f"= {default_ms / BUDGET_MS:.2f} of the budget; {default_ms / ms:.1f}× the kept-key signer")  # fmt: skip


if __name__ == "__main__":
    main()
