from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        from . import documents, frame  # noqa: F401  (documents registers the list, ID cards and group list)

        frame.register()  # tabs, the overview panel and the dashboard's participant count
