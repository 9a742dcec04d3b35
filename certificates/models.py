"""Certificates: the numbering an institution chooses, the sequences numbers are drawn from (gap-free,
one row locked while numbers are assigned), and each participant's certificate with what it certifies
as it was issued, its public verification code and its revocation."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import DEFAULT_PATTERN, CertificateStatus, NumberingScope


def new_code() -> str:
    """The verification code in the QR: unguessable, not the number (24 URL-safe characters, 144 bits)."""
    return secrets.token_urlsafe(18)


def signing_upload_to(settings_row: "CertificateSettings", filename: str) -> str:
    return f"private/signing/{settings_row.institution_id}/{secrets.token_hex(8)}.p12"


class CertificateSettings(models.Model):
    institution = models.OneToOneField(
        "retreat.Institution",
        on_delete=models.CASCADE,
        related_name="certificate_settings",
        verbose_name=_("institution"),
    )
    number_pattern = models.CharField(
        _("number pattern"), max_length=80, default=DEFAULT_PATTERN,
        help_text=_("{seq} or {seq:04} is the sequence number, {year} the year, {month} the month in Roman numerals, "
                    "{program} the program's number."),
    )  # fmt: skip
    scope = models.CharField(_("sequence"), max_length=10, choices=NumberingScope.choices, default=NumberingScope.YEAR)
    # Electronic signature (PAdES): the institution's PKCS#12 file, kept in storage out of any public folder;
    # its password is never stored in clear (taken from the environment or typed when issuing).
    signing_enabled = models.BooleanField(_("sign certificates electronically"), default=False)
    signing_file = models.FileField(
        upload_to=signing_upload_to, blank=True, max_length=300, verbose_name=_("signing file")
    )
    signing_subject = models.CharField(_("signer"), max_length=300, blank=True)
    signing_valid_until = models.DateTimeField(_("signing certificate valid until"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["signing_file"])

    class Meta:
        verbose_name = _("certificate settings")
        verbose_name_plural = _("certificate settings")

    def __str__(self):
        return f"{self.institution}"


class NumberSequence(models.Model):
    """The last number drawn, per institution and year or per program. Its row is locked while numbers are
    assigned, so two organizers issuing at once wait for each other."""

    institution = models.ForeignKey(
        "retreat.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("year"))
    program = models.ForeignKey(
        "retreat.Program", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("program")
    )
    last = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("certificate number sequence")
        verbose_name_plural = _("certificate number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year"], condition=Q(program__isnull=True), name="certificates_sequence_year"
            ),
            models.UniqueConstraint(
                fields=["program"], condition=Q(program__isnull=False), name="certificates_sequence_program"
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(program__isnull=True, year__isnull=False) | Q(program__isnull=False, year__isnull=True),
                name="certificates_sequence_year_or_program",
            ),
        ]

    def __str__(self):
        return f"{self.institution} · {self.year or self.program_id}: {self.last}"


def certificate_upload_to(certificate: "Certificate", filename: str) -> str:
    return f"certificates/{certificate.enrollment.program_id}/{certificate.code}/{filename}"


class Certificate(models.Model):
    enrollment = models.OneToOneField(
        "participants.Enrollment", on_delete=models.PROTECT, related_name="certificate", verbose_name=_("enrollment")
    )
    institution = models.ForeignKey(
        "retreat.Institution", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("institution")
    )
    sequence = models.ForeignKey(
        NumberSequence, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("sequence")
    )
    seq = models.PositiveIntegerField(verbose_name=_("sequence number"))
    number = models.CharField(_("number"), max_length=80)
    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False, verbose_name=_("code"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by")
    )
    # What the certificate certifies, as issued (a correction is a re-issue: the next revision).
    holder_name = models.CharField(_("name"), max_length=300)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    program_name = models.CharField(_("program"), max_length=250)
    start_date = models.DateField(verbose_name=_("start date"))
    end_date = models.DateField(verbose_name=_("end date"))
    place = models.CharField(_("place"), max_length=300)
    jp = models.PositiveSmallIntegerField(_("JP"), default=0)
    file = models.FileField(upload_to=certificate_upload_to, blank=True, max_length=300, verbose_name=_("file"))
    file_revision = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("file revision")
    )  # the revision the file shows
    history = HistoricalRecords(excluded_fields=["file", "file_revision"])

    class Meta:
        ordering = ["sequence", "seq"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["sequence", "seq"], name="certificates_one_certificate_per_seq"),
            models.UniqueConstraint(fields=["institution", "number"], name="certificates_unique_number"),
        ]

    def __str__(self):
        return self.number

    @property
    def number_shown(self) -> str:
        """The number with its revision mark after a correction: ``…/2025 (Rev. 1)``."""
        return f"{self.number} (Rev. {self.revision})" if self.revision else self.number

    @property
    def valid(self) -> bool:
        return self.status == CertificateStatus.VALID


DEFAULT_BODY = (
    "telah mengikuti {program} yang diselenggarakan oleh {penyelenggara} pada {tanggal} di {tempat} "
    "selama {jp} jam pelajaran (JP)."
)


def design_upload_to(design: "CertificateDesign", filename: str) -> str:
    return f"certificates/designs/{design.program_id}/{secrets.token_hex(6)}-{filename}"


class CertificateDesign(models.Model):
    """What a program's certificates say beyond the participant: the signatory, where and when it is signed,
    and the texts around the name. The built-in layout needs nothing else to look official."""

    program = models.OneToOneField(
        "retreat.Program", on_delete=models.CASCADE, related_name="certificate_design", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=60, default="SERTIFIKAT")
    given = models.CharField(_("line above the name"), max_length=100, default="diberikan kepada")
    body = models.TextField(
        _("text below the name"), max_length=600, default=DEFAULT_BODY,
        help_text=_("{program} the program's name, {penyelenggara} the organizing institution, {tanggal} the dates, "
                    "{tempat} the place, {jp} the hours of learning (JP)."),
    )  # fmt: skip
    background = models.ImageField(_("background image"), upload_to=design_upload_to, blank=True, max_length=300)
    emblem = models.ImageField(
        _("emblem"), upload_to=design_upload_to, blank=True, max_length=300,
        help_text=_("Leave empty to use the institution's logo."),
    )  # fmt: skip
    signing_place = models.CharField(_("place of signing"), max_length=100, blank=True)
    signing_date = models.DateField(_("date of signing"), null=True, blank=True)
    on_behalf = models.CharField(_("on behalf of line"), max_length=200, blank=True,
                                 help_text=_("e.g. a.n. Wali Kota Malang"))  # fmt: skip
    signatory_position = models.CharField(_("signatory's position"), max_length=200, blank=True)
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_rank = models.CharField(_("signatory's rank (pangkat)"), max_length=100, blank=True)
    signatory_nip = models.CharField(_("signatory's NIP"), max_length=18, blank=True)
    signature = models.ImageField(_("signature image"), upload_to=design_upload_to, blank=True, max_length=300)
    second_on_behalf = models.CharField(_("second signatory: on behalf of line"), max_length=200, blank=True)
    second_position = models.CharField(_("second signatory's position"), max_length=200, blank=True)
    second_name = models.CharField(_("second signatory's name"), max_length=200, blank=True)
    second_rank = models.CharField(_("second signatory's rank (pangkat)"), max_length=100, blank=True)
    second_nip = models.CharField(_("second signatory's NIP"), max_length=18, blank=True)
    second_signature = models.ImageField(
        _("second signatory's signature image"), upload_to=design_upload_to, blank=True, max_length=300
    )
    show_agenda = models.BooleanField(_("back page with the learning sessions and their JP"), default=True)
    history = HistoricalRecords(excluded_fields=["background", "emblem", "signature", "second_signature"])

    class Meta:
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")

    def __str__(self):
        return f"{self.program}"


REPORT_TEXTS = ("background", "legal_basis", "purpose", "scope", "problems", "conclusions", "recommendations")


class ReportText(models.Model):
    """What the organizer writes for the post-retreat report (laporan pelaksanaan); an empty text is
    replaced by a default built from the program when the report is made."""

    program = models.OneToOneField(
        "retreat.Program", on_delete=models.CASCADE, related_name="report_text", verbose_name=_("program")
    )
    background = models.TextField(_("background"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True, help_text=_("One regulation per line."))
    purpose = models.TextField(_("purpose"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    problems = models.TextField(_("problems and solutions"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")

    def __str__(self):
        return f"{self.program}"


def report_photo_upload_to(photo: "ReportPhoto", filename: str) -> str:
    return f"reports/{photo.program_id}/{secrets.token_hex(6)}-{filename}"


class ReportPhoto(models.Model):
    """A photo of the retreat for the report's appendix (at most 20 a program, resized when uploaded)."""

    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="report_photos", verbose_name=_("program")
    )
    image = models.ImageField(_("photo"), upload_to=report_photo_upload_to, max_length=300)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self):
        return self.caption or self.image.name
