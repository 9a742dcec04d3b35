from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from participants.importing import ImportFileError, import_commit, plan_import
from retreat.models import Program


class Command(BaseCommand):
    help = "Import participants from a CSV or XLSX file into a program: shows the preview, then writes it."

    def add_arguments(self, parser):
        parser.add_argument("program_id", type=int, help="The program's id.")
        parser.add_argument("file", help="A .csv or .xlsx file with a header row.")
        parser.add_argument("--dry-run", action="store_true", help="Show the preview only; write nothing.")

    def handle(self, *args, program_id, file, dry_run=False, **options):
        program = Program.objects.select_related("organizer").filter(pk=program_id).first()
        if program is None:
            raise CommandError(_("There is no program with id %(id)s.") % {"id": program_id})
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}) from exc
        try:
            plan = plan_import(program=program, data=data, filename=path.name)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write(_("Program: %(program)s") % {"program": program})
        headers = " | ".join(plan.headers)
        self.stdout.write(_("Header on row %(row)d: %(headers)s") % {"row": plan.header_row_number, "headers": headers})
        for index, header in plan.unmapped:
            column = {"column": index + 1, "header": header}
            self.stdout.write(_("  column %(column)d “%(header)s” is not imported") % column)
        counts = plan.counts
        self.stdout.write(
            _("New: %(new)d · Update: %(update)d · Unchanged: %(unchanged)d · Refused: %(refused)d") % counts
        )
        for row in plan.rows:
            if row.action == "update":
                self.stdout.write(
                    _("Row %(row)d · %(name)s: update %(fields)s")
                    % {"row": row.row_number, "name": row.name, "fields": ", ".join(row.changes)}
                )
        for row in plan.rows:
            for message in row.messages:
                self.stdout.write(self.style.WARNING(_("Row %(row)d · %(message)s") % {"row": row.row_number,
                                                                                      "message": message}))  # fmt: skip
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
            return
        try:
            written = import_commit(program=program, plan=plan)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(_("Imported: %(new)d new, %(update)d updated. Refused rows: %(refused)d.") % written)
        )
