"""Registry of the documents the job pipeline can render. Apps register a builder per DocumentKind:
``@register(DocumentKind.PARTICIPANT_LIST)`` on a function ``(job) -> Document``."""

from collections.abc import Callable
from dataclasses import dataclass


class DocumentError(Exception):
    """A document can't be made; the message is shown to the user as the reason."""


@dataclass(frozen=True)
class Document:
    filename: str
    template: str
    context: dict


_builders: dict[str, Callable] = {}


def register(kind: str):
    def decorate(builder):
        _builders[kind] = builder
        return builder

    return decorate


def builder_for(kind: str) -> Callable:
    try:
        return _builders[kind]
    except KeyError:
        raise DocumentError(f"No document builder is registered for {kind!r}.") from None
