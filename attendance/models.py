import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from retreat.tokens import new_access_token

from .enums import STATUS_LETTERS, AttendanceStatus, CheckinMethod, PaperSize


class AttendanceSettings(models.Model):
    """A program's attendance rules and the officer who signs its attendance sheets."""

    program = models.OneToOneField(
        "retreat.Program", on_delete=models.CASCADE, related_name="attendance_settings", verbose_name=_("program")
    )
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace period (minutes)"),
        default=15,
        validators=[MaxValueValidator(240)],
        help_text=_("A check-in later than the session's start plus this is late (terlambat)."),
    )
    paper_size = models.CharField(_("paper size"), max_length=2, choices=PaperSize.choices, default=PaperSize.A4)
    officer_name = models.CharField(_("officer's name"), max_length=200, blank=True)
    officer_nip = models.CharField(_("officer's NIP"), max_length=18, blank=True)
    officer_position = models.CharField(_("officer's position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance settings")
        verbose_name_plural = _("attendance settings")

    def __str__(self):
        return str(self.program)


class Register(models.Model):
    """A session's register: open for check-ins until an organizer closes it."""

    session = models.OneToOneField(
        "retreat_sessions.Session", on_delete=models.CASCADE, related_name="register", verbose_name=_("session")
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    self_checkin = models.BooleanField(_("self check-in"), default=False)
    # Signs the six-digit codes of the room's screen; never shown.
    secret = models.CharField(max_length=64, default=new_access_token, editable=False, verbose_name=_("secret"))
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")

    def __str__(self):
        return str(self.session)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class AttendanceRecord(models.Model):
    """One participant at one session. Every change is kept in its history, with who and why."""

    session = models.ForeignKey(
        "retreat_sessions.Session",
        on_delete=models.CASCADE,
        related_name="attendance_records",
        verbose_name=_("session"),
    )
    enrollment = models.ForeignKey(
        "participants.Enrollment",
        on_delete=models.CASCADE,
        related_name="attendance_records",
        verbose_name=_("enrollment"),
    )
    status = models.CharField(_("status"), max_length=20, choices=AttendanceStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    method = models.CharField(_("how"), max_length=20, choices=CheckinMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    occurred_at = models.DateTimeField(_("when (on the phone)"))
    received_at = models.DateTimeField(_("when (received)"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "enrollment"]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="attendance_one_record_per_session"),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.IZIN, note=""),
                name="attendance_izin_has_a_note",
                violation_error_message=_("An excused absence (izin) needs a note."),
            ),
        ]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")

    def __str__(self):
        return f"{self.enrollment} · {self.session} · {self.get_status_display()}"

    @property
    def letter(self) -> str:
        """H, T, I, S, DL or A, as the recap prints it."""
        return STATUS_LETTERS.get(self.status, "")


class AppliedCheckin(models.Model):
    """The id a phone gave a check-in, kept once it is applied: a batch sent again changes nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id"))
    record = models.ForeignKey(
        AttendanceRecord, on_delete=models.CASCADE, null=True, related_name="+", verbose_name=_("record")
    )
    outcome = models.CharField(max_length=20, verbose_name=_("outcome"))
    applied_at = models.DateTimeField(auto_now_add=True, verbose_name=_("applied at"))

    class Meta:
        verbose_name = _("applied check-in")
        verbose_name_plural = _("applied check-ins")

    def __str__(self):
        return f"{self.pk} · {self.outcome}"
