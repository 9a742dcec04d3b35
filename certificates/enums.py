from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberingScope(models.TextChoices):
    YEAR = "year", _("One sequence per institution and year")
    PROGRAM = "program", _("One sequence per program")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


DEFAULT_PATTERN = "800.2.4/{seq:04}/BKPSDM/{year}"
