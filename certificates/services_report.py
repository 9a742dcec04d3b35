"""Writes of the post-retreat report: the organizer's texts (kept with their history) and the photos of its
appendix (at most MAX_PHOTOS a program, images only, resized when uploaded). A refused upload writes
nothing: every file is checked, and the count too, before the first one is stored."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.uploads import upload_prepare

from .models import REPORT_TEXTS, ReportPhoto, ReportText

MAX_PHOTOS = 20
CAPTION_LENGTH = ReportPhoto._meta.get_field("caption").max_length


def report_texts_save(*, program, user, data: dict) -> ReportText:
    """Save the report's texts (each stripped; an empty one means the default) with who changed them."""
    unknown = set(data) - set(REPORT_TEXTS)
    if unknown:
        raise ValidationError(_("The report has no text “%(name)s”.") % {"name": sorted(unknown)[0]})
    with transaction.atomic():
        text = ReportText.objects.select_for_update().filter(program=program).first() or ReportText(program=program)
        for name in REPORT_TEXTS:
            if name in data:
                setattr(text, name, _clean_text(data[name] or ""))
        text.full_clean()
        text._history_user = user
        text.save()
    return text


def _clean_text(value: str) -> str:
    """Trailing spaces and surplus blank lines gone; the lines and paragraphs as written."""
    lines = [line.rstrip() for line in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept, blank = [], False
    for line in lines:
        if not line:
            if kept and not blank:
                kept.append("")
            blank = True
            continue
        kept.append(line)
        blank = False
    return "\n".join(kept).strip()


def report_photos_add(*, program, user, files, caption: str = "") -> list[ReportPhoto]:
    """Add uploaded photos after the others. Refused as a whole (ValidationError on ``photos``) when it
    would make more than MAX_PHOTOS, or when one file is not an image of at most 5 MB (naming the file)."""
    files = list(files)
    if not files:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    caption = " ".join(str(caption or "").split())
    if len(caption) > CAPTION_LENGTH:
        raise ValidationError(
            {"caption": _("The caption is longer than %(count)d characters.") % {"count": CAPTION_LENGTH}}
        )
    with transaction.atomic():
        # The program's row locked: two uploads at once can't both pass the count.
        type(program).objects.select_for_update().filter(pk=program.pk).exists()
        existing = list(ReportPhoto.objects.filter(program=program).values_list("position", flat=True))
        room = MAX_PHOTOS - len(existing)
        if len(files) > room:
            raise ValidationError({"photos": _too_many(len(existing), len(files))})
        prepared = [upload_prepare(upload, images_only=True) for upload in files]  # all checked before writing
        position = max(existing, default=0)
        written, added = [], []
        try:
            for image in prepared:
                position += 1
                photo = ReportPhoto(program=program, caption=caption, position=position, uploaded_by=user)
                photo.image.save(image.name, image, save=False)
                written.append(photo.image)
                photo.save()
                added.append(photo)
        except Exception:
            for fieldfile in written:
                fieldfile.storage.delete(fieldfile.name)
            raise
    return added


def _too_many(existing: int, sent: int) -> str:
    room = MAX_PHOTOS - existing
    if room <= 0:
        return _("The report already has %(max)d photos, the most it takes: remove one before adding another.") % {
            "max": MAX_PHOTOS
        }  # fmt: skip
    return ngettext(
        "The report takes at most %(max)d photos and has %(existing)d: %(room)d more can be added, not %(sent)d. "
        "Nothing was saved.",
        "The report takes at most %(max)d photos and has %(existing)d: %(room)d more can be added, not %(sent)d. "
        "Nothing was saved.",
        room,
    ) % {"max": MAX_PHOTOS, "existing": existing, "room": room, "sent": sent}


def report_photo_update(*, photo: ReportPhoto, caption: str | None = None, move: str = "") -> ReportPhoto:
    """Change a photo's caption, and/or move it one place up or down among the program's photos."""
    if move not in ("", "up", "down"):
        raise ValidationError(_("A photo moves up or down only."))
    with transaction.atomic():
        photos = list(ReportPhoto.objects.select_for_update().filter(program_id=photo.program_id))
        photos.sort(key=lambda p: (p.position, p.pk))
        index = next(n for n, p in enumerate(photos) if p.pk == photo.pk)
        photo = photos[index]
        if caption is not None:
            photo.caption = " ".join(str(caption).split())
            photo.full_clean(exclude=["image"])
            photo.save(update_fields=["caption"])
        if move:
            other = index - 1 if move == "up" else index + 1
            if 0 <= other < len(photos):
                photos[index], photos[other] = photos[other], photos[index]
            _renumber(photos)
    return photo


def _renumber(photos: list[ReportPhoto]) -> None:
    for position, photo in enumerate(photos, start=1):
        if photo.position != position:
            photo.position = position
            photo.save(update_fields=["position"])


def report_photo_delete(*, photo: ReportPhoto) -> None:
    """Remove a photo and, once that is committed, its file; the others close up."""
    name, storage = photo.image.name, photo.image.storage
    with transaction.atomic():
        program_id = photo.program_id
        photo.delete()
        _renumber(
            list(ReportPhoto.objects.select_for_update().filter(program_id=program_id).order_by("position", "pk"))
        )
        if name:
            transaction.on_commit(lambda: storage.delete(name))
