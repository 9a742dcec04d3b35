"""What participants adds to the program frame (retreat/frame.py): its tabs, the overview's participant
panel with its documents, and the participant count on the dashboard's program cards."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from retreat.frame import register_panel, register_program_figure, register_tab
from retreat.selectors import document_jobs_for_program

from .documents import ID_CARDS, PARTICIPANT_LIST
from .enums import ACTIVE_STATUSES
from .selectors import enrollments_for_program


def overview_panel(request, program) -> dict:
    user = request.user
    return {
        "enrollments": enrollments_for_program(program),
        "jobs": document_jobs_for_program(program, kinds=[PARTICIPANT_LIST, ID_CARDS]),
        "can_export": user.has_perm("retreat.export_program_documents", program),
        "show_personal_data": user.has_perm("retreat.view_personal_data", program),
    }


def with_participant_count(programs):
    active = Q(enrollments__status__in=ACTIVE_STATUSES)
    return programs.annotate(participant_count=Count("enrollments", filter=active, distinct=True))


def register():
    register_tab(key="participants", label=_("Participants"), url_name="participants:enrollment_list",
                 rule="participants.view_enrollments", order=20)  # fmt: skip
    register_tab(key="groups", label=_("Groups"), url_name="participants:groups",
                 rule="participants.view_enrollments", order=30)  # fmt: skip
    register_tab(key="rooms", label=_("Rooms"), url_name="participants:rooms",
                 rule="participants.view_enrollments", order=35)  # fmt: skip
    register_panel(key="participants", template="participants/partials/overview_panel.html", context=overview_panel,
                   rule="participants.view_enrollments", order=10)  # fmt: skip
    register_program_figure(key="participant_count", annotate=with_participant_count,
                            template="participants/partials/program_card_count.html", order=10)  # fmt: skip
