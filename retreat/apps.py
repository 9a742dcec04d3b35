from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetreatConfig(AppConfig):
    name = "retreat"
    verbose_name = _("Retreat core")

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the deploy checks)
            middleware,  # noqa: F401  (a login stamps the session's last activity)
        )
        from .frame import register_panel, register_tab
        from .selectors import exports_for_program

        register_tab(key="program", label=_("Overview"), url_name="retreat:program_detail",
                     rule="retreat.view_program", order=10)  # fmt: skip
        register_panel(key="exports", template="retreat/partials/exports_panel.html",
                       context=lambda request, program: {"exports": exports_for_program(program)},
                       rule="retreat.view_exports", order=90)  # fmt: skip
