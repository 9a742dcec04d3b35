"""What certificates add to the program frame (retreat/frame.py): its tabs."""

from django.utils.translation import gettext_lazy as _

from retreat.frame import register_tab


def register():
    register_tab(key="certificates", label=_("Certificates"), url_name="certificates:home",
                 rule="certificates.view_certificates", order=70)  # fmt: skip
    register_tab(key="report", label=_("Report"), url_name="certificates:report",
                 rule="certificates.view_report", order=75)  # fmt: skip
