"""Seconds and memory to refuse the four hostile spreadsheets, against the targets (under 2 s, under 200 MB).

The files are those the import tests build (``participants/tests/hostile.py``): a CSV row of 20,000 cells, an XLSX
of 5,000 rows with a value in column XFD, an XLSX whose sheet unpacks to 600 MB and one whose shared strings
unpack to 300 MB. Each is uploaded through the import page (the test client, logged in as the program's
organizer) in a process of its own, on its own SQLite database (or DATABASE_URL); a list of 5,000 real-looking
participants is uploaded and previewed for comparison. Memory is the process's resident peak during the upload
(Linux's VmHWM, reset just before it), so Django's own footprint is in it. Prints figures and ratios; asserts
nothing.

    .venv/bin/python bench/import_hostile.py
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 2.0
TARGET_MB = 200
CASES = ["wide_row.csv", "xfd_column.xlsx", "sheet_bomb.xlsx", "shared_strings_bomb.xlsx", "list_5000.xlsx"]


def resident_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from the current resident size


def build(name: str, tmp: Path) -> bytes:
    if name == "list_5000.xlsx":
        from import_xlsx import write_workbook  # bench/import_xlsx.py

        path = tmp / name
        write_workbook(path, 5000)
        return path.read_bytes()
    from participants.tests.hostile import HOSTILE_FILES

    return HOSTILE_FILES[name]()


def one(name: str) -> dict:
    """Upload one file in this process; what it took."""
    from setup import django_on_temp_database  # bench/setup.py

    tmp = django_on_temp_database()
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from participants.models import ParticipantImport
    from retreat.enums import InstitutionKind, Role
    from retreat.models import Institution, Membership, Program, User

    setup_test_environment()  # the test client then keeps the template context (the form's error, the plan)
    data = build(name, tmp)
    institution = Institution.objects.create(name="Pemerintah Kota Bench", short_name="Bench",
                                             kind=InstitutionKind.PEMKOT)  # fmt: skip
    program = Program.objects.create(organizer=institution, name="Pelatihan Leadership", venue_name="POLTEKAD",
                                     start_date=dt.date(2025, 5, 15), end_date=dt.date(2025, 5, 17))  # fmt: skip
    user = User.objects.create_user(username="panitia.bench", password="x" * 16)
    Membership.objects.create(user=user, institution=institution, role=Role.ORGANIZER)
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    url = reverse("participants:import_upload", kwargs={"program_pk": program.pk})
    client.get(url)  # templates and translations loaded before the measure

    before = resident_mb("VmRSS")
    reset_peak()
    start = time.perf_counter()
    response = client.post(url, {"file": SimpleUploadedFile(name, data)})
    seconds = time.perf_counter() - start
    peak = resident_mb("VmHWM")
    result = {"name": name, "bytes": len(data), "seconds": seconds, "peak_mb": peak, "before_mb": before}
    if response.status_code == 200:
        result["refused"] = str(response.context["form"].errors["file"][0])
    else:
        start = time.perf_counter()
        preview = client.get(response.url)
        result["preview_seconds"] = time.perf_counter() - start
        result["preview_rows"] = len(preview.context["plan"].rows)
        result["kept"] = ParticipantImport.objects.count()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return

    print(f"{'file':26} {'size':>9} {'seconds':>8} {'peak MB':>8} {'(before)':>8}  outcome")
    worst_seconds = worst_mb = 0.0
    for name in CASES:
        run = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True, timeout=600)
        if run.returncode:
            print(f"{name:26} failed:\n{run.stderr[-2000:]}")
            continue
        result = json.loads(run.stdout.strip().splitlines()[-1])
        size = f"{result['bytes'] / 1024:.0f} KB"
        if "refused" in result:
            outcome = "refused: " + result["refused"][:90] + "…"
            worst_seconds = max(worst_seconds, result["seconds"])
            worst_mb = max(worst_mb, result["peak_mb"])
        else:
            outcome = f"accepted, preview of {result['preview_rows']} rows in {result['preview_seconds']:.2f} s"
        print(
            f"{name:26} {size:>9} {result['seconds']:8.2f} {result['peak_mb']:8.0f} {result['before_mb']:8.0f}  "
            f"{outcome}"
        )
    print(f"\nslowest refusal / {TARGET_SECONDS:.0f} s target: {worst_seconds / TARGET_SECONDS:.2f}")
    print(f"largest peak / {TARGET_MB} MB target: {worst_mb / TARGET_MB:.2f}")


if __name__ == "__main__":
    main()
