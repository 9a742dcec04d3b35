"""The program's rooms (Kamar): who sleeps where, the rooms themselves, automatic assignment and manual moves.

Every member of the program sees the page; managers change it (``participants.manage_rooms``). A move or a
lock sent by htmx gets the room board back (with the refusal, if any, on it); without JavaScript the same forms
post and come back to the page with a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from retreat.access import ProgramMixin
from retreat.params import whole_number
from retreat.selectors import document_jobs_for_program

from . import selectors, services
from .documents import ROOMING_LIST
from .forms import RoomForm
from .models import Room
from .rooms import NO_BED, NO_ROOM, NO_SEX
from .views import EnrollmentMixin


def unplaced_reasons() -> dict[str, str]:
    return {
        NO_SEX: _("sex not known: place by hand"),
        NO_ROOM: _("no room is set aside for their sex"),
        NO_BED: _("the rooms for their sex are full"),
    }


class RoomsView(ProgramMixin, TemplateView):
    access = "participants.view_enrollments"
    template_name = "participants/rooms.html"
    tab = "rooms"

    def board_context(self, **kwargs) -> dict:
        program = self.program
        rooms = selectors.rooms_for_program(program)
        placed = {e.pk for _room, occupants in rooms for e in occupants}
        waiting = [e for e in selectors.enrollments_for_program(program) if e.pk not in placed]
        reasons = unplaced_reasons()
        free_beds = {}  # sex -> free beds in the rooms set aside for it
        for room, occupants in rooms:
            if room.sex:
                free_beds[room.sex] = free_beds.get(room.sex, 0) + max(0, room.capacity - len(occupants))
        for enrollment in waiting:
            sex = enrollment.participant.sex
            reason = NO_SEX if not sex else NO_ROOM if sex not in free_beds else NO_BED if not free_beds[sex] else ""
            enrollment.unplaced_reason = reasons[reason] if reason else ""
        return {
            "program": program,
            "rooms": [(room, occupants, room.capacity - len(occupants)) for room, occupants in rooms],
            "waiting": waiting,
            "beds": sum(room.capacity for room, _occupants in rooms),
            "sleepers": len(placed),
            "can_manage": self.request.user.has_perm("participants.manage_rooms", program),
            **kwargs,
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RoomForm(instance=Room(program=self.program)))
        return super().get_context_data(
            jobs=document_jobs_for_program(self.program, kinds=[ROOMING_LIST]),
            **self.board_context(),
            **kwargs,
        )

    def answer(self, request, *, error: str = "", success: str = ""):
        """The room board for htmx (with the message on it), else back to the page with the message."""
        if request.htmx:
            context = self.board_context(notice=error or success, notice_error=bool(error))
            return self.response_class(request, "participants/rooms_board.html", context)
        if error:
            messages.error(request, error)
        elif success:
            messages.success(request, success)
        return redirect("participants:rooms", program_pk=self.program.pk)


class RoomCreateView(RoomsView):
    access = "participants.manage_rooms"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = RoomForm(request.POST, instance=Room(program=self.program))
        if form.is_valid():
            try:
                room = services.room_create(program=self.program, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Room %(room)s added.") % {"room": room.label})
                return redirect("participants:rooms", program_pk=self.program.pk)
        return self.render_to_response(self.get_context_data(form=form))


class RoomMixin(ProgramMixin):
    def get_room(self) -> Room:
        return get_object_or_404(Room, program=self.program, pk=self.kwargs["room_pk"])


class RoomUpdateView(RoomMixin, TemplateView):
    """A room's own page: change it, or delete it when nobody sleeps there."""

    access = "participants.manage_rooms"
    template_name = "participants/rooms_edit.html"
    tab = "rooms"

    def get_context_data(self, **kwargs):
        room = kwargs.setdefault("room", self.get_room())
        kwargs.setdefault("form", RoomForm(instance=room))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        room = self.get_room()
        form = RoomForm(request.POST, instance=room)
        if form.is_valid():
            try:
                services.room_update(room=room, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Room %(room)s saved.") % {"room": room.label})
                return redirect("participants:rooms", program_pk=self.program.pk)
        room.refresh_from_db()
        return self.render_to_response(self.get_context_data(room=room, form=form))


class RoomDeleteView(RoomMixin, View):
    access = "participants.manage_rooms"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        room = self.get_room()
        try:
            services.room_delete(room=room)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("participants:room_update", program_pk=self.program.pk, room_pk=room.pk)
        messages.success(request, _("Room %(room)s deleted.") % {"room": room.label})
        return redirect("participants:rooms", program_pk=self.program.pk)


class RoomsAssignView(RoomsView):
    access = "participants.manage_rooms"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        unplaced = services.rooms_assign(program=self.program)
        messages.success(request, _("Rooms assigned; locked placements were kept."))
        if unplaced:
            reasons = unplaced_reasons()
            counts = {}
            for reason in unplaced.values():
                counts[reason] = counts.get(reason, 0) + 1
            detail = "; ".join(f"{reasons[reason]}: {count}" for reason, count in counts.items())
            messages.warning(
                request,
                ngettext(
                    "%(count)d participant could not be placed (%(detail)s).",
                    "%(count)d participants could not be placed (%(detail)s).",
                    len(unplaced),
                )
                % {"count": len(unplaced), "detail": detail},
            )
        return redirect("participants:rooms", program_pk=self.program.pk)


class RoomMoveView(EnrollmentMixin, RoomsView):
    """Move one person to a room (or out of every room), locked; or lock and unlock where they are."""

    access = "participants.manage_rooms"
    tab = "rooms"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        enrollment = self.get_enrollment()
        name = enrollment.participant.display_name
        if "locked" in request.POST:
            services.enrollment_room_lock(enrollment=enrollment, locked=request.POST["locked"] == "1")
            return self.answer(request)
        value = request.POST.get("room", "")
        if value and whole_number(value) is None:
            raise Http404
        room = get_object_or_404(Room, program=self.program, pk=value) if value else None
        try:
            services.enrollment_room_move(enrollment=enrollment, room=room)
        except ValidationError as exc:
            return self.answer(request, error=" ".join(exc.messages))
        if room is None:
            return self.answer(request, success=_("%(name)s has no room now.") % {"name": name})
        return self.answer(request, success=_("%(name)s moved to room %(room)s.") % {"name": name, "room": room.label})
