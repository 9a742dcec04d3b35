"""Certificate files: one PDF per participant (A4 landscape, the built-in layout with the institution's
emblem, the signatory and a QR code to the public verification page; optionally a back page with the
learning sessions and their JP), kept on the certificate; the issue job makes the missing ones and hands
back a ZIP of all, or one PDF of all for printing. A job run again (or taken over after its worker died)
makes only what is still missing: nothing twice, numbers unchanged."""

import io
import zipfile

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.enums import band
from evaluations.selectors.assessment import assessment_scores
from retreat.documents import Document, DocumentError, letterhead_context, register
from retreat.identity import format_nip
from retreat.links import verify_url
from retreat.pdf import render_pdf
from sessions.selectors import sessions_for_program

from .enums import CertificateStatus
from .models import Certificate, CertificateDesign
from .selectors import program_jp
from .services import certificate_changed, certificate_snapshot, certificates_number

CERTIFICATES = "certificates"
CERTIFICATES_PRINT = "certificates_print"
TEMPLATE = "certificates/pdf/certificate.html"


def design_for(program) -> CertificateDesign:
    return CertificateDesign.objects.filter(program=program).first() or CertificateDesign(program=program)


def _qr(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=3, border=0, omitsize=False)


def default_place(institution) -> str:
    """Where an institution signs, unless the design says: "Pemkot Malang" signs in "Malang"."""
    name = institution.short_name or institution.name
    prefixes = ("Pemerintah Kota ", "Pemerintah Kabupaten ", "Pemerintah Provinsi ", "Pemkot ", "Pemkab ", "Pemprov ")
    for prefix in prefixes:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def shared_context(program) -> dict:
    """What every certificate of the program shares."""
    learning = [s for s in sessions_for_program(program) if s.jp]
    return {
        **letterhead_context(program.organizer),
        "default_place": default_place(program.organizer),
        "program": program,
        "design": design_for(program),
        "learning": learning,
        "scores": assessment_scores(program),
    }


def certificate_pdf(certificate, shared: dict) -> bytes:
    return render_pdf(TEMPLATE, certificate_context(certificate, shared))


def certificate_context(certificate, shared: dict) -> dict:
    enrollment = certificate.enrollment
    score = shared["scores"].get(enrollment.pk)
    return {
        **shared,
        "certificate": certificate,
        "participant": enrollment.participant,
        "nip": format_nip(certificate.nip),
        "predicate": band(score) if score is not None else "",
        "qr": _qr(verify_url(certificate.code)),
        "verify": verify_url(certificate.code),
    }  # fmt: skip


def _made(certificate) -> bool:
    """Whether the certificate's file is there and shows its latest revision."""
    file = certificate.file
    return bool(file) and certificate.file_revision == certificate.revision and file.storage.exists(file.name)


def _keep(certificate, pdf: bytes) -> None:
    """Save a certificate's file, unless another delivery of the job saved it meanwhile."""
    with transaction.atomic():
        fresh = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if _made(fresh):  # another delivery made it meanwhile
            certificate.file, certificate.file_revision = fresh.file, fresh.file_revision
            return
        if fresh.file:
            fresh.file.delete(save=False)
        fresh.file.save(certificate_file_name(fresh), ContentFile(pdf), save=False)
        fresh.file_revision = fresh.revision
        fresh.save(update_fields=["file", "file_revision"])
        certificate_changed(fresh.enrollment_id)
    certificate.file, certificate.file_revision = fresh.file, fresh.file_revision


def certificate_file_name(certificate) -> str:
    return f"sertifikat-{slugify(certificate.holder_name)[:60]}-{certificate.seq:04d}.pdf"


def certificates_make(program, *, user=None, progress=None) -> list[Certificate]:
    """Number the complete participants who have no number yet, then make every valid certificate's file
    that is missing or shows an older revision, each saved as soon as it is made."""
    certificates_number(program=program, user=user)
    certificates = list(
        Certificate.objects.filter(enrollment__program=program, status=CertificateStatus.VALID)
        .select_related("enrollment__participant", "enrollment__program", "institution")
        .order_by("seq")
    )
    if not certificates:
        raise DocumentError(_("No participant has completed the program yet: there is no certificate to make."))
    todo = [
        c for c in certificates if not (c.file and c.file_revision == c.revision and c.file.storage.exists(c.file.name))
    ]
    done = len(certificates) - len(todo)
    if progress and done:
        progress(done)  # already made: counted at once
    if not todo:
        return certificates
    shared = shared_context(program)
    for certificate in todo:  # one at a time, in this process: a worker killed mid-way leaves no orphan behind
        _keep(certificate, certificate_pdf(certificate, shared))
        done += 1
        if progress:
            progress(done)
    return certificates


def _expected(program) -> int:
    """How many certificates the job will hold: the valid ones and the complete participants without one."""
    from evaluations.selectors.completion import complete_enrollments

    have = set(Certificate.objects.filter(enrollment__program=program).values_list("enrollment_id", flat=True))
    valid = Certificate.objects.filter(enrollment__program=program, status=CertificateStatus.VALID).count()
    return valid + sum(1 for e in complete_enrollments(program) if e.pk not in have)


@register(CERTIFICATES, label=gettext_lazy("Certificates (ZIP of one PDF each)"))
def certificates_zip(job) -> Document:
    program = job.program

    def render(progress) -> bytes:
        certificates = certificates_make(program, user=job.requested_by, progress=progress)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
            for certificate in certificates:
                with certificate.file.open("rb") as pdf:
                    archive.writestr(certificate_file_name(certificate), pdf.read())
        return out.getvalue()

    return Document(filename=f"sertifikat-{slugify(program.name)[:60]}.zip", render=render,
                    rows=program.enrollments.count(), items=_expected(program))  # fmt: skip


@register(CERTIFICATES_PRINT, label=gettext_lazy("Certificates for printing (one PDF)"))
def certificates_print(job) -> Document:
    program = job.program

    def render(progress) -> bytes:
        import pikepdf

        certificates = certificates_make(program, user=job.requested_by, progress=progress)
        combined, sources = pikepdf.Pdf.new(), []
        try:
            for certificate in certificates:  # the sources stay open until the combined file is written
                with certificate.file.open("rb") as handle:
                    sources.append(pikepdf.open(io.BytesIO(handle.read())))
                combined.pages.extend(sources[-1].pages)
            out = io.BytesIO()
            combined.save(out)
        finally:
            for source in sources:
                source.close()
        return out.getvalue()

    return Document(filename=f"sertifikat-cetak-{slugify(program.name)[:60]}.pdf", render=render,
                    rows=program.enrollments.count(), items=_expected(program))  # fmt: skip


def preview_pdf(program) -> bytes:
    """The certificate of the first complete participant (or the first participant) as it would be issued,
    marked as a preview; nothing is numbered or saved."""
    from evaluations.selectors.completion import complete_enrollments
    from participants.selectors import enrollments_for_program

    enrollment = next(iter(complete_enrollments(program)), None) or enrollments_for_program(program).first()
    if enrollment is None:
        raise Http404
    snapshot = certificate_snapshot(enrollment, program, program_jp(program))
    sample = Certificate(enrollment=enrollment, institution=program.organizer, seq=0, number=_("PREVIEW"),
                         code="preview", issued_at=timezone.now(), **snapshot)  # fmt: skip
    return certificate_pdf(sample, shared_context(program))


def file_response(certificate) -> FileResponse:
    """A certificate's file as a download, named for its holder; a file missing from storage is a 404."""
    if not certificate.file or not certificate.file.storage.exists(certificate.file.name):
        raise Http404
    name = certificate_file_name(certificate)
    response = FileResponse(certificate.file.open("rb"), as_attachment=True, filename=name,
                            content_type="application/pdf")  # fmt: skip
    response["Referrer-Policy"] = "no-referrer"
    return response
