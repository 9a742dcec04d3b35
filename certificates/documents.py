"""Certificate files: one PDF per participant (A4 landscape: the program's design or the built-in one with
the institution's emblem, one or two signatories and a QR code to the public verification page; optionally
a back page with the learning sessions and their JP), kept on the certificate; the issue job makes the
missing ones and hands back a ZIP of all, or one PDF of all for printing. A job run again (or taken over
after its worker died) makes only what is still missing: nothing twice, numbers unchanged.

What every certificate shares is laid out once; what is each person's own (number, name, identifiers,
predicate, QR: text and vector, no images) is laid out in chunks of pages and drawn over a copy of the
shared page with pikepdf, one file per person, signed last when the institution signs electronically.
Splitting the person layer is safe because it carries no images; the shared page's images are copied into
each file once."""

import io
import posixpath
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.enums import band
from evaluations.selectors.assessment import assessment_scores
from retreat.documents import Document, DocumentError, letterhead_context, register
from retreat.identity import format_nip
from retreat.links import verify_url
from retreat.pdf import html_pdf, process_pool, render_html
from sessions.selectors import sessions_for_program

from .enums import CertificateStatus
from .models import Certificate, CertificateDesign, certificate_upload_to
from .selectors import program_jp
from .services import certificate_changed, certificate_snapshot, certificates_number
from .texts import body_text

CERTIFICATES = "certificates"
CERTIFICATES_PRINT = "certificates_print"
TEMPLATE = "certificates/pdf/certificate.html"
CHUNK = 50  # person layers laid out together (their fonts are subset once for the chunk)
MAIN_SIGNATURE = "sign-main"  # where the main signatory signs: the electronic signature's visible field
QR_PLACE = "qr-place"  # the static page's empty place for the QR code


def design_for(program) -> CertificateDesign:
    return CertificateDesign.objects.filter(program=program).first() or CertificateDesign(program=program)


def qr_content(url: str, box: tuple[float, float, float, float]) -> bytes:
    """PDF drawing operators for the QR code of ``url`` filling ``box`` (points, from the bottom left), on a
    white ground with a quiet zone: vector, one path of the dark runs of each row (no image, no SVG to lay
    out)."""
    import segno

    matrix = segno.make(url, error="m").matrix
    x0, y0, x1, y1 = box
    size = min(x1 - x0, y1 - y0)
    n = len(matrix)
    module = size / (n + 2)  # a quiet zone of one module each side, inside the box
    left, top = x0 + module, y0 + size - module
    ops = [f"q 1 g {x0:.3f} {y0:.3f} {size:.3f} {size:.3f} re f 0 g"]
    for row, cells in enumerate(matrix):
        column = 0
        while column < n:
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < n and cells[column]:
                column += 1
            ops.append(f"{left + start * module:.3f} {top - (row + 1) * module:.3f} "
                       f"{(column - start) * module:.3f} {module:.3f} re")  # fmt: skip
    ops.append("f Q\n")
    return "\n".join(ops).encode()


def default_place(institution) -> str:
    """Where an institution signs, unless the design says: "Pemkot Malang" signs in "Malang"."""
    name = institution.short_name or institution.name
    prefixes = ("Pemerintah Kota ", "Pemerintah Kabupaten ", "Pemerintah Provinsi ", "Pemkot ", "Pemkab ", "Pemprov ")
    for prefix in prefixes:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _media_url(file, what: str) -> str:
    """The URL the PDF reads an uploaded image from; one missing from storage stops the document."""
    if not file:
        return ""
    if not file.storage.exists(file.name):
        raise DocumentError(_("The %(what)s of the certificate design is missing from storage (%(file)s): upload it "
                              "again.") % {"what": what, "file": file.name})  # fmt: skip
    return file.url


def _signatories(design, institution, *, electronic: bool) -> list[dict]:
    """Who signs, left to right: the second signatory (if any), then the main one, who dates the certificate
    and, when certificates are signed electronically, signs in the visible field instead of an image."""
    main = {"on_behalf": design.on_behalf, "position": design.signatory_position or institution.name,
            "name": design.signatory_name, "rank": design.signatory_rank, "nip": design.signatory_nip,
            "signature_url": "" if electronic else _media_url(design.signature, _("signature image")),
            "space_id": MAIN_SIGNATURE}  # fmt: skip
    if not (design.second_name or design.second_position):
        return [main]
    second = {"on_behalf": design.second_on_behalf, "position": design.second_position, "name": design.second_name,
              "rank": design.second_rank, "nip": design.second_nip,
              "signature_url": _media_url(design.second_signature, _("second signature image")),
              "space_id": "sign-second"}  # fmt: skip
    return [second, main]


def shared_context(program, *, tte_footer: str = "") -> dict:
    """What every certificate of the program shares, whatever it certifies."""
    design = design_for(program)
    letterhead = letterhead_context(program.organizer)
    emblem = _media_url(design.emblem, _("emblem"))
    return {
        **letterhead,
        "emblem_url": emblem or letterhead["logo_url"],
        "background_url": _media_url(design.background, _("background image")),
        "signing_place": design.signing_place or default_place(program.organizer),
        "signing_date": design.signing_date or program.end_date,
        "signatories": _signatories(design, program.organizer, electronic=bool(tte_footer)),
        "tte_footer": tte_footer,
        "program": program,
        "design": design,
        "learning": [s for s in sessions_for_program(program) if s.jp],
        "scores": assessment_scores(program),
    }  # fmt: skip


def _static_key(certificate) -> tuple:
    """What the static page says of the program (as the certificate certifies it): certificates issued
    before a correction of the program may differ from later ones."""
    c = certificate
    return (c.program_name, c.start_date, c.end_date, c.place, c.jp)


def _by_static_page(shared: dict, certificates):
    """The certificates grouped by the static page they share, in order: (static context, its pages laid
    out once, the group's certificates)."""
    groups: dict[tuple, list] = {}
    for certificate in certificates:
        groups.setdefault(_static_key(certificate), []).append(certificate)
    for group in groups.values():
        static = static_context(shared, group[0])
        yield static, _Static(render_html(TEMPLATE, {**static, "layer": "static"})), group


def static_context(shared: dict, certificate) -> dict:
    with translation.override("id"):
        body = body_text(shared["design"].body, program_name=certificate.program_name,
                         institution=shared["institution"].name, start_date=certificate.start_date,
                         end_date=certificate.end_date, place=certificate.place, jp=certificate.jp)  # fmt: skip
    return {**shared, "body": body, "program_name": certificate.program_name, "jp": certificate.jp}


def person(certificate, shared: dict) -> dict:
    """What is the certificate's own: the person layer's fields."""
    enrollment = certificate.enrollment
    participant = enrollment.participant
    score = shared["scores"].get(enrollment.pk)
    return {
        "number": certificate.number_shown,
        "name": certificate.holder_name,
        "nip": format_nip(certificate.nip),
        "rank": participant.get_golongan_display() if participant.golongan else "",
        "position": participant.position_title,
        "unit": participant.unit_line,
        "predicate": band(score) if score is not None else "",
    }


def certificate_pdf(certificate, shared: dict) -> bytes:
    """One certificate made as the issue job makes it, unsigned (the preview)."""
    import pikepdf

    ((static, pages, _group),) = _by_static_page(shared, [certificate])
    layer_pdf = html_pdf(_person_html([certificate], shared, static))[0]
    with pikepdf.open(io.BytesIO(layer_pdf)) as layer, pikepdf.open(io.BytesIO(pages.pdf)) as static_pdf:
        return _compose(layer.pages[0], static_pdf, qr_content(verify_url(certificate.code), pages.qr_box))


def signature_field(space: tuple) -> tuple[float, float, float, float]:
    """The visible signature field: 60 mm wide, as tall as the signatory's space (18 mm at most), in its
    middle."""
    x0, y0, x1, y1 = space
    width, height = 60 * 72 / 25.4, min(y1 - y0, 18 * 72 / 25.4)
    middle_x, middle_y = (x0 + x1) / 2, (y0 + y1) / 2
    return (middle_x - width / 2, middle_y - height / 2, middle_x + width / 2, middle_y + height / 2)


def _points(box, page_height: float) -> tuple[float, float, float, float]:
    """A box in CSS pixels from the top left (WeasyPrint's anchors) in PDF points from the bottom left."""
    x0, y0, x1, y1 = box
    return (x0 * 0.75, page_height - y1 * 0.75, x1 * 0.75, page_height - y0 * 0.75)


class _Static:
    """The static pages of one kind of certificate (front and, if any, back), laid out once."""

    def __init__(self, html: str):
        import pikepdf

        self.pdf, anchors = html_pdf(html)
        with pikepdf.open(io.BytesIO(self.pdf)) as opened:
            height = float(opened.pages[0].mediabox[3])
        box = anchors[0].get(MAIN_SIGNATURE)
        self.signature_box = _points(box, height) if box else None
        self.qr_box = _points(anchors[0][QR_PLACE], height)


# What the pool's processes need besides their input: set before they start (they are forked), so a signing
# key is loaded once per job and never passed around.
_signer = None


def _compose(page, static, qr: bytes) -> bytes:
    """One certificate file: a copy of the static pages, ``page`` (a person layer's) drawn over the front,
    then its QR code."""
    import pikepdf

    with pikepdf.Pdf.new() as single:
        single.pages.extend(static.pages)
        front = single.pages[0]
        front.add_overlay(single.copy_foreign(page.as_form_xobject()))
        front.contents_add(b"q\n", prepend=True)
        front.contents_add(b"Q\n" + qr)
        buffer = io.BytesIO()
        single.save(buffer)
    return buffer.getvalue()


def _files(work: tuple[str, list[str], bytes, tuple]) -> list[bytes]:
    """One PDF per page of a chunk's person layer (``urls``: each one's verification address), signed last:
    nothing changes a file after its signature."""
    import pikepdf

    html, urls, static_pdf, qr_box = work
    out = []
    with pikepdf.open(io.BytesIO(html_pdf(html)[0])) as layer, pikepdf.open(io.BytesIO(static_pdf)) as static:
        for page, url in zip(layer.pages, urls, strict=True):
            data = _compose(page, static, qr_content(url, qr_box))
            out.append(_signer.sign(data) if _signer is not None else data)
    return out


def _layer(html: str) -> bytes:
    return html_pdf(html)[0]


def _chunks(items: list, processes: int) -> list[list]:
    """Chunks of at most CHUNK, at least four a process when there are enough items (a small program still
    uses every process, and progress moves more than once)."""
    size = min(CHUNK, max(10, -(-len(items) // (4 * max(1, processes)))))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _person_html(chunk: list, shared: dict, static: dict) -> str:
    return render_html(TEMPLATE, {**static, "layer": "person", "people": [person(c, shared) for c in chunk]})


def _made(certificate) -> bool:
    """Whether the certificate's file is there and shows its latest revision."""
    file = certificate.file
    return bool(file) and certificate.file_revision == certificate.revision and file.storage.exists(file.name)


def _keep(made: list[tuple[Certificate, bytes]]) -> None:
    """Save a chunk's files, then record them in one transaction; a certificate another delivery of the job
    made meanwhile keeps that file and this one is deleted. Files of an older revision, or left by a worker
    killed between writing and recording, are deleted once the new file is recorded."""
    storage = default_storage
    written = {c.pk: storage.save(certificate_upload_to(c, certificate_file_name(c)), ContentFile(data))
               for c, data in made}  # fmt: skip
    kept = {}
    with transaction.atomic():
        fresh = Certificate.objects.select_for_update().filter(pk__in=written).order_by("pk")
        changed = []
        for certificate in fresh:
            if _made(certificate):  # another delivery made it meanwhile
                kept[certificate.pk] = certificate.file.name
                continue
            certificate.file.name, certificate.file_revision = written[certificate.pk], certificate.revision
            kept[certificate.pk] = certificate.file.name
            changed.append(certificate)
            certificate_changed(certificate.enrollment_id)
        Certificate.objects.bulk_update(changed, ["file", "file_revision"])
    for certificate, _data in made:
        certificate.file.name, certificate.file_revision = kept[certificate.pk], certificate.revision
        folder = posixpath.dirname(kept[certificate.pk])
        for name in storage.listdir(folder)[1]:
            if posixpath.join(folder, name) != kept[certificate.pk]:
                storage.delete(posixpath.join(folder, name))


def certificate_file_name(certificate) -> str:
    return f"sertifikat-{slugify(certificate.holder_name)[:60]}-{certificate.seq:04d}.pdf"


def _valid_certificates(program, enrollments=None) -> list[Certificate]:
    found = Certificate.objects.filter(enrollment__program=program, status=CertificateStatus.VALID)
    if enrollments is not None:
        found = found.filter(enrollment__in=enrollments)
    return list(found.select_related("enrollment__participant", "enrollment__program", "institution").order_by("seq"))


def certificates_make(program, *, user=None, progress=None, password: str | None = None, enrollments=None,
                      processes=None) -> list[Certificate]:  # fmt: skip
    """Number the complete participants who have no number yet (of ``enrollments`` only, when given: a
    chosen few), then make every valid certificate's file that is missing or shows an older revision: the
    static page laid out once, the person layers in chunks on ``processes`` processes, each chunk's files
    saved as soon as they are made (a job taken over after its worker died makes only what is still
    missing). When the institution signs electronically, each file is signed last, with the ``password``
    typed or else the one from the environment."""
    global _signer
    certificates_number(program=program, user=user, enrollments=enrollments)
    certificates = _valid_certificates(program, enrollments)
    if not certificates:
        raise DocumentError(_("No participant has completed the program yet: there is no certificate to make."))
    todo = [c for c in certificates if not _made(c)]
    done = len(certificates) - len(todo)
    if progress and done:
        progress(done)  # already made: counted at once
    if not todo:
        return certificates
    from .signing import footer_text, signer_for

    processes = processes or settings.PDF_PROCESSES
    signer = signer_for(program.organizer, password=password)  # None unless it signs; a clear error if it can't
    shared = shared_context(program, tte_footer=footer_text(signer) if signer else "")
    try:
        with process_pool(processes) as run:
            for static, pages, group in _by_static_page(shared, todo):
                if signer is not None:  # in the main signatory's space; set before the processes start
                    _signer = signer.placed(signature_field(pages.signature_box))
                chunks = _chunks(group, processes)
                for start in range(0, len(chunks), processes):  # saved and counted as each round comes back
                    batch = chunks[start : start + processes]
                    work = [(_person_html(chunk, shared, static), [verify_url(c.code) for c in chunk], pages.pdf,
                             pages.qr_box) for chunk in batch]  # fmt: skip
                    for chunk, files in zip(batch, run(_files, work), strict=True):
                        _keep(list(zip(chunk, files, strict=True)))
                        done += len(chunk)
                        if progress:
                            progress(done)
    finally:
        _signer = None
    return certificates


def certificates_print_pdf(program, *, enrollments=None, processes=None) -> bytes:
    """Every valid certificate in one PDF for printing (front, then back if any): made from the layers, so
    the static page's images are in the file once. Never made from signed files (nothing is merged after a
    signature); a printed certificate is signed by hand or carries its QR."""
    import pikepdf

    certificates = _valid_certificates(program, enrollments)
    processes = processes or settings.PDF_PROCESSES
    shared = shared_context(program)
    combined = pikepdf.Pdf.new()
    sources = []
    try:
        with process_pool(processes) as run:
            for static, pages, group in _by_static_page(shared, certificates):
                sources.append(pikepdf.open(io.BytesIO(pages.pdf)))
                forms = [combined.copy_foreign(page.as_form_xobject()) for page in sources[-1].pages]
                size = sources[-1].pages[0].mediabox
                chunks = _chunks(group, processes)
                layers = run(_layer, [_person_html(chunk, shared, static) for chunk in chunks])
                for chunk, layer_pdf in zip(chunks, layers, strict=True):
                    sources.append(pikepdf.open(io.BytesIO(layer_pdf)))
                    for certificate, page in zip(chunk, sources[-1].pages, strict=True):
                        for n, form in enumerate(forms):
                            combined.add_blank_page(page_size=(float(size[2]), float(size[3])))
                            combined.pages[-1].add_overlay(form)
                            if n == 0:
                                combined.pages[-1].add_overlay(combined.copy_foreign(page.as_form_xobject()))
                                combined.pages[-1].contents_add(qr_content(verify_url(certificate.code), pages.qr_box))
        out = io.BytesIO()
        combined.save(out)
    finally:
        for source in sources:
            source.close()
    return out.getvalue()


def _expected(program, enrollments=None) -> int:
    """How many certificates the job will hold: the valid ones and the complete participants without one
    (of ``enrollments`` only, when given)."""
    from evaluations.selectors.completion import complete_enrollments

    certificates = Certificate.objects.filter(enrollment__program=program)
    complete = complete_enrollments(program)
    if enrollments is not None:
        certificates = certificates.filter(enrollment__in=enrollments)
        complete = [e for e in complete if e.pk in set(enrollments)]
    have = set(certificates.values_list("enrollment_id", flat=True))
    valid = certificates.filter(status=CertificateStatus.VALID).count()
    return valid + sum(1 for e in complete if e.pk not in have)


SIGNING = "_signing"  # a job's signing password, sealed (certificates.signing.seal_password), set by IssueView
CHOSEN = "_enrollments"  # the enrollments chosen on the certificates page (ids), set by IssueView; all if absent


def _chosen(job) -> list[int] | None:
    chosen = job.params.get(CHOSEN)
    return [int(pk) for pk in chosen] if chosen else None


def _typed_password(job) -> str | None:
    """The signing password typed for the job, opened; None when none was typed."""
    from .signing import open_password

    token = job.params.get(SIGNING)
    return open_password(token) if token else None


def _forget_password(job) -> None:
    """Once the files are made (or can't be), the sealed password leaves the job's row. A job whose worker
    was killed keeps it, so that the job can finish when a worker takes it over."""
    if SIGNING in job.params:
        params = {key: value for key, value in job.params.items() if key != SIGNING}
        type(job).objects.filter(pk=job.pk).update(params=params)
        job.params = params


def _make_for_job(job, progress) -> list[Certificate]:
    try:
        return certificates_make(job.program, user=job.requested_by, progress=progress,
                                 password=_typed_password(job), enrollments=_chosen(job))  # fmt: skip
    finally:
        _forget_password(job)


@register(CERTIFICATES, label=gettext_lazy("Certificates (ZIP of one PDF each)"), params=(SIGNING, CHOSEN))
def certificates_zip(job) -> Document:
    program = job.program

    def render(progress) -> bytes:
        certificates = _make_for_job(job, progress)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
            for certificate in certificates:
                with certificate.file.open("rb") as pdf:
                    archive.writestr(certificate_file_name(certificate), pdf.read())
        return out.getvalue()

    chosen = _chosen(job)
    return Document(filename=f"sertifikat-{slugify(program.name)[:60]}.zip", render=render,
                    rows=len(chosen or program.enrollments.all()), items=_expected(program, chosen))  # fmt: skip


@register(CERTIFICATES_PRINT, label=gettext_lazy("Certificates for printing (one PDF)"), params=(SIGNING, CHOSEN))
def certificates_print(job) -> Document:
    program = job.program

    def render(progress) -> bytes:
        _make_for_job(job, progress)
        return certificates_print_pdf(program, enrollments=_chosen(job))

    chosen = _chosen(job)
    return Document(filename=f"sertifikat-cetak-{slugify(program.name)[:60]}.pdf", render=render,
                    rows=len(chosen or program.enrollments.all()), items=_expected(program, chosen))  # fmt: skip


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
