import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .documents import label_for, validate_kind
from .enums import InstitutionKind, JobStatus, ProgramStatus, Role, TimeZone


class User(AbstractUser):
    """The project's user from the first migration, so fields can be added without a swap later."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    must_change_password = models.BooleanField(
        _("must choose a new password"), default=False,
        help_text=_("Set while the user's password is a temporary one an admin gave; they choose their own before "
                    "anything else."),
    )  # fmt: skip

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=InstitutionKind.choices)
    letterhead_lines = models.TextField(
        _("letterhead lines"),
        help_text=_("One line per row, top to bottom, as printed on the letterhead (kop surat)."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=100, blank=True)
    logo = models.ImageField(_("logo"), upload_to="institutions/", blank=True)
    timezone = models.CharField(_("default time zone"), max_length=40, choices=TimeZone.choices, default=TimeZone.WIB)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return self.short_name or self.name

    @property
    def letterhead(self) -> list[str]:
        return [line.strip() for line in self.letterhead_lines.splitlines() if line.strip()]


class Membership(models.Model):
    """A user's role in one institution. One role per user and institution."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("institution")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "institution"], name="membership_unique_user_institution")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} · {self.institution} · {self.get_role_display()}"


class Program(models.Model):
    organizer = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="organized_programs",
        verbose_name=_("organizing institution"),
    )
    partner = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="partnered_programs",
        null=True,
        blank=True,
        verbose_name=_("hosting or partner institution"),
    )
    name = models.CharField(_("name"), max_length=250)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    venue_name = models.CharField(_("venue"), max_length=200)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    timezone = models.CharField(_("time zone"), max_length=40, choices=TimeZone.choices, default=TimeZone.WIB)
    status = models.CharField(_("status"), max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT)
    min_attendance_pct = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    calendar_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False, verbose_name=_("calendar token")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="program_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(condition=Q(min_attendance_pct__lte=100), name="program_min_attendance_pct_lte_100"),
            models.CheckConstraint(
                condition=~Q(partner=F("organizer")),
                name="program_partner_not_organizer",
                violation_error_message=_("The partner institution must differ from the organizing institution."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def tz_abbreviation(self) -> str:
        return TimeZone(self.timezone).label

    @property
    def days(self) -> list:
        """Every date of the program, first to last."""
        return [self.start_date + dt.timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]

    @property
    def institution_ids(self) -> set[int]:
        return {pk for pk in (self.organizer_id, self.partner_id) if pk}


class Cohort(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("program"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["program", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="cohort_unique_name_per_program")]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self):
        return self.name


def document_upload_to(job: "DocumentJob", filename: str) -> str:
    # One folder per job: a rerun of the same job replaces its own file and never adds a second one.
    return f"documents/{job.pk}/{filename}"


class DocumentJob(models.Model):
    """A document someone asked for, rendered in the background. Status is the single source of truth."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id"))
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="document_jobs", verbose_name=_("program")
    )
    # One of the kinds the apps register in their documents.py (retreat/documents.py), checked on request.
    kind = models.CharField(_("kind"), max_length=40, validators=[validate_kind])
    # What the request said about the document (a session, a day...): the keys its type declares.
    params = models.JSONField(default=dict, blank=True, verbose_name=_("parameters"))
    rows = models.PositiveIntegerField(default=0, verbose_name=_("rows"))
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0, verbose_name=_("progress done"))
    progress_total = models.PositiveIntegerField(default=0, verbose_name=_("progress total"))
    # The document counts items as it goes (certificates, say): progress_done - 1 of progress_total - 1.
    progress_items = models.BooleanField(default=False, verbose_name=_("progress items"))
    file = models.FileField(upload_to=document_upload_to, blank=True, max_length=300, verbose_name=_("file"))
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="document_jobs",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "kind", "-created_at"], name="docjob_program_kind_created")]
        verbose_name = _("document job")
        verbose_name_plural = _("document jobs")

    def __str__(self):
        return f"{self.kind_label} · {self.program} · {self.get_status_display()}"

    @property
    def kind_label(self) -> str:
        return label_for(self.kind)

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def file_format(self) -> str:
        """PDF, ZIP …: what the download holds, from its file name."""
        return self.file.name.rsplit(".", 1)[-1].upper() if self.file and "." in self.file.name else "PDF"

    @property
    def items(self) -> tuple[int, int] | None:
        """(done, total) items when the document counts them, e.g. 123 of 500 certificates."""
        if not self.progress_items or self.progress_total < 2:
            return None
        return max(0, self.progress_done - 1), self.progress_total - 1

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(99, round(100 * self.progress_done / self.progress_total))


class ExportRecord(models.Model):
    """Who took which personal data out of the app, and when: every export and document download."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="exports", verbose_name=_("program"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="exports", verbose_name=_("user")
    )
    what = models.CharField(_("what"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "-created_at"], name="export_program_created")]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.what} ({self.file_format}) · {self.user} · {self.created_at:%Y-%m-%d %H:%M}"
