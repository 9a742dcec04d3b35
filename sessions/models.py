from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .enums import DressCode, SessionKind


class Speaker(models.Model):
    """A narasumber in an institution's registry, reused across programs."""

    institution = models.ForeignKey("retreat.Institution", on_delete=models.CASCADE, related_name="speakers")
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
        name = " ".join(part for part in (self.front_title, self.name) if part)
        return f"{name}, {self.back_title}" if self.back_title else name


class Session(models.Model):
    program = models.ForeignKey("retreat.Program", on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    dress_code = models.CharField(_("dress code"), max_length=20, choices=DressCode.choices, blank=True)
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions", verbose_name=_("speakers"))
    counts_for_jp = models.BooleanField(_("counts for learning hours (JP)"), default=False)
    mandatory = models.BooleanField(_("attendance mandatory"), default=True)

    class Meta:
        ordering = ["program", "starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start")]

    def __str__(self):
        return self.title
