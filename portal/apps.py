from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Every page a participant opens through the personal link. No models: it reads the apps below."""

    name = "portal"
    verbose_name = _("Participant portal")

    def ready(self):
        from django.urls import reverse

        from retreat.links import register_personal_url, register_verify_url

        register_personal_url(lambda token: reverse("portal:personal_page", kwargs={"token": token}))
        register_verify_url(lambda code: reverse("portal:verify", kwargs={"code": code}))
