from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    PEMKOT = "pemkot", _("City government (Pemkot)")
    PEMKAB = "pemkab", _("Regency government (Pemkab)")
    PEMPROV = "pemprov", _("Provincial government (Pemprov)")
    BPSDMD = "bpsdmd", _("Regional HR development agency (BPSDMD)")
    KEMENTERIAN = "kementerian", _("Ministry or national agency")
    LAINNYA = "lainnya", _("Other")


class TimeZone(models.TextChoices):
    """Indonesia's three zones; no daylight saving. The label is the suffix printed after times."""

    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


class Role(models.TextChoices):
    ADMIN = "admin", _("Institution admin")
    ORGANIZER = "organizer", _("Organizer (panitia)")
    FACILITATOR = "facilitator", _("Facilitator (pendamping)")
    LEADER = "leader", _("Leader (read-only)")


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
