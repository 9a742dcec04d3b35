"""Every view declares who may use it, and one place enforces it.

A view's ``access`` is one of:

- ``PUBLIC``: anyone, logged in or not (login page, health check, personal participant links);
- ``AUTHENTICATED``: any logged-in user (dashboard, password change);
- a permission name from a ``rules.py`` (``"retreat.view_program"``), checked against the view's object.

A logged-in user still on a temporary password an admin gave them is sent to the password change from every
view but that one (``temporary_password_ok``) until they choose their own.

Class views inherit ``AccessMixin`` (or one of its kinds below) and name the object the rule is checked
against in ``get_access_object()``; function views use ``@declare_access(...)``. Both go through
``enforce()`` on every request, before the view runs: an anonymous user is sent to the login page, an
object the user may not see is a 404 (the loader raises it), and a member without the permission gets 403.
No view checks access in its own ``dispatch``.

``undeclared_views()`` walks the URL configuration and names every view without a valid declaration or
without the enforcement; the test suite fails on any, so a new view cannot slip in open. The permission
matrix test (``demo/tests/test_permissions.py``) requests every URL as each kind of user.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_htmx.http import HttpResponseClientRedirect
from rules import perm_exists

from .selectors import document_job_for_user, programs_for_user

PUBLIC = "public"
AUTHENTICATED = "authenticated"

# Django's admin checks is_staff on every one of its views itself.
EXEMPT_NAMESPACES = frozenset({"admin"})


def enforce(request, access: str, get_object: Callable[[], object], *, temporary_password_ok: bool = False):
    """None when the request may go on; a redirect to the login page for an anonymous user, and to the
    password change for a user still on a temporary password (but on the views that say
    ``temporary_password_ok``). Raises Http404 (from ``get_object``) for an object the user can't see and
    PermissionDenied for a missing permission on it."""
    if access == PUBLIC:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.must_change_password and not temporary_password_ok:
        return _choose_own_password(request)
    obj = get_object()
    if access != AUTHENTICATED and not request.user.has_perm(access, obj):
        raise PermissionDenied
    return None


def _choose_own_password(request):
    url = reverse("password_change")  # which says why
    if getattr(request, "htmx", False):  # an htmx request would swap the page into a fragment
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class AccessMixin:
    """The base of every class view: enforces ``access`` against ``get_access_object()``."""

    access: str | None = None
    temporary_password_ok = False  # the password change page only

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        return login_not_required(view) if cls.access == PUBLIC else view

    def get_access_object(self):
        """The object the rule is checked against; raises Http404 for one the user may not see."""
        return None

    def dispatch(self, request, *args, **kwargs):
        denied = enforce(request, self.access, self.get_access_object, temporary_password_ok=self.temporary_password_ok)
        return denied or super().dispatch(request, *args, **kwargs)


class PublicMixin(AccessMixin):
    access = PUBLIC


class AuthenticatedMixin(AccessMixin):
    access = AUTHENTICATED


class ProgramMixin(AccessMixin):
    """A page of one program: ``self.program`` is loaded among the user's programs (another institution's
    is a 404) and ``access``, a permission on that program, is checked (a member without it gets 403)."""

    access = "retreat.view_program"
    program_url_kwarg = "program_pk"

    def get_access_object(self):
        self.program = self.get_program()
        return self.program

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


class DocumentJobMixin(AccessMixin):
    """A document job of one of the user's programs (another institution's is a 404)."""

    access = "retreat.use_document_job"

    def get_access_object(self):
        self.job = document_job_for_user(self.request.user, self.kwargs["job_pk"])
        if self.job is None:
            raise Http404
        return self.job


def declare_access(access: str, get_object: Callable | None = None):
    """Declare and enforce the access of a function view: ``@declare_access(PUBLIC)``, or a permission
    with ``get_object(request, **url_kwargs)`` loading the object it is checked against."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            denied = enforce(request, access, lambda: get_object(request, **kwargs) if get_object else None)
            return denied or view(request, *args, **kwargs)

        guarded.access = access
        guarded.enforces_access = True
        guarded.get_access_object = get_object
        return login_not_required(guarded) if access == PUBLIC else guarded

    return decorate


def declared_access(callback) -> str | None:
    target = getattr(callback, "view_class", None) or callback
    return getattr(target, "access", None)


def _enforced(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return issubclass(view_class, AccessMixin)
    return getattr(callback, "enforces_access", False)


def _valid(access: str | None) -> bool:
    return bool(access) and (access in (PUBLIC, AUTHENTICATED) or perm_exists(access))


def walk_patterns(patterns, prefix="", namespace=None):
    """Yield (route, namespace, pattern) for every URL pattern, following includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from walk_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def undeclared_views(patterns=None) -> list[str]:
    patterns = get_resolver().url_patterns if patterns is None else patterns
    return [
        f"{route} → {getattr(pattern.callback, '__qualname__', pattern.callback)}"
        for route, namespace, pattern in walk_patterns(patterns)
        if namespace not in EXEMPT_NAMESPACES
        and not (_valid(declared_access(pattern.callback)) and _enforced(pattern.callback))
    ]
