from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetreatConfig(AppConfig):
    name = "retreat"
    verbose_name = _("Retreat core")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
        from .frame import register_tab

        register_tab(key="program", label=_("Overview"), url_name="retreat:program_detail",
                     rule="retreat.view_program", order=10)  # fmt: skip
