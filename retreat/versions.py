"""Versions kept in the shared cache: a random token per key that changes whenever what it stands for
changes. Cached pages put the versions of what they show in their key (the participant's personal page:
agenda, attendance, evaluations, plans, certificate), so a change shows at once without a database query."""

import uuid

from django.core.cache import cache


def versions(*keys: str) -> str:
    """The current versions of ``keys``, joined; a key never seen (or evicted) gets a new one."""
    found = current_versions(keys, cache.get_many(keys))
    return ":".join(found[key] for key in keys)


def current_versions(keys, found: dict) -> dict:
    """``found`` (what the cache gave for ``keys``, maybe with other keys) with a new version for each of
    ``keys`` it lacks, kept for the next read."""
    missing = [key for key in keys if key not in found]
    if not missing:
        return found
    cache.set_many({key: uuid.uuid4().hex for key in missing}, timeout=None)
    added = cache.get_many(missing)  # what is there now, if another process set its own meanwhile
    return {**found, **{key: added.get(key) or uuid.uuid4().hex for key in missing}}


def version_bump(key: str) -> None:
    """Whatever ``key`` stands for changed: the next read gets a new version."""
    cache.delete(key)
