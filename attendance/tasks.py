from celery import shared_task
from django.conf import settings

from . import services


@shared_task(name="attendance.purge_applied_checkins", soft_time_limit=300, time_limit=360)
def task_purge_applied_checkins() -> int:
    return services.applied_checkins_purge(older_than_days=settings.APPLIED_CHECKIN_RETENTION_DAYS)
