"""Every view declares who may use it, in its ``access`` attribute:

- ``PUBLIC``: anyone, logged in or not (login page, health check, personal participant links);
- ``AUTHENTICATED``: any logged-in user (dashboard, password change);
- a permission name from a ``rules.py`` (``"retreat.view_program"``): checked against the view's object.

``undeclared_views()`` walks the URL configuration and names every view without a valid declaration;
the test suite fails on any, so a new view cannot slip in open.
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver
from rules import perm_exists

from .selectors import programs_for_user

PUBLIC = "public"
AUTHENTICATED = "authenticated"

# Django's admin checks is_staff on every one of its views itself.
EXEMPT_NAMESPACES = frozenset({"admin"})


def declare_access(access: str):
    """Declare the access of a function view: ``@declare_access(PUBLIC)``."""

    def decorate(view):
        view.access = access
        return login_not_required(view) if access == PUBLIC else view

    return decorate


class PublicMixin:
    access = PUBLIC

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


class AuthenticatedMixin(LoginRequiredMixin):
    access = AUTHENTICATED


class ProgramMixin(LoginRequiredMixin):
    """Loads ``self.program`` among the user's programs (another institution's is a 404) and checks
    ``access``, a permission on that program (a member without the role gets 403)."""

    access = "retreat.view_program"
    program_url_kwarg = "program_pk"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.program = self.get_program()
        if not request.user.has_perm(self.access, self.program):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_program(self):
        program = (
            programs_for_user(self.request.user)
            .select_related("organizer", "partner")
            .filter(pk=self.kwargs[self.program_url_kwarg])
            .first()
        )
        if program is None:
            raise Http404
        return program

    def get_context_data(self, **kwargs):
        kwargs.setdefault("program", self.program)
        return super().get_context_data(**kwargs)


def _declared(callback) -> str | None:
    target = getattr(callback, "view_class", None) or callback
    return getattr(target, "access", None)


def _valid(access: str | None) -> bool:
    return bool(access) and (access in (PUBLIC, AUTHENTICATED) or perm_exists(access))


def walk_patterns(patterns, prefix="", namespace=None):
    """Yield (route, namespace, callback) for every URL pattern, following includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from walk_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern.callback


def undeclared_views(patterns=None) -> list[str]:
    patterns = get_resolver().url_patterns if patterns is None else patterns
    return [
        f"{route} → {getattr(callback, '__qualname__', callback)}"
        for route, namespace, callback in walk_patterns(patterns)
        if namespace not in EXEMPT_NAMESPACES and not _valid(_declared(callback))
    ]
