"""Sending the personal links: one page with every active participant's link, a WhatsApp button each, the
list as CSV/XLSX for a WhatsApp broadcast list (name, phone, link: no NIP) and a printable sheet of QR codes."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from retreat.access import ProgramMixin
from retreat.downloads import attachment
from retreat.services import export_record

from . import selectors, services
from .documents import personal_url, qr_svg
from .exports import links_csv, links_xlsx
from .links import whatsapp_number
from .models import Enrollment
from .views import whatsapp_url


@dataclass
class LinkRow:
    enrollment: Enrollment
    link: str  # "" while the enrollment has no personal link
    phone: str  # +62 form, "" without a usable number
    whatsapp: str  # wa.me address with the prefilled message, "" without a link or a usable number

    @property
    def participant(self):
        return self.enrollment.participant


def link_rows(program) -> list[LinkRow]:
    """The program's active enrollments (protocol order) with their links; two queries whatever their number."""
    rows = []
    for enrollment in selectors.enrollments_for_program(program).select_related("program"):
        link = personal_url(enrollment) if enrollment.access_token else ""
        number = whatsapp_number(enrollment.participant.phone)
        whatsapp = whatsapp_url(enrollment, link) if link else ""
        rows.append(LinkRow(enrollment, link, "+" + number if number else "", whatsapp))
    return rows


class LinksView(ProgramMixin, TemplateView):
    access = "participants.manage_links"
    template_name = "participants/links.html"
    tab = "participants"

    def get_context_data(self, **kwargs):
        rows = link_rows(self.program)
        return super().get_context_data(
            rows=rows,
            missing=sum(1 for row in rows if not row.link),
            can_export=self.request.user.has_perm("participants.export_links", self.program),
            **kwargs,
        )


class LinksQrView(LinksView):
    """The printable sheet: a QR code and the name for each participant with a link, cut along the lines."""

    template_name = "participants/links_qr.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = [(row, qr_svg(row.link, scale=4)) for row in context["rows"] if row.link]
        return context


class LinksEnsureView(ProgramMixin, View):
    """Give a link to every active participant without one; existing links keep working."""

    access = "participants.manage_links"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        count = services.access_links_ensure(program=self.program)
        if count:
            made = ngettext("%(count)d personal link was made.", "%(count)d personal links were made.", count)
            messages.success(request, made % {"count": count})
        else:
            messages.info(request, _("Every participant already has a personal link."))
        return redirect("participants:links", program_pk=self.program.pk)


class LinksExportView(ProgramMixin, View):
    """Name, phone (+62…) and personal link of each participant with a link, recorded as an export."""

    access = "participants.export_links"

    def get(self, request, *args, **kwargs):
        fmt = self.kwargs["fmt"]
        if fmt not in ("xlsx", "csv"):
            raise Http404
        rows = [(row.participant.display_name, row.phone, row.link) for row in link_rows(self.program) if row.link]
        export_record(program=self.program, user=request.user, what=_("Personal links"), file_format=fmt.upper(),
                      rows=len(rows))  # fmt: skip
        name = f"tautan-peserta-{slugify(self.program.name)[:60]}"
        if fmt == "xlsx":
            return attachment(links_xlsx(rows, title=self.program.name), f"{name}.xlsx")
        return attachment(links_csv(rows), f"{name}.csv", content_type="text/csv; charset=utf-8")
