from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from . import documents, frame, report, rules  # noqa: F401  (the files; the report; the tab; permissions)

        frame.register()
