"""Every page a participant opens through the personal link, on a phone and often on weak signal: the
personal page with the schedule, its iCal feed, the web-app manifest and the service worker that keeps the
page offline. None of it needs a login: the unguessable token in the address is the key, and an unknown
or revoked token is a 404."""

import hashlib
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from attendance.services import self_checkin
from certificates.documents import file_response as certificate_file_response
from certificates.selectors import certificate_for_enrollment
from evaluations.forms_answers import answer_shown, answers_from_post, answers_to_show
from evaluations.selectors import forms as evaluations
from evaluations.services.forms import response_submit
from participants.selectors import enrollment_for_token
from retreat.access import PublicMixin
from retreat.links import site_url
from retreat.throttle import within_limit
from sessions.calendar import calendar_for_sessions, ics_response
from sessions.selectors import sessions_for_enrollment

from . import pages


class PersonalPageView(PublicMixin, View):
    """Opened from the personal link on a phone, without a password. Unknown or revoked links are 404.

    It shows the schedule and the participant's own attendance per session, with their percentage against
    the program's minimum, and the evaluation forms open to them (the ones still to fill in first). The
    page is the same for everyone who opens it (no user, no CSRF token; the phone writes in the time it
    loaded it). ``portal.middleware.PersonalPageMiddleware`` keeps it as sent and answers it again while
    nothing it shows has changed; this view makes it from parts laid out once for many pages
    (``portal/pages.py``: the frame per program, the schedule per audience) with what is the participant's
    own, read for them and, in the same queries, for the others of the batch the middleware claimed. Any
    change shows at once
    (the agenda version changes with every session, venue or speaker edit, see sessions/signals.py; the
    attendance version with every record, see attendance/services.py; the evaluation version with every
    response); forms opening or closing show within ``pages.PAGE_SECONDS``.
    """

    def get(self, request, token):
        response = HttpResponse(pages.page_for(_enrollment_or_404(token), request))
        response["Referrer-Policy"] = "no-referrer"  # the token is in the URL
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private, no-cache"
        return response


def _enrollment_or_404(token: str):
    """The enrollment a personal link opens; an unknown or revoked link is a 404."""
    enrollment = enrollment_for_token(token)
    if enrollment is None:
        raise Http404
    return enrollment


class PersonalCalendarView(PublicMixin, View):
    """One participant's sessions, from their personal link."""

    def get(self, request, token):
        enrollment = _enrollment_or_404(token)
        sessions = list(sessions_for_enrollment(enrollment))
        name = f"{enrollment.program.name} · {enrollment.participant.name}"
        return ics_response(
            calendar_for_sessions(program=enrollment.program, sessions=sessions, name=name, site_url=site_url()),
            "jadwal-saya",
        )


OFFLINE_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "retreat/app.css",
    "retreat/schedule.js",
    "retreat/img/icon-192.png",
)


@cache
def _assets_version(paths: tuple[str, ...]) -> str:
    """Changes with the files' contents, so that phones drop old copies (names are unhashed in DEBUG)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(finders.find(path)).read_bytes())
    return digest.hexdigest()[:12]


class ServiceWorkerView(PublicMixin, View):
    """Keeps the last loaded personal page and its assets for offline use (scope: /p/)."""

    def get(self, request):
        assets = [static(path) for path in OFFLINE_ASSETS]
        body = render_to_string("portal/sw.js", {"assets": assets, "version": _assets_version(OFFLINE_ASSETS)})
        response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
        response["Service-Worker-Allowed"] = "/p/"
        response["Cache-Control"] = "no-cache"
        return response


class ManifestView(PublicMixin, View):
    def get(self, request, token):
        enrollment = _enrollment_or_404(token)
        body = render_to_string("portal/manifest.webmanifest", {"enrollment": enrollment}, request=request)
        return HttpResponse(body, content_type="application/manifest+json")


@method_decorator(csrf_exempt, name="dispatch")  # no session cookie here: the link's token is the credential
class SelfCheckinView(PublicMixin, View):
    """A participant checks in with the code on the room's screen, from their personal page. Answers JSON to
    the page's script and a small page to a plain form post."""

    http_method_names = ["post"]
    attempts_per_minute = 12

    def post(self, request, token):
        enrollment = _enrollment_or_404(token)
        if not within_limit(f"self-checkin:{enrollment.pk}", self.attempts_per_minute):
            ok, message = False, _("Too many tries: wait a minute, then type the code on the screen now.")
        else:
            try:
                result = self_checkin(enrollment=enrollment, code=request.POST.get("code", ""),
                                      session_id=request.POST.get("session") or None)  # fmt: skip
            except ValidationError as exc:
                ok, message = False, " ".join(exc.messages)
            else:
                ok, message = result.outcome != "outside", result.message
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"ok": ok, "message": message}, status=200 if ok else 400)
        context = {"ok": ok, "message": message, "enrollment": enrollment, "program": enrollment.program}
        return TemplateResponse(request, "portal/checkin_result.html", context, status=200 if ok else 400)


@method_decorator(csrf_exempt, name="dispatch")  # no session cookie here: the link's token is the credential
class EvaluationFormView(PublicMixin, View):
    """One of the participant's evaluation forms, one section per screen on a phone (evaluation_form.js;
    without JavaScript the whole form at once). The answers are kept on the phone until the server has
    them, so a lost connection or a closed tab loses nothing; sent again, they are saved once. A form that
    is not the participant's (another's token, a speaker session they are not in) is a 404."""

    template_name = "portal/evaluation_form.html"

    def _load(self, token, form_pk) -> None:
        self.enrollment = _enrollment_or_404(token)
        self.state = evaluations.form_for_enrollment(self.enrollment, form_pk)
        if self.state is None:
            raise Http404

    def get(self, request, token, form_pk):
        self._load(token, form_pk)
        return self._page(request, answers=evaluations.answers_of(self.state.response))

    def post(self, request, token, form_pk):
        self._load(token, form_pk)
        form = self.state.form
        answers = answers_from_post(request.POST)
        wants_json = "application/json" in request.headers.get("Accept", "")
        try:
            response_submit(form=form, enrollment=self.enrollment, answers=answers,
                            submission=request.POST.get("submission"))  # fmt: skip
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            if wants_json:
                return JsonResponse({"ok": False, "errors": errors}, status=400)
            return self._page(request, answers=answers_to_show(answers), errors=errors, status=400)
        message = _("Thank you: your answers to “%(form)s” are saved.") % {"form": form}
        if wants_json:
            return JsonResponse({"ok": True, "message": message})
        context = {"ok": True, "message": message, "enrollment": self.enrollment, "program": self.enrollment.program}
        return TemplateResponse(request, "portal/checkin_result.html", context)

    def _page(self, request, *, answers, errors=None, status=200):
        form = self.state.form
        sections = evaluations.sections_of(form.questionnaire)
        for section in sections:
            for question in section.question_list:
                question.answer = answer_shown(question, answers.get(question.pk))
                question.error = " ".join((errors or {}).get(f"q{question.pk}", []))
        context = {
            "enrollment": self.enrollment,
            "program": self.enrollment.program,
            "form": form,
            "state": self.state,
            "sections": sections,
            "errors": (errors or {}).get("__all__", []),
            "has_errors": bool(errors),
        }
        response = TemplateResponse(request, self.template_name, context, status=status)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private, no-store"
        return response


class CertificateDownloadView(PublicMixin, View):
    """The participant's own certificate, once it is issued and valid."""

    def get(self, request, token):
        certificate = certificate_for_enrollment(_enrollment_or_404(token))
        if certificate is None:
            raise Http404
        return certificate_file_response(certificate)
