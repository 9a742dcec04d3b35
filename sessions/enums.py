from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    APEL = "apel", _("Assembly / ceremony (apel, upacara)")
    MATERI = "materi", _("Lecture (materi)")
    DISKUSI = "diskusi", _("Group discussion")
    STUDI_KASUS = "studi_kasus", _("Case study")
    OUTBOUND = "outbound", _("Teamwork / outbound")
    OLAHRAGA = "olahraga", _("Physical training (PT)")
    BINA_MENTAL = "bina_mental", _("Character building (bina mental)")
    REFLEKSI = "refleksi", _("Reflection")
    ISHOMA = "ishoma", _("Rest, prayer, meal (ISHOMA)")
    IBADAH = "ibadah", _("Worship")
    REGISTRASI = "registrasi", _("Arrival and registration")
    OTHER = "other", _("Other")


class DressCode(models.TextChoices):
    PDH = "pdh", _("PDH (khaki)")
    KEMEJA_PUTIH = "kemeja_putih", _("White shirt, dark trousers")
    BATIK = "batik", _("Batik")
    PDL = "pdl", _("PDL (field uniform)")
    OLAHRAGA = "olahraga", _("Sportswear")
    LORENG = "loreng", _("Camouflage")
    BEBAS = "bebas", _("Casual")


class VenueKind(models.TextChoices):
    ROOM = "room", _("Room")
    HALL = "hall", _("Hall")
    FIELD = "field", _("Field")
    OTHER = "other", _("Other")
