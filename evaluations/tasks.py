from celery import shared_task

from .services import reminders


@shared_task(name="evaluations.send_reminders", soft_time_limit=600, time_limit=660)
def task_send_reminders(sending_id: str) -> None:
    reminders.reminder_sending_run(sending_id=sending_id)
