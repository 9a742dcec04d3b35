from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantType(models.TextChoices):
    PNS = "pns", "PNS"
    PPPK = "pppk", "PPPK"
    NON_ASN = "non_asn", _("Non-ASN")
    TNI_POLRI = "tni_polri", "TNI/Polri"


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Golongan(models.TextChoices):
    I_A = "I/a", "I/a Juru Muda"
    I_B = "I/b", "I/b Juru Muda Tingkat I"
    I_C = "I/c", "I/c Juru"
    I_D = "I/d", "I/d Juru Tingkat I"
    II_A = "II/a", "II/a Pengatur Muda"
    II_B = "II/b", "II/b Pengatur Muda Tingkat I"
    II_C = "II/c", "II/c Pengatur"
    II_D = "II/d", "II/d Pengatur Tingkat I"
    III_A = "III/a", "III/a Penata Muda"
    III_B = "III/b", "III/b Penata Muda Tingkat I"
    III_C = "III/c", "III/c Penata"
    III_D = "III/d", "III/d Penata Tingkat I"
    IV_A = "IV/a", "IV/a Pembina"
    IV_B = "IV/b", "IV/b Pembina Tingkat I"
    IV_C = "IV/c", "IV/c Pembina Utama Muda"
    IV_D = "IV/d", "IV/d Pembina Utama Madya"
    IV_E = "IV/e", "IV/e Pembina Utama"


class Eselon(models.TextChoices):
    I_A = "I.a", "I.a"
    I_B = "I.b", "I.b"
    II_A = "II.a", "II.a"
    II_B = "II.b", "II.b"
    III_A = "III.a", "III.a"
    III_B = "III.b", "III.b"
    IV_A = "IV.a", "IV.a"
    IV_B = "IV.b", "IV.b"


class PositionCategory(models.TextChoices):
    JPT_UTAMA = "jpt_utama", "JPT Utama"
    JPT_MADYA = "jpt_madya", "JPT Madya"
    JPT_PRATAMA = "jpt_pratama", "JPT Pratama"
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Supervisor (Pengawas)")
    FUNGSIONAL = "fungsional", _("Functional (Fungsional)")
    PELAKSANA = "pelaksana", _("Executive staff (Pelaksana)")
    NON_ASN = "non_asn", _("Non-ASN")


class RetreatRole(models.TextChoices):
    SEKDA = "sekda", _("Regional secretary (Sekda)")
    STAF_AHLI = "staf_ahli", _("Expert staff (Staf Ahli)")
    ASISTEN = "asisten", _("Assistant (Asisten)")
    KEPALA_PD = "kepala_pd", _("Head of regional agency (Kepala Perangkat Daerah)")
    DIREKTUR_BUMD = "direktur_bumd", _("Director of regional enterprise (Direktur BUMD)")
    CAMAT = "camat", _("District head (Camat)")
    LURAH = "lurah", _("Village head (Lurah)")
    JPT_PRATAMA = "jpt_pratama", "JPT Pratama"
    OTHER = "other", _("Other")


class EnrollmentStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    PRESENT = "present", _("Present")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REPLACED = "replaced", _("Replaced")


# Enrollments that count as the program's participants (not withdrawn or replaced).
ACTIVE_STATUSES = (EnrollmentStatus.INVITED, EnrollmentStatus.CONFIRMED, EnrollmentStatus.PRESENT)


class PppkGrade(models.TextChoices):
    I = "I", "I"  # noqa: E741
    II = "II", "II"
    III = "III", "III"
    IV = "IV", "IV"
    V = "V", "V"
    VI = "VI", "VI"
    VII = "VII", "VII"
    VIII = "VIII", "VIII"
    IX = "IX", "IX"
    X = "X", "X"
    XI = "XI", "XI"
    XII = "XII", "XII"
    XIII = "XIII", "XIII"
    XIV = "XIV", "XIV"
    XV = "XV", "XV"
    XVI = "XVI", "XVI"
    XVII = "XVII", "XVII"


class UniformSize(models.TextChoices):
    S = "S", "S"
    M = "M", "M"
    L = "L", "L"
    XL = "XL", "XL"
    XXL = "XXL", "XXL"
    XXXL = "XXXL", "XXXL"
