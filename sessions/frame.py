"""What the agenda adds to the program frame (retreat/frame.py): its tab."""

from django.utils.translation import gettext_lazy as _

from retreat.frame import register_tab


def register():
    register_tab(key="agenda", label=_("Agenda"), url_name="sessions:agenda", rule="retreat_sessions.view_agenda",
                 order=40)  # fmt: skip
