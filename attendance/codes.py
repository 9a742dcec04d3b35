"""The six-digit codes of self check-in. The room's screen shows a code (and a QR code holding it) that
changes every 30 seconds; it is an HMAC of the session and the 30-second interval under the register's
secret, so it can't be guessed from earlier codes or reused in another session. A code is accepted while
it is shown and during the next interval (time to type it), never later."""

import datetime as dt
import hashlib
import hmac

INTERVAL_SECONDS = 30
QR_PREFIX = "RETRET-HADIR"


def interval_of(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // INTERVAL_SECONDS


def code_for(register, interval: int) -> str:
    digest = hmac.new(register.secret.encode(), f"{register.session_id}:{interval}".encode(), hashlib.sha256)
    return f"{int.from_bytes(digest.digest()[:8], 'big') % 1_000_000:06d}"


def seconds_left(moment: dt.datetime) -> int:
    return INTERVAL_SECONDS - int(moment.timestamp()) % INTERVAL_SECONDS


def qr_text(register, code: str) -> str:
    """What the screen's QR code holds: the session and the code, read by the participant's own page."""
    return f"{QR_PREFIX} {register.session_id} {code}"


def age_of(register, code: str, now: dt.datetime, *, lookback: int = 20) -> int | None:
    """How many intervals ago this code was shown (0: now), or None if it never was in the last ten
    minutes."""
    current = interval_of(now)
    for age in range(lookback + 1):
        if hmac.compare_digest(code_for(register, current - age), code):
            return age
    return None
