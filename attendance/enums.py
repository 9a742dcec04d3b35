from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    HADIR = "hadir", _("Present")
    TERLAMBAT = "terlambat", _("Late")
    IZIN = "izin", _("Excused (izin)")
    SAKIT = "sakit", _("Sick")
    DINAS_LUAR = "dinas_luar", _("On duty elsewhere")
    ALPA = "alpa", _("Absent without notice")


PRESENT = frozenset({AttendanceStatus.HADIR, AttendanceStatus.TERLAMBAT})
EXCUSED = frozenset({AttendanceStatus.IZIN, AttendanceStatus.SAKIT, AttendanceStatus.DINAS_LUAR})

# The letter on a roll-call button and in the recap matrix.
STATUS_LETTERS = {
    AttendanceStatus.HADIR: "H",
    AttendanceStatus.TERLAMBAT: "T",
    AttendanceStatus.IZIN: "I",
    AttendanceStatus.SAKIT: "S",
    AttendanceStatus.DINAS_LUAR: "DL",
    AttendanceStatus.ALPA: "A",
}


class CheckinMethod(models.TextChoices):
    QR = "qr", _("QR scan")
    ROLL_CALL = "roll_call", _("Roll call")
    SELF = "self", _("Self check-in")
    CORRECTION = "correction", _("Correction")
    CLOSING = "closing", _("Register closed")


class PaperSize(models.TextChoices):
    A4 = "A4", "A4 (210 × 297 mm)"
    F4 = "F4", "F4 (215 × 330 mm)"
