from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from . import documents, frame, signals  # noqa: F401  (results report; tab; speaker forms follow the agenda)

        frame.register()
