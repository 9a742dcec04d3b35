"""What evaluations add to the program frame (retreat/frame.py): its tab."""

from django.utils.translation import gettext_lazy as _

from retreat.frame import register_tab


def register():
    register_tab(key="evaluations", label=_("Evaluations"), url_name="evaluations:home",
                 rule="evaluations.view_evaluations", order=60)  # fmt: skip
