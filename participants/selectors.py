from django.db.models import QuerySet

from .enums import EnrollmentStatus
from .models import Enrollment

ACTIVE_STATUSES = [EnrollmentStatus.INVITED, EnrollmentStatus.CONFIRMED, EnrollmentStatus.PRESENT]


def enrollments_for_program(program) -> QuerySet[Enrollment]:
    """The program's active enrollments in protocol order, with what lists and documents show."""
    return (
        Enrollment.objects.filter(program=program, status__in=ACTIVE_STATUSES)
        .select_related("participant", "cohort")
        .order_by("order", "participant__name")
    )
