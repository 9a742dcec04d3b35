"""Numbers read from what a browser sends (a query parameter, a form field, a JSON event): only ASCII digits
within the database's integers count. ``str.isdigit`` also says yes to "²", "٣" or "９", which ``int``
then refuses or turns into a number no row has, and a 30-digit id overflows the database's integer."""

MAX_ID = 2**31 - 1  # the largest value of the database's integer primary keys


def whole_number(value, *, maximum: int = MAX_ID) -> int | None:
    """The number ``value`` writes in ASCII digits, from 0 to ``maximum``; None for anything else."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None


def whole_numbers(values, *, maximum: int = MAX_ID) -> list[int]:
    """The whole numbers among ``values``, in their order, without the rest."""
    found = (whole_number(value, maximum=maximum) for value in values)
    return [number for number in found if number is not None]


def ascii_digits(text: str) -> bool:
    """Whether ``text`` is made of ASCII digits only (and is not empty)."""
    return text.isascii() and text.isdigit()
