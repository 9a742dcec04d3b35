"""Login lockouts (django-axes, ``AXES_HANDLER``): axes counts failures per username and address and locks
that pair out after ``AXES_FAILURE_LIMIT``; this handler adds a second, higher limit per address across
usernames (``AXES_ADDRESS_FAILURE_LIMIT``), which stops one address trying a few passwords on many
accounts. Axes takes one failure limit for all its lockout parameters, so the per-address count is kept
here, over the same records and the same cool-off.

A lockout never reaches beyond the address it was earned at: the user logs in from anywhere else.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


class LoginAttemptHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False) or not self.address_locked(request):
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )

    def address_locked(self, request) -> bool:
        """Whether the request's address failed ``AXES_ADDRESS_FAILURE_LIMIT`` times within the cool-off,
        whichever usernames it tried."""
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return False
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        failures = attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
        return failures >= settings.AXES_ADDRESS_FAILURE_LIMIT
