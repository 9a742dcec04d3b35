"""WhatsApp links to a participant: a wa.me address that opens a chat with a prefilled message."""

from urllib.parse import quote

from django.core.exceptions import ValidationError

from retreat.identity import normalize_phone


def whatsapp_number(phone: str) -> str:
    """The number as wa.me wants it, digits from the country code: `0812-3456-7890`, `+62 812…` → `62812…`;
    "" for none or one that is not a phone number."""
    try:
        return normalize_phone(phone).removeprefix("+")
    except ValidationError:
        return ""


def whatsapp_link(phone: str, text: str) -> str:
    """A wa.me address opening a chat with ``phone`` and ``text`` typed in; "" without a usable number."""
    number = whatsapp_number(phone)
    return f"https://wa.me/{number}?text={quote(text)}" if number else ""
