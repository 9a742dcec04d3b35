from celery import shared_task

from . import services


@shared_task(name="participants.purge_import_previews", soft_time_limit=120, time_limit=180)
def task_purge_import_previews() -> int:
    """Imports nobody confirmed or cancelled within a day go, with the spreadsheets they keep (run by beat)."""
    return services.import_previews_purge(older_than_hours=services.IMPORT_PREVIEW_HOURS)
