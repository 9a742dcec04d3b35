from django.core.management.base import BaseCommand

from demo.data import INSTITUTIONS
from demo.seeding import DEMO_LOGINS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create or update the demo retreats (Malang at POLTEKAD, Magelang at BPSDMD Jawa Tengah) and demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, quiet_logins=False, **options):
        for name, count in seed_demo().items():
            self.stdout.write(f"  {name}: {count} participants")
        if quiet_logins:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        names = {item["key"]: item["short_name"] for item in INSTITUTIONS}
        for login in DEMO_LOGINS:
            where = f"{login.role.label} · {names[login.institution]}" if login.role else "superuser (admin site)"
            self.stdout.write(f"  {login.username:<20} {where}")
