"""The participant's personal page: made from parts laid out once for many pages, and kept whole.

Parts kept in the shared cache under the versions of what they show:

- the frame, the same for every participant of a program (its header, check-in, calendar link), laid out
  with a stand-in for the link's token;
- each session's card, laid out once per agenda version whoever it is meant for;
- the schedule, the same for everyone of an audience (the program's sessions plus those of a cohort or a
  group), put together from the cards once per audience and agenda version.

What is each participant's own (who they are, their forms, certificate, plans and attendance) is read for
many participants at once (``make_pages``, a fixed number of queries) and put in.

The whole page is kept as last sent (``kept_page``, ``keep``, used by
``portal.middleware.PersonalPageMiddleware``) under the state it was made in: the link's row, the versions
of everything the page shows, the language and a time window. A request whose state matches is answered
with one prepared query and one round trip to the cache. A request whose page must be made also makes the out-of-date
pages of its block (the program's participants whose pks share ``pk // BATCH``; ``claim_batch``,
``page_for``), in the queries of one, and a request for a page its block's maker is making waits for it
(``wait_for``): after a deployment or an agenda edit a morning's load makes pages a block at a time instead
of one by one."""

import hashlib
import re
import secrets
import time
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import compress_string

from attendance.enums import AttendanceStatus
from attendance.selectors import attendance_summary, attendance_version_keys, sessions_taken, statuses_by_enrollment
from certificates.selectors import certificate_version_key, certificates_for_enrollments
from evaluations.enums import CLOSED, OPEN
from evaluations.selectors.completion import settings_for
from evaluations.selectors.forms import evaluation_version_key, forms_for_enrollments
from evaluations.selectors.plans import plans_cards, plans_version_key
from participants.selectors import enrollments_for_pages, page_row_for_token, page_rows_between
from retreat.middleware import request_language
from retreat.versions import current_versions, versions
from sessions.selectors import agenda_days, agenda_version, agenda_version_key, is_meant, jp_total, sessions_for_program

FRAME_TEMPLATE = "portal/personal_page.html"
PERSONAL_TEMPLATE = "portal/_personal.html"
AGENDA_TEMPLATE = "portal/_agenda.html"
CARD_TEMPLATE = "portal/_session_card.html"
ITEM_TEMPLATE = "portal/_evaluation_item.html"
SUMMARY_TEMPLATE = "portal/_attendance_summary.html"
PERSONAL_PLACE = "<!--personal-->"
AGENDA_PLACE = "<!--agenda-->"
SUMMARY_PLACE = "<!--attendance-summary-->"
PART_SECONDS = 24 * 3600  # a change moves the parts' keys; this only lets old entries go
MARKERS = re.compile(r"[ ]*<!--my-attendance:(\d+)-->\n?")  # where a session's personal attendance goes
BADGES = {"hadir": "text-bg-success", "terlambat": "text-bg-warning", "alpa": "text-bg-danger"}

PAGE_PATH = re.compile(r"^/p/(?P<token>[^/]+)/$")  # portal/urls.py: portal:personal_page
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as django.middleware.gzip
PAGE_SECONDS = 300  # forms opening or closing show within this
BATCH = 40  # pages made together, at most
WAIT_SECONDS = 1.5  # for a page another request is making
BATCHING = "personal_pages_batch"  # the Batch the middleware claimed for a request, on the request


def variant(request) -> tuple[str, bool]:
    """What a page's bytes depend on besides its participant: the language and whether it goes compressed."""
    return request_language(request), bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def time_window(enrollment_pk: int) -> int:
    """The ``PAGE_SECONDS`` window a participant's page is in. Each participant's windows are shifted by
    their own offset, so a program's pages don't all expire, and get made again, in the same second."""
    return (int(time.time()) + enrollment_pk * 61) // PAGE_SECONDS


def version_keys(program_pk: int, enrollment_pk: int) -> tuple[str, ...]:
    """The versions a participant's page is made under: the agenda, the attendance (the program's and
    theirs), their evaluations, plans and certificate."""
    return (agenda_version_key(program_pk), *attendance_version_keys(program_pk, enrollment_pk),
            evaluation_version_key(enrollment_pk), plans_version_key(enrollment_pk),
            certificate_version_key(enrollment_pk))  # fmt: skip


# --- The page kept whole ----------------------------------------------------------------------------------


class PageState(NamedTuple):
    """What a participant's page is made from, as read before making it."""

    token: str
    row: tuple  # participants.selectors.PAGE_ROW_FIELDS, as the database gives them
    versions: tuple  # of version_keys, in their order
    language: str
    window: int

    @property
    def enrollment_pk(self) -> int:
        return self.row[0]

    @property
    def program_pk(self) -> int:
        return self.row[1]

    def personal(self) -> tuple:
        """What the personal part shows: all but the schedule's and attendance's versions."""
        return self.token, self.row, self.versions[3:], self.language, self.window


@dataclass
class KeptPage:
    """A participant's page in the cache: ``response`` when it is kept under the current ``state``, else
    None (``keep`` then stores the page made for ``state``)."""

    key: str
    state: PageState
    response: HttpResponse | None = None


def _page_key(enrollment_pk: int, language: str, gzip: bool) -> str:
    return f"personal-page:{enrollment_pk}:{language}:{'gzip' if gzip else 'plain'}"


def _state(token: str, row: tuple, found: dict, keys: tuple, language: str) -> PageState:
    return PageState(token, tuple(row), tuple(found[key] for key in keys), language, time_window(row[0]))


def kept_page(token: str, language: str, *, gzip: bool) -> KeptPage | None:
    """The page ``token`` opens, if it is kept under the current state; None for an unknown or revoked
    link. One prepared query (the link's row) and one round trip to the cache (the versions and the page)."""
    row = page_row_for_token(token)
    if row is None:
        return None
    keys = version_keys(row[1], row[0])
    key = _page_key(row[0], language, gzip)
    found = cache.get_many([*keys, key])
    kept = found.pop(key, None)
    state = _state(token, row, current_versions(keys, found), keys, language)
    if kept is not None and kept["state"] == state:
        return KeptPage(key, state, HttpResponse(kept["content"], headers=kept["headers"]))
    return KeptPage(key, state)


@dataclass
class Batch:
    """The page asked for and the out-of-date ``pages`` of its block, made with it: ``made`` by the view
    (enrollment pk -> HTML) and kept by ``keep``; ``lock`` is held meanwhile (None: the asked page is
    made alone)."""

    asked: KeptPage
    pages: list
    lock: str | None = None
    made: dict = field(default_factory=dict)

    @property
    def states(self) -> dict:
        """Enrollment pk -> PageState of every page of the batch, the asked one's too."""
        return {page.state.enrollment_pk: page.state for page in (self.asked, *self.pages)}


def block(enrollment_pk: int) -> tuple[int, int]:
    """The first and last pk of the block of ``BATCH`` pks the participant's page is made with."""
    first = enrollment_pk // BATCH * BATCH
    return first, first + BATCH - 1


def claim_batch(page: KeptPage, language: str, gzip: bool) -> Batch | None:
    """The pages of the participants of ``page``'s block (its program's, with a link) whose kept page is
    missing or out of date, each with the state read now, to make with it; None while another request makes
    them. One query and one round trip to the cache."""
    enrollment_pk, program_pk = page.state.enrollment_pk, page.state.program_pk
    first, last = block(enrollment_pk)
    lock = f"personal-pages-making:{program_pk}:{first}"
    if not cache.add(lock, 1, 10):
        return None
    rows = [row for row in page_rows_between(program_pk, first, last) if row[0] != enrollment_pk]
    keys = {row[0]: version_keys(row[1], row[0]) for row in rows}
    page_keys = {row[0]: _page_key(row[0], language, gzip) for row in rows}
    wanted = [key for each in keys.values() for key in each]
    found = current_versions(wanted, cache.get_many([*wanted, *page_keys.values()]))
    out_of_date = []
    for row in rows:
        *fields, token = row
        state = _state(token, fields, found, keys[row[0]], language)
        kept = found.get(page_keys[row[0]])
        if kept is None or kept["state"] != state:
            out_of_date.append(KeptPage(page_keys[row[0]], state))
    return Batch(page, out_of_date, lock)


def alone(page: KeptPage) -> Batch:
    """The asked page made alone (its block is being made by another request)."""
    return Batch(page, [])


def wait_for(page: KeptPage, token: str, language: str, gzip: bool) -> HttpResponse | None:
    """``page`` kept by the request making its block, waited for up to ``WAIT_SECONDS``: cheaper than making
    it alone beside that request. None if it did not come (or came under a state no longer current)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        kept = cache.get(page.key)
        if kept is None:
            continue
        if kept["state"] == page.state:
            return HttpResponse(kept["content"], headers=kept["headers"])
        fresh = kept_page(token, language, gzip=gzip)  # a version moved meanwhile
        return fresh.response if fresh is not None else None
    return None


def keep(page: KeptPage, response, batch: Batch | None = None) -> None:
    """Keeps ``response`` as the page of ``page.state``, and the pages ``batch`` made beside it with its
    headers. Each state was read before its page was made, so anything changed meanwhile moves a version
    and the next request makes the page again."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return
    kept = {page.key: {"state": page.state, "headers": list(response.items()), "content": response.content}}
    if batch is not None and batch.made:
        headers = [(name, value) for name, value in response.items() if name != "Content-Length"]
        compressed = response.get("Content-Encoding") == "gzip"
        for other in batch.pages:
            if other.state.enrollment_pk not in batch.made:
                continue
            html = batch.made[other.state.enrollment_pk].encode()
            content = compress_string(html, max_random_bytes=100) if compressed else html
            kept[other.key] = {"state": other.state, "content": content,
                               "headers": [*headers, ("Content-Length", str(len(content)))]}  # fmt: skip
    cache.set_many(kept, PAGE_SECONDS)


def release(batch: Batch | None) -> None:
    if batch is not None and batch.lock:
        cache.delete(batch.lock)


def page_for(enrollment, request) -> str:
    """The participant's page; with it, in the same queries, the pages of the batch the middleware claimed
    for this request (see ``BATCHING``), left in the batch for it to keep."""
    batch = getattr(request, BATCHING, None)
    others = enrollments_for_pages(page.state.enrollment_pk for page in batch.pages) if batch and batch.pages else []
    made = make_pages([enrollment, *others], batch.states if batch else {})
    if batch is not None:
        batch.made = {pk: html for pk, html in made.items() if pk != enrollment.pk}
    return made[enrollment.pk]


# --- Making pages -----------------------------------------------------------------------------------------


def make_pages(enrollments: list, states: dict | None = None) -> dict[int, str]:
    """The pages of ``enrollments`` (all of one program, as ``enrollments_for_pages`` gives them), by
    enrollment pk, in the same queries for one or for many. With their ``states`` (enrollment pk ->
    PageState), the personal parts are kept and taken from the cache: after an agenda edit only the
    schedule is laid out again."""
    program = enrollments[0].program
    frame = frame_for(program)
    personal = personal_parts(enrollments, states or {})
    statuses = statuses_by_enrollment(enrollments)
    taken = taken_for(program, versions(attendance_version_keys(program.pk, enrollments[0].pk)[0]))  # the program's
    agendas = agendas_for(program, {(enrollment.cohort_id, enrollment.group_id) for enrollment in enrollments})
    made = {}
    for enrollment in enrollments:
        agenda, mine = agendas[enrollment.cohort_id, enrollment.group_id], statuses[enrollment.pk]
        summary = attendance_summary(agenda["sessions"], mine, taken)
        summary_html = "" if summary["percent"] is None else render_to_string(
            SUMMARY_TEMPLATE, {"attendance": summary, "program": program})  # fmt: skip
        made[enrollment.pk] = (
            frame["html"].replace(frame["token"], enrollment.access_token)
            .replace(PERSONAL_PLACE, personal[enrollment.pk], 1)
            .replace(AGENDA_PLACE, with_attendance(agenda["pieces"], mine), 1)
            .replace(SUMMARY_PLACE, summary_html, 1)
        )  # fmt: skip
    return made


def personal_parts(enrollments: list, states: dict) -> dict[int, str]:
    """Each participant's personal part (who they are, their forms, certificate and plans), from the cache
    under their state's ``personal()`` when they have a state there, else read for all of them at once."""
    keys = {pk: "personal-part:" + hashlib.sha256(repr(state.personal()).encode()).hexdigest()
            for pk, state in states.items()}  # fmt: skip
    found = cache.get_many(list(keys.values())) if keys else {}
    parts = {e.pk: found[keys[e.pk]] for e in enrollments if keys.get(e.pk) in found}
    todo = [e for e in enrollments if e.pk not in parts]
    if not todo:
        return parts
    program, now = todo[0].program, timezone.now()
    prefetch_related_objects([e.group for e in todo if e.group_id], "facilitators")  # shown with the group
    forms = forms_for_enrollments(todo, now)
    certificates = certificates_for_enrollments(todo)
    days, today = settings_for(program).follow_up_days, timezone.localdate(now, timezone=program.tzinfo)
    plans, items = plans_cards(todo, days, today), EvaluationItems()
    for enrollment in todo:
        parts[enrollment.pk] = personal_html(enrollment, forms[enrollment.pk], certificates.get(enrollment.pk),
                                             plans[enrollment.pk], items)  # fmt: skip
    cache.set_many({keys[e.pk]: parts[e.pk] for e in todo if e.pk in keys}, PAGE_SECONDS)
    return parts


def frame_for(program) -> dict:
    """What every participant's page of the program shares, laid out once per program state and language:
    ``html`` with the places of the personal part, the schedule and the attendance summary, and ``token``,
    the stand-in for the link's token (random, so no text of the page can take its place)."""
    partner = program.partner.short_name if program.partner_id else None
    state = (program.pk, program.updated_at, program.agenda_published_at, program.organizer.short_name, partner,
             translation.get_language())  # fmt: skip
    key = "personal-frame:" + hashlib.sha256(repr(state).encode()).hexdigest()
    frame = cache.get(key)
    if frame is None:
        stand_in = secrets.token_urlsafe(24)
        html = render_to_string(FRAME_TEMPLATE, {
            "program": program, "token": stand_in, "published": bool(program.agenda_published_at),
            "personal_html": mark_safe(PERSONAL_PLACE), "agenda_html": mark_safe(AGENDA_PLACE),
            "attendance_html": mark_safe(SUMMARY_PLACE)})  # fmt: skip
        frame = {"html": html, "token": stand_in}
        cache.set(key, frame, PART_SECONDS)
    return frame


def personal_html(enrollment, forms, certificate, plans_card, items: "EvaluationItems") -> str:
    """Who the participant is, their evaluation forms (the ones still to fill in first), certificate and
    plans."""
    open_forms = sorted((s for s in forms if s.state == OPEN), key=lambda s: not s.pending)
    token = enrollment.access_token
    return render_to_string(PERSONAL_TEMPLATE, {
        "enrollment": enrollment, "participant": enrollment.participant,
        "open_items": [items.html(s, token) for s in open_forms],
        "past_items": [items.html(s, token) for s in forms if s.state == CLOSED],
        "pending_forms": sum(s.pending for s in open_forms), "certificate": certificate, "plans_card": plans_card,
    })  # fmt: skip


class EvaluationItems:
    """The line of each evaluation form on the personal pages, laid out once per form and state for many
    pages, with a stand-in for the link's token (random, as the frame's)."""

    def __init__(self):
        self.stand_in = secrets.token_urlsafe(24)
        self.laid_out = {}

    def html(self, item, token: str) -> str:
        key = (item.form.pk, item.state, item.response is not None)
        if key not in self.laid_out:
            self.laid_out[key] = render_to_string(ITEM_TEMPLATE, {
                "item": item, "enrollment": SimpleNamespace(access_token=self.stand_in)})  # fmt: skip
        return mark_safe(self.laid_out[key].replace(self.stand_in, token))


def session_cards(program, state: tuple) -> list[SimpleNamespace]:
    """Every session of the program as its card on the participants' pages (``html``), laid out once per
    agenda ``state`` whoever it is meant for, with what choosing and counting them needs: pk, mandatory,
    starts_at, jp and the pks of the cohorts and groups it is meant for. No card before the agenda is
    published."""
    key = "personal-cards:" + hashlib.sha256(repr(state).encode()).hexdigest()
    cards = cache.get(key)
    if cards is None:
        template = get_template(CARD_TEMPLATE)
        sessions = sessions_for_program(program) if program.agenda_published_at else []
        cards = [SimpleNamespace(
            pk=s.pk, mandatory=s.mandatory, starts_at=s.starts_at, jp=s.jp,
            cohorts=frozenset(c.pk for c in s.cohorts.all()), groups=frozenset(g.pk for g in s.groups.all()),
            html=template.render({"s": s, "program": program})) for s in sessions]  # fmt: skip
        cache.set(key, cards, PART_SECONDS)
    return cards


def agendas_for(program, audiences) -> dict[tuple, dict]:
    """The schedules of these audiences ((cohort pk, group pk) pairs), each kept per agenda version and put
    together from the program's ``session_cards`` when it is not: ``pieces`` (its HTML split at the place of
    each session's personal attendance, with the session's pk between) and ``sessions`` (what attendance
    needs of each: pk, mandatory, starts_at). One round trip to the cache when they are all kept."""
    state = (program.pk, agenda_version(program.pk), program.agenda_published_at, program.updated_at,
             translation.get_language())  # fmt: skip
    keys = {audience: "personal-agenda:" + hashlib.sha256(repr((*state, *audience)).encode()).hexdigest()
            for audience in audiences}  # fmt: skip
    found = cache.get_many(list(keys.values()))
    agendas = {audience: found[key] for audience, key in keys.items() if key in found}
    missing = [audience for audience in keys if audience not in agendas]
    if not missing:
        return agendas
    cards = session_cards(program, state)
    for cohort_pk, group_pk in missing:
        mine = [card for card in cards if is_meant(card.cohorts, card.groups, cohort_pk, group_pk)]
        html = render_to_string(AGENDA_TEMPLATE, {
            "program": program, "published": bool(program.agenda_published_at),
            "days": agenda_days(program, mine), "jp_total": jp_total(mine)})  # fmt: skip
        agendas[cohort_pk, group_pk] = {
            "pieces": MARKERS.split(html),  # HTML, session pk, HTML, …, HTML
            "sessions": [SimpleNamespace(pk=c.pk, mandatory=c.mandatory, starts_at=c.starts_at) for c in mine],
        }
    cache.set_many({keys[audience]: agendas[audience] for audience in missing}, PART_SECONDS)
    return agendas


def taken_for(program, version: str) -> set[int]:
    """The program's sessions whose attendance was taken, under the program's attendance ``version``; a first
    record of a session shows within ``PAGE_SECONDS``."""
    key = f"sessions-taken:{program.pk}:{version}:{int(timezone.now().timestamp()) // PAGE_SECONDS}"
    taken = cache.get(key)
    if taken is None:
        taken = sessions_taken(program)
        cache.set(key, taken, PAGE_SECONDS)
    return taken


def with_attendance(pieces: list[str], statuses: dict) -> str:
    """The schedule's HTML with the participant's attendance on each session they were recorded for."""
    labels = dict(AttendanceStatus.choices)
    html = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            html.append(piece)
        elif (status := statuses.get(int(piece))) is not None:
            html.append(format_html('<div class="my-attendance small"><span class="badge {}">{}</span></div>\n',
                                    BADGES.get(status, "text-bg-info"), labels.get(status, status)))  # fmt: skip
    return "".join(html)
