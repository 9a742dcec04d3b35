from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import INSTITUTIONS
from demo.seeding import DEMO_LOGINS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create or update the demo retreats (Malang at POLTEKAD, Magelang at BPSDMD Jawa Tengah) and demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")
        parser.add_argument(
            "--force", action="store_true", help="Seed even with DEBUG off (the demo logins' password is public)."
        )

    def handle(self, *args, quiet_logins=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production server, and the demo creates a superuser whose "
                "password is published in the README. Run it with --force if you really want the demo here."
            )
        for name, count in seed_demo().items():
            self.stdout.write(f"  {name}: {count} participants")
        if quiet_logins:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        names = {item["key"]: item["short_name"] for item in INSTITUTIONS}
        for login in DEMO_LOGINS:
            where = f"{login.role.label} · {names[login.institution]}" if login.role else "superuser (admin site)"
            self.stdout.write(f"  {login.username:<20} {where}")
