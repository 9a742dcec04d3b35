import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from retreat.identity import check_nik_matches_nip, format_nip, parse_asn_number, parse_nik, titled_name

from .enums import (
    EnrollmentStatus,
    Eselon,
    Golongan,
    ParticipantType,
    PositionCategory,
    PppkGrade,
    RetreatRole,
    Sex,
    UniformSize,
)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


class Participant(models.Model):
    """A person in an institution's registry, reused across its programs."""

    institution = models.ForeignKey(
        "retreat.Institution", on_delete=models.CASCADE, related_name="participants", verbose_name=_("institution")
    )
    participant_type = models.CharField(
        _("participant type"), max_length=20, choices=ParticipantType.choices, default=ParticipantType.PNS
    )
    nip = models.CharField(_("NIP / NI PPPK"), max_length=18, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    front_title = models.CharField(_("front title"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=150)
    back_title = models.CharField(_("back title"), max_length=80, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)  # blank: unknown, to complete
    golongan = models.CharField(_("rank (golongan/ruang)"), max_length=6, choices=Golongan.choices, blank=True)
    pppk_grade = models.CharField(_("PPPK grade"), max_length=5, choices=PppkGrade.choices, blank=True)
    eselon = models.CharField(_("echelon"), max_length=6, choices=Eselon.choices, blank=True)
    position_category = models.CharField(
        _("position category"), max_length=20, choices=PositionCategory.choices, blank=True
    )
    position_title = models.CharField(_("position"), max_length=200, blank=True)
    unit_name = models.CharField(_("work unit"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    uniform_size = models.CharField(_("uniform size"), max_length=5, choices=UniformSize.choices, blank=True)
    dietary_notes = models.CharField(_("dietary notes"), max_length=300, blank=True)
    health_notes = models.TextField(_("health notes"), blank=True, help_text=_("Visible to organizers only."))

    # Grows by one with every change saved through the app: a form carries the version it was read at, and a
    # save made from an older one is refused (two organizers editing one person).
    version = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("version"))

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
        return titled_name(self.front_title, self.name, self.back_title)

    @property
    def unit_line(self) -> str:
        """The work unit where the position does not already say it: "Sekretariat Daerah (Asisten
        Pemerintahan)" adds nothing to "Asisten Pemerintahan Sekretariat Daerah", and of "Sekretariat Daerah
        (Staf Ahli Bidang Hukum)" beside "Staf Ahli Wali Kota Bidang Hukum" only the part before the
        brackets does."""
        unit = self.unit_name.strip()
        position = self.position_title.casefold()
        base, _bracket, detail = unit.partition(" (")
        if not unit or unit.casefold() in position or base.casefold() in position:
            return ""
        if detail and set(_words(detail)) <= set(_words(position)):
            return base
        return unit

    @property
    def nip_display(self) -> str:
        return format_nip(self.nip)

    def clean(self):
        errors = {}
        asn = self.participant_type in (ParticipantType.PNS, ParticipantType.PPPK)
        number = nik = None
        if asn and not self.nip:
            errors["nip"] = _("A NIP is required for PNS and PPPK participants.")
        elif self.nip:
            try:
                number = parse_asn_number(self.nip)
            except ValidationError as exc:
                errors["nip"] = exc.messages
            else:
                if not asn:
                    errors["nip"] = _("Only PNS and PPPK participants have a NIP; leave it empty or change the type.")
                elif number.kind != self.participant_type:
                    errors["nip"] = _("This number is a NIP of a %(kind)s, but the participant is marked %(type)s.") % {
                        "kind": number.kind.upper(),
                        "type": self.get_participant_type_display(),
                    }
                elif self.sex and number.sex != self.sex:
                    errors["sex"] = _("The sex does not match digit 15 of the NIP.")
        if self.nik:
            try:
                nik = parse_nik(self.nik)
                if number:
                    check_nik_matches_nip(nik, number)
            except ValidationError as exc:
                errors["nik"] = exc.messages
        if self.golongan and self.participant_type != ParticipantType.PNS:
            errors["golongan"] = _("Golongan/ruang applies to PNS only.")
        if self.pppk_grade and self.participant_type != ParticipantType.PPPK:
            errors["pppk_grade"] = _("A PPPK grade applies to PPPK only.")
        if errors:
            raise ValidationError(errors)


class Enrollment(models.Model):
    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("program")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("participant")
    )
    cohort = models.ForeignKey(
        "retreat.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("cohort"),
    )
    role = models.CharField(_("role in the retreat"), max_length=20, choices=RetreatRole.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=EnrollmentStatus.choices, default=EnrollmentStatus.INVITED
    )
    order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Protocol order in lists."))
    group = models.ForeignKey(
        "DiscussionGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("discussion group"),
    )
    group_locked = models.BooleanField(
        _("group locked"), default=False, help_text=_("Automatic group formation keeps this assignment.")
    )
    room = models.ForeignKey(
        "Room", on_delete=models.SET_NULL, null=True, blank=True, related_name="enrollments", verbose_name=_("room")
    )
    room_locked = models.BooleanField(
        _("room locked"), default=False, help_text=_("Automatic room assignment keeps this placement.")
    )
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    access_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False, verbose_name=_("access token")
    )

    version = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("version")
    )  # as Participant.version

    class Meta:
        ordering = ["program", "order", "participant__name"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["program", "participant"], name="enrollment_unique_participant_per_program")
        ]

    def __str__(self):
        return f"{self.participant} · {self.program}"


class DiscussionGroup(models.Model):
    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="groups", verbose_name=_("program")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    # Facilitators of the program's institutions who accompany the group (set with group_facilitators_set)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_groups", verbose_name=_("facilitators")
    )

    class Meta:
        ordering = ["program", "number"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="group_unique_number_per_program")]
        verbose_name = _("discussion group")
        verbose_name_plural = _("discussion groups")

    def __str__(self):
        return self.name


class Room(models.Model):
    """A room of the program's lodging: building and number, how many beds, and whether men or women sleep
    there (left empty until the organizer says; nobody is placed in such a room automatically)."""

    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="rooms", verbose_name=_("program")
    )
    building = models.CharField(_("building"), max_length=100, blank=True)
    number = models.CharField(_("number"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("capacity"), help_text=_("Beds in the room."))
    sex = models.CharField(_("men/women"), max_length=1, choices=Sex.choices, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["program", "building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "building", "number"], name="room_unique_number_per_program")
        ]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return room_label(self.building, self.number)

    def clean(self):
        if self.capacity is not None and self.capacity < 1:
            raise ValidationError({"capacity": _("A room has at least one bed.")})


def room_label(building: str, number: str) -> str:
    """How a room is written everywhere (lists, the personal page, ID cards): "Wisma A · 101", or the number
    alone when there is no building."""
    return f"{building} · {number}" if building else number


def import_upload_to(batch: "ParticipantImport", filename: str) -> str:
    return f"imports/{batch.pk}/{filename}"


class ParticipantImport(models.Model):
    """An uploaded spreadsheet between its preview and the organizer's confirmation."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        COMMITTED = "committed", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id"))
    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="imports", verbose_name=_("program")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("uploaded by")
    )
    file = models.FileField(upload_to=import_upload_to, max_length=300, verbose_name=_("file"))
    original_name = models.CharField(max_length=255, verbose_name=_("original name"))
    mapping = models.JSONField(default=dict, blank=True, verbose_name=_("mapping"))
    # The file's rows as read at upload ([row number, cells]), so that the preview is not parsed again on every
    # request; cleared, with the file, when the import is confirmed or cancelled.
    rows = models.JSONField(null=True, blank=True, editable=False, verbose_name=_("rows"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW, verbose_name=_("status"))
    summary = models.JSONField(default=dict, blank=True, verbose_name=_("summary"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("participant import")
        verbose_name_plural = _("participant imports")

    def __str__(self):
        return f"{self.original_name} · {self.program}"
