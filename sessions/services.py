import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import DiscussionGroup
from retreat.formatting import program_clock, program_date, program_time
from retreat.models import Cohort, Program
from retreat.services import model_update, refuse_unknown_fields
from retreat.tokens import new_access_token

from .agenda_templates import TEMPLATE_VENUES, TEMPLATES
from .models import Session, Speaker, Venue
from .signals import session_removing

RELATIONS = ("speakers", "cohorts", "groups", "facilitators")
# What an organizer sets on a session (the program is given apart and never changes).
SESSION_FIELDS = (
    "kind", "title", "description", "starts_at", "ends_at", "venue", "moderator", "dress_code", "counts_for_jp",
    "mandatory", *RELATIONS,
)  # fmt: skip


def _local(program: Program, day: dt.date, hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=program.tzinfo)


def _check_relations(program: Program, session: Session, relations: dict) -> None:
    """Everything a session points to belongs to its own program (or its organizer's registry)."""
    errors = {}
    if session.venue_id and session.venue.program_id != program.pk:
        errors["venue"] = _("This venue belongs to another program.")
    for name, items in relations.items():
        if name == "cohorts" and any(c.program_id != program.pk for c in items):
            errors[name] = _("A chosen cohort belongs to another program.")
        if name == "groups" and any(g.program_id != program.pk for g in items):
            errors[name] = _("A chosen group belongs to another program.")
        if name == "speakers" and any(s.institution_id not in program.institution_ids for s in items):
            errors[name] = _("A chosen speaker is in another institution's registry.")
    if errors:
        raise ValidationError(errors)


def _where_and_when(session: Session) -> dict:
    """What participants rely on: the time (as UTC instants) and the venue."""
    return {
        "time": [session.starts_at.astimezone(dt.UTC).isoformat(), session.ends_at.astimezone(dt.UTC).isoformat()],
        "venue": session.venue.name if session.venue_id else "",
    }


def _record_changes(session: Session, before: dict) -> None:
    """Count every change of time or venue (iCal SEQUENCE) and, once the agenda is published, keep what
    the session was before, for participants' pages; moving it back clears the mark."""
    now = _where_and_when(session)
    if now == before:
        return
    session.sequence += 1
    if not session.program.agenda_published_at:
        return
    changes = dict(session.changes or {})
    for key, value in now.items():
        original = changes.get(key, {}).get("from", before[key])
        if value == original:
            changes.pop(key, None)
        else:
            changes[key] = {"from": original}
    session.changes = changes
    session.changed_at = timezone.now() if changes else None


class StaleSession(ValidationError):
    """A save from a form (or agenda) read before someone else saved the session: refused, nothing written.
    ``session`` is the session as stored now."""

    def __init__(self, message, *, session: Session):
        super().__init__(message)
        self.session = session


def _when(session: Session) -> str:
    """`Jumat, 16 Mei 2025, 10.00–11.00 WIB, Aula Utama`: where and when a session is, in its program's zone."""
    program = session.program
    when = f"{program_date(session.starts_at, program)}, {program_clock(session.starts_at, program)}–" + program_time(
        session.ends_at, program
    )
    return f"{when}, {session.venue.name}" if session.venue_id else when


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value) if value not in (None, "") else "—"


def _stored_differences(stored: Session, fields: dict, relations: dict) -> dict:
    """Field → the stored value, for each field whose stored value differs from the one being saved (time and
    venue apart: the refusal names those)."""
    differences = {}
    for name, value in fields.items():
        if name in ("starts_at", "ends_at", "venue"):
            continue
        field = Session._meta.get_field(name)
        if getattr(stored, field.attname) != (value.pk if isinstance(value, Model) else value):
            shown = getattr(stored, f"get_{name}_display")() if field.choices else getattr(stored, name)
            differences[name] = _shown(shown)
    for name, items in relations.items():
        current = list(getattr(stored, name).all())
        if {item.pk for item in current} != {item.pk for item in items}:
            differences[name] = _shown(current)
    return differences


def _refuse_stale(stored: Session, read_sequence: int | None, fields: dict, relations: dict) -> None:
    if stored.sequence != read_sequence:
        message = _("Meanwhile someone else moved this session to %(when)s; your changes are kept: check and "
                    "save again.") % {"when": _when(stored)}  # fmt: skip
    else:
        message = _("Meanwhile someone else saved this session; your changes are kept: check and save again.")
    errors = {NON_FIELD_ERRORS: [message]}
    for name, value in _stored_differences(stored, fields, relations).items():
        errors[name] = [_("Saved now: %(value)s") % {"value": value}]
    raise StaleSession(errors, session=stored)


def session_save(
    *,
    program: Program,
    session: Session | None = None,
    read_version: int | None = None,
    read_sequence: int | None = None,
    **fields,
) -> Session:
    """Create or edit a session. Conflicts are warnings shown elsewhere; they never block saving.

    Every save moves the session's version on. Given the version a form was read at (``read_version``, and
    its ``read_sequence``), a save is refused with StaleSession when someone else saved the session since: it
    names what they changed, and nothing is written."""
    refuse_unknown_fields(Session, fields, SESSION_FIELDS)
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    with transaction.atomic():
        if session is None:
            session = Session(program=program)
            stored = None
        else:
            # From the database, locked: a bound form has already written the new values onto the instance.
            stored = (
                Session.objects.select_for_update(of=("self",)).select_related("program", "venue").get(pk=session.pk)
            )
            if read_version is not None and read_version != stored.version:
                _refuse_stale(stored, read_sequence, fields, relations)
            session.version, session.sequence = stored.version, stored.sequence
            session.changes, session.changed_at = stored.changes, stored.changed_at
        session.version += 1
        for name, value in fields.items():
            setattr(session, name, value)
        _check_relations(program, session, relations)
        if stored is not None:
            _record_changes(session, _where_and_when(stored))
        session.full_clean(exclude=["program"])
        if stored is None:
            session.save()
        else:  # only what the caller edits, and the change marks
            session.save(update_fields=[*fields, "sequence", "changes", "changed_at", "version", "updated_at"])
        for name, items in relations.items():
            getattr(session, name).set(items)
        return session


def session_move(*, session: Session, minutes: int = 0, days: int = 0, read_version: int | None = None) -> Session:
    """Move a session by minutes and/or days from where it is. Given the version the agenda showing it was
    read at, a move is refused when someone else saved the session since (it may be elsewhere by now)."""
    delta = dt.timedelta(days=days, minutes=minutes)
    try:
        return session_save(
            program=session.program,
            session=session,
            read_version=read_version,
            starts_at=session.starts_at + delta,
            ends_at=session.ends_at + delta,
        )
    except StaleSession as stale:
        message = _("Meanwhile someone else changed this session (it is now %(when)s); it was not moved: check "
                    "and move it again.") % {"when": _when(stale.session)}  # fmt: skip
        raise StaleSession(message, session=stale.session) from None


def session_duplicate(*, session: Session) -> Session:
    """A copy right after the original, with the same audience, speakers and venue."""
    length = session.ends_at - session.starts_at
    with transaction.atomic():
        copy = session_save(
            program=session.program,
            kind=session.kind,
            title=session.title,
            description=session.description,
            starts_at=session.ends_at,
            ends_at=session.ends_at + length,
            venue=session.venue,
            moderator=session.moderator,
            dress_code=session.dress_code,
            counts_for_jp=session.counts_for_jp,
            mandatory=session.mandatory,
            **{name: list(getattr(session, name).all()) for name in RELATIONS},
        )
        return copy


def session_delete(*, session: Session) -> None:
    """Delete a session, unless an app above refuses (ValidationError: e.g. its speaker evaluation has answers)."""
    with transaction.atomic():
        session_removing.send(sender=Session, session=session)
        session.delete()


VENUE_FIELDS = ("name", "kind", "capacity")
SPEAKER_FIELDS = ("front_title", "name", "back_title", "position", "organization", "bio")


def venue_save(*, program: Program, venue: Venue | None = None, **fields) -> Venue:
    with transaction.atomic():
        if venue is None:
            refuse_unknown_fields(Venue, fields, VENUE_FIELDS)
            venue = Venue(program=program, **fields)
            venue.full_clean()
            venue.save()
            return venue
        return model_update(instance=venue, fields=VENUE_FIELDS, data=fields)


def speaker_save(*, program: Program, speaker: Speaker | None = None, **fields) -> Speaker:
    """A narasumber in the organizing institution's registry, available to its other programs too."""
    with transaction.atomic():
        if speaker is None:
            refuse_unknown_fields(Speaker, fields, SPEAKER_FIELDS)
            speaker = Speaker(institution=program.organizer, **fields)
            speaker.full_clean()
            speaker.save()
            return speaker
        return model_update(instance=speaker, fields=SPEAKER_FIELDS, data=fields)


def agenda_apply_template(*, program: Program, template: str = "residential_3_day", venue_suffix: str = "") -> int:
    """Fill the program's agenda from a built-in template; the template's venues become the program's."""
    try:
        items = TEMPLATES[template][1]
    except KeyError:
        raise ValidationError(_("Unknown agenda template.")) from None
    days = len(program.days)
    if max(item[0] for item in items) > days:
        raise ValidationError(
            _("This template needs %(needed)d days; the program has %(days)d.")
            % {"needed": max(item[0] for item in items), "days": days}
        )
    with transaction.atomic():
        venues = {}
        for day, start, end, kind, title, venue, dress, counts, mandatory in items:
            if venue not in venues:
                venue_kind, capacity = TEMPLATE_VENUES.get(venue, ("room", None))
                venues[venue], _created = Venue.objects.get_or_create(
                    program=program, name=f"{venue}{venue_suffix}", defaults={"kind": venue_kind, "capacity": capacity}
                )
            date = program.start_date + dt.timedelta(days=day - 1)
            Session.objects.create(
                program=program,
                kind=kind,
                title=title,
                starts_at=_local(program, date, start),
                ends_at=_local(program, date, end),
                venue=venues[venue],
                dress_code=dress,
                counts_for_jp=counts,
                mandatory=mandatory,
            )
        return len(items)


def agenda_copy(*, program: Program, source: Program) -> int:
    """Copy another program's agenda, moved by the distance between the two start dates (in local time),
    with its venues (by name), cohorts (by name) and groups (by number) where this program has them."""
    shift = program.start_date - source.start_date
    with transaction.atomic():
        cohorts = {c.name: c for c in Cohort.objects.filter(program=program)}
        groups = {g.number: g for g in DiscussionGroup.objects.filter(program=program)}
        venues = {}
        sessions = source.sessions.select_related("venue", "moderator").prefetch_related(*RELATIONS)
        count = 0
        for session in sessions:
            venue = None
            if session.venue_id:
                name = session.venue.name
                if name not in venues:
                    venues[name], _created = Venue.objects.get_or_create(
                        program=program, name=name,
                        defaults={"kind": session.venue.kind, "capacity": session.venue.capacity},
                    )  # fmt: skip
                venue = venues[name]

            def moved(moment: dt.datetime) -> dt.datetime:
                local = moment.astimezone(source.tzinfo)
                return dt.datetime.combine(local.date() + shift, local.time(), tzinfo=program.tzinfo)

            speakers = [s for s in session.speakers.all() if s.institution_id in program.institution_ids]
            moderator = (
                session.moderator
                if session.moderator and session.moderator.institution_id in program.institution_ids
                else None
            )
            copy = Session.objects.create(
                program=program, kind=session.kind, title=session.title, description=session.description,
                starts_at=moved(session.starts_at), ends_at=moved(session.ends_at), venue=venue,
                moderator=moderator, dress_code=session.dress_code, counts_for_jp=session.counts_for_jp,
                mandatory=session.mandatory,
            )  # fmt: skip
            copy.speakers.set(speakers)
            copy.cohorts.set([cohorts[c.name] for c in session.cohorts.all() if c.name in cohorts])
            copy.groups.set([groups[g.number] for g in session.groups.all() if g.number in groups])
            count += 1
        return count


def agenda_publish(*, program: Program) -> Program:
    """Participants see the agenda from now on; changes to time or venue are marked from here."""
    with transaction.atomic():
        program.agenda_published_at = timezone.now()
        program.save(update_fields=["agenda_published_at"])
        Session.objects.filter(program=program).update(changes={}, changed_at=None)
        return program


def agenda_unpublish(*, program: Program) -> Program:
    with transaction.atomic():
        program.agenda_published_at = None
        program.save(update_fields=["agenda_published_at"])
        return program


def calendar_token_ensure(*, program: Program) -> str:
    """The secret in the program's calendar feed address, made on first use."""
    with transaction.atomic():
        if not program.calendar_token:
            program.calendar_token = new_access_token()
            program.save(update_fields=["calendar_token"])
        return program.calendar_token


def calendar_token_renew(*, program: Program) -> str:
    """A new calendar feed address for the program: the old one (leaked, say) answers 404 from now on."""
    with transaction.atomic():
        program.calendar_token = new_access_token()
        program.save(update_fields=["calendar_token"])
        return program.calendar_token


def calendar_token_revoke(*, program: Program) -> None:
    """No calendar feed address at all until a manager makes a new one."""
    with transaction.atomic():
        program.calendar_token = None
        program.save(update_fields=["calendar_token"])
