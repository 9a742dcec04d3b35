from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    # django.contrib.sessions owns the label "sessions": ours is "retreat_sessions", forever.
    name = "sessions"
    label = "retreat_sessions"
    verbose_name = _("Agenda")

    def ready(self):
        from . import documents, frame, signals  # noqa: F401  (the agenda document and the cache signals)

        frame.register()  # the agenda tab
