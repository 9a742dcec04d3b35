"""A count per key and minute in the shared cache (Redis in production): how public forms and a
participant's tries are limited."""

from django.core.cache import cache
from django.utils import timezone


def within_limit(key: str, per_minute: int) -> bool:
    """Count one more try under ``key`` this minute; False once there were more than ``per_minute``."""
    bucket = f"throttle:{key}:{int(timezone.now().timestamp()) // 60}"
    cache.add(bucket, 0, 90)
    try:
        tries = cache.incr(bucket)
    except ValueError:  # evicted meanwhile
        cache.set(bucket, tries := 1, 90)
    return tries <= per_minute
