from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from retreat.documents import Document, DocumentError, register
from retreat.enums import DocumentKind

from .selectors import enrollments_for_program


def letterhead_context(institution) -> dict:
    """The kop surat of an institution; a logo that is set but missing on disk stops the document."""
    if institution.logo and not default_storage.exists(institution.logo.name):
        raise DocumentError(
            _("The logo of %(institution)s is missing from storage (%(file)s). Upload the logo again.")
            % {"institution": institution, "file": institution.logo.name}
        )
    return {
        "institution": institution,
        "lines": institution.letterhead,
        "logo_url": institution.logo.url if institution.logo else static("retreat/img/emblem.png"),
    }


@register(DocumentKind.PARTICIPANT_LIST)
def participant_list(job) -> Document:
    program = job.program
    enrollments = list(enrollments_for_program(program))
    if not enrollments:
        raise DocumentError(_("The program has no participants yet: add participants before printing the list."))
    return Document(
        filename=f"daftar-peserta-{slugify(program.name)[:60]}.pdf",
        template="participants/pdf/participant_list.html",
        context={
            "program": program,
            "letterhead": letterhead_context(program.organizer),
            "enrollments": enrollments,
            "printed_at": timezone.now(),
        },
    )


def personal_url(enrollment) -> str:
    return settings.SITE_URL + reverse("personal_page", kwargs={"token": enrollment.access_token})


def qr_svg(url: str, *, scale: int = 3) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, border=0, omitsize=False)


@register(DocumentKind.GROUP_LIST)
def group_list(job) -> Document:
    program = job.program
    groups = {}
    for enrollment in enrollments_for_program(program).filter(group__isnull=False).order_by("group__number", "order"):
        groups.setdefault(enrollment.group, []).append(enrollment)
    if not groups:
        raise DocumentError(_("No discussion groups have been formed yet."))
    return Document(
        filename=f"kelompok-{slugify(program.name)[:60]}.pdf",
        template="participants/pdf/group_list.html",
        context={
            "program": program,
            "letterhead": letterhead_context(program.organizer),
            "groups": list(groups.items()),
            "printed_at": timezone.now(),
        },
    )


@register(DocumentKind.ID_CARDS)
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
    )
