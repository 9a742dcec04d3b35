import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import check_for_language, ngettext
from django_htmx.http import HttpResponseClientRedirect


def request_language(request) -> str:
    """The language a request is answered in: the one chosen with the language switcher, else Indonesian."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Indonesian unless the user chose English with the language switcher (a cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: government
    workstations often run English browsers, and the product speaks Indonesian by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class PermissionsPolicyMiddleware:
    """Sends ``PERMISSIONS_POLICY``: which browser features the pages may use (the camera, for QR check-in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# The session key holding the time (epoch seconds) of the user's previous request.
LAST_ACTIVITY_KEY = "retret_last_activity"
# The time is written again only when it is older than this, so most requests don't save the session.
ACTIVITY_RESOLUTION_SECONDS = 60


@receiver(user_logged_in)
def _stamp_login(sender, request, user, **kwargs):
    """A login counts as activity: the first requests after it then leave the session unwritten."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Logs out a logged-in user whose previous request is older than ``SESSION_IDLE_MINUTES`` and sends
    them to the login page, which says why. Anonymous requests (participants' personal links) pass
    untouched. Comes after the session, authentication, messages and htmx middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            idle_minutes = settings.SESSION_IDLE_MINUTES
            if isinstance(last, int) and now - last > idle_minutes * 60:
                return self._logged_out(request, idle_minutes)
            if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def _logged_out(self, request, idle_minutes):
        logout(request)
        messages.info(
            request,
            ngettext(
                "You were logged out after %(minutes)d minute without activity. Log in again.",
                "You were logged out after %(minutes)d minutes without activity. Log in again.",
                idle_minutes,
            )
            % {"minutes": idle_minutes},
        )
        login = redirect_to_login(request.get_full_path())
        if getattr(request, "htmx", False):  # an htmx request would swap the login page into a fragment
            return HttpResponseClientRedirect(login.url)
        return login
