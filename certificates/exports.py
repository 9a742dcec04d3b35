"""The JP of a program for the national records: one row per valid certificate, for the SIASN (BKN)
"riwayat kursus" upload.

Source of the columns: BKN's SIASN web service record "riwayat kursus" as public integrations write it
(DOMAIN.md, "Training records in SIASN"): ``namaKursus``, ``institusiPenyelenggara``, ``jenisDiklatId``,
``jenisKursus``, ``jenisKursusSertipikat``, ``jumlahJam``, ``lokasiId``, ``nomorSertipikat``,
``tahunKursus``, ``tanggalKursus``, ``tanggalSelesaiKursus`` (dates ``dd-mm-yyyy``), preceded by the NIP
(with which the agency finds BKN's ``pnsOrangId``) and the name. ``jenisDiklatId`` and ``lokasiId`` are BKN
reference codes the agency fills in; the certificate's date follows, last, as ``tanggalSertipikat``. Check
the order against the agency's current template before uploading."""

import io

from django.utils import timezone

from participants.exports import neutralize

from .enums import CertificateStatus
from .models import Certificate

COLUMNS = [
    "nip", "nama", "namaKursus", "institusiPenyelenggara", "jenisDiklatId", "jenisKursus", "jenisKursusSertipikat",
    "jumlahJam", "lokasiId", "nomorSertipikat", "tahunKursus", "tanggalKursus", "tanggalSelesaiKursus",
    "tanggalSertipikat",
]  # fmt: skip
KIND = "Pelatihan"  # jenisKursus: a retreat is a leadership training, not a structural diklat
CERTIFICATE_KIND = "Sertifikat"


def siasn_rows(program) -> list[list]:
    certificates = (
        Certificate.objects.filter(enrollment__program=program, status=CertificateStatus.VALID)
        .select_related("institution")
        .order_by("seq")
    )
    return [
        [c.nip, neutralize(c.holder_name), neutralize(c.program_name), neutralize(c.institution.name), "", KIND,
         CERTIFICATE_KIND, c.jp, "", neutralize(c.number), c.end_date.year, f"{c.start_date:%d-%m-%Y}",
         f"{c.end_date:%d-%m-%Y}", f"{timezone.localtime(c.issued_at, program.tzinfo):%d-%m-%Y}"]
        for c in certificates
    ]  # fmt: skip


def siasn_xlsx(program) -> tuple[bytes, int]:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "riwayat_kursus"
    sheet.append(COLUMNS)
    rows = siasn_rows(program)
    for row in rows:
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=1).number_format = "@"  # the NIP stays text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(rows)
