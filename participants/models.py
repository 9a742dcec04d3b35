from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import EnrollmentStatus, Eselon, Golongan, ParticipantType, PositionCategory, RetreatRole, Sex
from .identity import format_nip, parse_asn_number


class Participant(models.Model):
    """A person in an institution's registry, reused across its programs."""

    institution = models.ForeignKey("retreat.Institution", on_delete=models.CASCADE, related_name="participants")
    participant_type = models.CharField(
        _("participant type"), max_length=20, choices=ParticipantType.choices, default=ParticipantType.PNS
    )
    nip = models.CharField(_("NIP / NI PPPK"), max_length=18, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    front_title = models.CharField(_("front title"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=150)
    back_title = models.CharField(_("back title"), max_length=80, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    golongan = models.CharField(_("rank (golongan/ruang)"), max_length=6, choices=Golongan.choices, blank=True)
    eselon = models.CharField(_("echelon"), max_length=6, choices=Eselon.choices, blank=True)
    position_category = models.CharField(
        _("position category"), max_length=20, choices=PositionCategory.choices, blank=True
    )
    position_title = models.CharField(_("position"), max_length=200, blank=True)
    unit_name = models.CharField(_("work unit"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "nip"], condition=~Q(nip=""), name="participant_unique_nip_per_institution"
            ),
            models.UniqueConstraint(
                fields=["institution", "nik"], condition=~Q(nik=""), name="participant_unique_nik_per_institution"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """`Dr. Ir. H. Bambang Sutrisno, M.Si.`: front titles, name, then a comma and back titles."""
        name = " ".join(part for part in (self.front_title, self.name) if part)
        return f"{name}, {self.back_title}" if self.back_title else name

    @property
    def nip_display(self) -> str:
        return format_nip(self.nip)

    def clean(self):
        if self.participant_type in (ParticipantType.PNS, ParticipantType.PPPK):
            if not self.nip:
                raise ValidationError({"nip": _("A NIP is required for PNS and PPPK participants.")})
            number = parse_asn_number(self.nip)
            if number.kind != self.participant_type:
                raise ValidationError(
                    {
                        "nip": _("This number is a NIP of a %(kind)s, but the participant is marked %(type)s.")
                        % {"kind": number.kind.upper(), "type": self.get_participant_type_display()}
                    }
                )
            if self.sex and number.sex != self.sex:
                raise ValidationError({"sex": _("The sex does not match digit 15 of the NIP.")})


class Enrollment(models.Model):
    program = models.ForeignKey("retreat.Program", on_delete=models.CASCADE, related_name="enrollments")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="enrollments")
    cohort = models.ForeignKey(
        "retreat.Cohort", on_delete=models.SET_NULL, null=True, blank=True, related_name="enrollments"
    )
    role = models.CharField(_("role in the retreat"), max_length=20, choices=RetreatRole.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=EnrollmentStatus.choices, default=EnrollmentStatus.INVITED
    )
    order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Protocol order in lists."))

    class Meta:
        ordering = ["program", "order", "participant__name"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["program", "participant"], name="enrollment_unique_participant_per_program")
        ]

    def __str__(self):
        return f"{self.participant} · {self.program}"
