"""Versions kept in the shared cache: a random token per key that changes whenever what it stands for
changes. Cached pages put the versions of what they show in their key (the participant's personal page:
agenda, attendance, evaluations, plans, certificate), so a change shows at once without a database query."""

import uuid

from django.core.cache import cache


def versions(*keys: str) -> str:
    """The current versions of ``keys``, joined; a key never seen (or evicted) gets a new one."""
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
    return ":".join(found.get(key) or missing[key] for key in keys)


def version_bump(key: str) -> None:
    """Whatever ``key`` stands for changed: the next read gets a new version."""
    cache.delete(key)
