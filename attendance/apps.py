from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from . import documents, frame  # noqa: F401  (the attendance sheets; the tab and overview figures)

        frame.register()
