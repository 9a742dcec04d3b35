import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import DiscussionGroup
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


def session_save(*, program: Program, session: Session | None = None, **fields) -> Session:
    """Create or edit a session. Conflicts are warnings shown elsewhere; they never block saving."""
    refuse_unknown_fields(Session, fields, SESSION_FIELDS)
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    with transaction.atomic():
        if session is None:
            session = Session(program=program)
            before = None
        else:
            # From the database: a bound form has already written the new values onto the instance.
            before = _where_and_when(Session.objects.select_related("venue").get(pk=session.pk))
        for name, value in fields.items():
            setattr(session, name, value)
        _check_relations(program, session, relations)
        if before is not None:
            _record_changes(session, before)
        session.full_clean(exclude=["program"])
        if before is None:
            session.save()
        else:  # only what the caller edits, and the change marks
            session.save(update_fields=[*fields, "sequence", "changes", "changed_at", "updated_at"])
        for name, items in relations.items():
            getattr(session, name).set(items)
        return session


def session_move(*, session: Session, minutes: int = 0, days: int = 0) -> Session:
    delta = dt.timedelta(days=days, minutes=minutes)
    return session_save(
        program=session.program, session=session, starts_at=session.starts_at + delta, ends_at=session.ends_at + delta
    )


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
