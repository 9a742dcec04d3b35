"""What attendance adds to the program frame (retreat/frame.py): its tab."""

from django.utils.translation import gettext_lazy as _

from retreat.frame import register_tab


def register():
    register_tab(key="attendance", label=_("Attendance"), url_name="attendance:home",
                 rule="attendance.view_attendance", order=50)  # fmt: skip
