from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Production runs several web processes: participants' cached pages and the agenda versions that
    keep them current must live in one shared cache (Redis), not in each process's memory."""
    if settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is not set: each web process keeps its own cache and Celery runs tasks in-process.",
            hint="Set REDIS_URL (redis://host:6379/0) in production; docker-compose.yml does.",
            id="retret.W001",
        )
    ]
