"""The error pages (``handler404``, ``handler403``, ``handler500`` in retreat/urls.py), in the language the
user chose (retreat.middleware.request_language: Indonesian unless the language cookie says English), also
when the error came before ``LanguageMiddleware`` ran. The CSRF failure page is Django's own view with
``templates/403_csrf.html``.

A personal link that opens nothing (revoked, replaced, mistyped, or never made: the page does not say which)
gets its own 404: the link is no longer valid, ask the committee for the new one."""

from django.http import HttpResponseForbidden, HttpResponseNotFound
from django.template import loader
from django.utils import translation
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from .links import is_personal_path
from .middleware import request_language


@requires_csrf_token
def page_not_found(request, exception=None):
    personal_link = is_personal_path(request.path)
    with translation.override(request_language(request)):
        body = loader.render_to_string("404.html", {"personal_link": personal_link}, request)
    response = HttpResponseNotFound(body)
    if personal_link:  # the token is in the address
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
    return response


@requires_csrf_token
def permission_denied(request, exception=None):
    with translation.override(request_language(request)):
        return HttpResponseForbidden(loader.render_to_string("403.html", {}, request))


@requires_csrf_token
def server_error(request):
    """Django's own: ``500.html`` rendered without a context (no user, no database), in the chosen language."""
    with translation.override(request_language(request)):
        return defaults.server_error(request)
