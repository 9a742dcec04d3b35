import math

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retreat.identity import titled_name

from .enums import DressCode, SessionKind, VenueKind

JP_MINUTES = 45  # one jam pelajaran


class Speaker(models.Model):
    """A narasumber in an institution's registry, reused across programs."""

    institution = models.ForeignKey(
        "retreat.Institution", on_delete=models.CASCADE, related_name="speakers", verbose_name=_("institution")
    )
    front_title = models.CharField(_("front title"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=150)
    back_title = models.CharField(_("back title"), max_length=80, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    bio = models.TextField(_("short bio"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return titled_name(self.front_title, self.name, self.back_title)


class Venue(models.Model):
    """A room, hall or field of the program's site."""

    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="venues", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind.choices, default=VenueKind.ROOM)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["program", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="venue_unique_name_per_program")]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return self.name


class Session(models.Model):
    program = models.ForeignKey(
        "retreat.Program", on_delete=models.CASCADE, related_name="sessions", verbose_name=_("program")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.ForeignKey(
        Venue, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions", verbose_name=_("venue")
    )
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions", verbose_name=_("speakers"))
    moderator = models.ForeignKey(
        Speaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_sessions",
        verbose_name=_("moderator"),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_sessions", verbose_name=_("facilitators")
    )
    dress_code = models.CharField(_("dress code"), max_length=20, choices=DressCode.choices, blank=True)
    cohorts = models.ManyToManyField(
        "retreat.Cohort",
        blank=True,
        related_name="sessions",
        verbose_name=_("cohorts"),
        help_text=_("Empty with no groups either: the whole program."),
    )
    groups = models.ManyToManyField(
        "participants.DiscussionGroup", blank=True, related_name="sessions", verbose_name=_("groups")
    )
    counts_for_jp = models.BooleanField(_("counts for learning hours (JP)"), default=False)
    mandatory = models.BooleanField(_("attendance mandatory"), default=True)
    # After the agenda is published, what changed (time, venue) and when, for participants' pages.
    changes = models.JSONField(default=dict, blank=True, verbose_name=_("changes"))
    changed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("changed at"))
    # Grows by one with every change of time or venue, never goes down: the iCal SEQUENCE.
    sequence = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("sequence"))
    # Grows by one with every change saved through the app: a form carries the version it was read at, and a
    # save made from an older one is refused (two organizers moving one session).
    version = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("version"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["program", "starts_at", "pk"]
        indexes = [models.Index(fields=["program", "starts_at"], name="session_program_start")]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return self.title

    @property
    def minutes(self) -> int:
        return max(0, int((self.ends_at - self.starts_at).total_seconds() // 60))

    @property
    def jp(self) -> int:
        """Learning hours: whole blocks of 45 minutes, for learning sessions only."""
        return math.floor(self.minutes / JP_MINUTES) if self.counts_for_jp else 0
