"""Unguessable tokens for the secret addresses the app hands out (personal links, calendar feeds)."""

import secrets


def new_access_token() -> str:
    """About 190 bits, URL-safe."""
    return secrets.token_urlsafe(24)
