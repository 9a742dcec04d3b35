from django.db.models import prefetch_related_objects
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retreat import links
from retreat.documents import Document, DocumentError, program_document, register

from .selectors import enrollments_for_program

PARTICIPANT_LIST = "participant_list"
GROUP_LIST = "group_list"
ID_CARDS = "id_cards"


@register(PARTICIPANT_LIST, label=gettext_lazy("Participant list"))
def participant_list(job) -> Document:
    program = job.program
    enrollments = list(enrollments_for_program(program))
    if not enrollments:
        raise DocumentError(_("The program has no participants yet: add participants before printing the list."))
    return program_document(
        program,
        prefix="daftar-peserta",
        template="participants/pdf/participant_list.html",
        enrollments=enrollments,
        rows=len(enrollments),
    )


def personal_url(enrollment) -> str:
    """The address printed on ID cards and sent by WhatsApp (served by portal, see retreat/links.py)."""
    return links.personal_url(enrollment.access_token)


def qr_svg(url: str, *, scale: int = 3) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, border=0, omitsize=False)


@register(GROUP_LIST, label=gettext_lazy("Discussion groups"))
def group_list(job) -> Document:
    program = job.program
    groups = {}
    for enrollment in enrollments_for_program(program).filter(group__isnull=False).order_by("group__number", "order"):
        groups.setdefault(enrollment.group, []).append(enrollment)
    if not groups:
        raise DocumentError(_("No discussion groups have been formed yet."))
    prefetch_related_objects(list(groups), "facilitators")
    return program_document(
        program,
        prefix="kelompok",
        template="participants/pdf/group_list.html",
        groups=list(groups.items()),
        rows=sum(len(members) for members in groups.values()),
    )


@register(ID_CARDS, label=gettext_lazy("Name tags / ID cards"))
def id_cards(job) -> Document:
    from .services import access_links_ensure

    program = job.program
    access_links_ensure(program=program)
    enrollments = list(enrollments_for_program(program))
    if not enrollments:
        raise DocumentError(_("The program has no participants yet: add participants before printing the list."))
    cards = [{"enrollment": e, "qr": qr_svg(personal_url(e))} for e in enrollments]
    return Document(
        filename=f"kartu-peserta-{slugify(program.name)[:60]}.pdf",
        template="participants/pdf/id_cards.html",
        context={"program": program, "institution": program.organizer, "cards": cards},
        rows=len(cards),
    )


ROOMING_LIST = "rooming_list"


@register(ROOMING_LIST, label=gettext_lazy("Rooming list"))
def rooming_list(job) -> Document:
    from .selectors import rooms_for_program

    program = job.program
    rooms = rooms_for_program(program)
    if not rooms:
        raise DocumentError(_("The program has no rooms yet: add rooms before printing the rooming list."))
    placed = {e.pk for _room, occupants in rooms for e in occupants}
    waiting = [e for e in enrollments_for_program(program) if e.pk not in placed]
    return program_document(
        program,
        prefix="daftar-kamar",
        template="participants/pdf/rooming_list.html",
        rooms=rooms,
        waiting=waiting,
        rows=len(placed) + len(waiting),
    )
