"""Seconds to preview and to commit a 1,000-row participant XLSX, against the 3 s target for both together.

Writes a workbook of 1,000 valid, distinct participants (title rows, header, NIPs as text) in a temporary
folder, runs on its own SQLite database there (or DATABASE_URL if set), then for each run imports it into a
fresh institution's program: preview (`plan_import`), commit (`import_commit`), and a re-import preview
that should find every row unchanged. Prints figures and ratios; asserts nothing.

    .venv/bin/python bench/import_xlsx.py [--rows 1000] [--runs 3]
"""

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

TARGET_SECONDS = 3.0
FIRST = ["Agus", "Bambang", "Budi", "Dewi", "Diah", "Eko", "Fajar", "Fitri", "Galih", "Hendro", "Indah", "Joko"]
MIDDLE = ["Adi", "Dwi", "Eka", "Hadi", "Nur", "Sri", "Tri", "Puji", "Rizki", "Agung", "Setyo", "Wahyu"]
LAST = ["Wibowo", "Santoso", "Prasetyo", "Kurniawan", "Lestari", "Rahayu", "Saputra", "Hidayat", "Nugroho"]
FRONT = ["", "", "", "Drs.", "Dr.", "H.", "Hj.", "Ir.", "dr."]
BACK = ["S.Sos., M.Si.", "S.E., M.M.", "S.STP., M.AP.", "S.H., M.H.", "S.T.", "S.Kom.", "S.IP.", ""]
KECAMATAN = ["Blimbing", "Kedungkandang", "Klojen", "Lowokwaru", "Sukun"]
GOLONGAN = ["III/c", "III/d", "IV/a", "Pembina (IV/a)", "IV b", "Pembina Tingkat I (IV/b)", "IVc"]


def person(n: int, position_suffix: str = "") -> list:
    birth = dt.date(1966, 1, 1) + dt.timedelta(days=9 * n)
    sex = "1" if n % 3 else "2"
    nip = f"{birth:%Y%m%d}{birth.year + 24:04d}{birth.month:02d}{sex}{n % 900 + 1:03d}"
    name = f"{FIRST[n % len(FIRST)]} {MIDDLE[n // 7 % len(MIDDLE)]} {LAST[n // 3 % len(LAST)]}"
    front, back = FRONT[n % len(FRONT)], BACK[n % len(BACK)]
    full = " ".join(part for part in (front, name) if part) + (f", {back}" if back else "")
    kecamatan = KECAMATAN[n % len(KECAMATAN)]
    position, unit = [
        (f"Lurah Kelurahan {n}", f"Kelurahan {kecamatan} {n}"),
        (f"Camat {kecamatan}", f"Kecamatan {kecamatan}"),
        ("Kepala Dinas Kesehatan", "Dinas Kesehatan"),
        (f"Kepala Seksi Pelayanan {n}", f"Kecamatan {kecamatan}"),
    ][n % 4]
    phone = f"0812-{3000 + n // 1000:04d}-{n % 10000:04d}"
    return [n + 1, full, nip, GOLONGAN[n % len(GOLONGAN)], position + position_suffix, unit, phone]


def write_workbook(path: Path, rows: int, position_suffix: str = "") -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "DAFTAR PESERTA PELATIHAN LEADERSHIP DAN PENGUATAN TEAMWORK BUILDING"
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "PEMERINTAH KOTA MALANG"
    sheet.merge_cells("A2:G2")
    sheet.append([])
    sheet.append(["No", "Nama", "NIP", "Pangkat/Gol", "Jabatan", "Unit Kerja", "No HP"])
    for n in range(rows):
        sheet.append(person(n, position_suffix))
    for (cell,) in sheet.iter_rows(min_row=5, min_col=3, max_col=3):
        cell.number_format = "@"
    workbook.save(path)


from setup import django_on_temp_database  # noqa: E402  (bench/setup.py)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    tmp = django_on_temp_database()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participants.importing import import_commit, plan_import, read_table
    from retreat.enums import InstitutionKind
    from retreat.models import Institution, Program

    path = tmp / f"peserta_{args.rows}.xlsx"
    start = time.perf_counter()
    write_workbook(path, args.rows)
    written = time.perf_counter() - start
    data = path.read_bytes()
    changed_path = tmp / f"peserta_{args.rows}_changed.xlsx"
    write_workbook(changed_path, args.rows, position_suffix=" (merangkap)")
    changed = changed_path.read_bytes()

    start = time.perf_counter()
    read_table(data, path.name)
    read_seconds = time.perf_counter() - start

    def timed(function, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = function(**kwargs)
            return result, time.perf_counter() - start, len(queries)

    results = []
    for run in range(args.runs):
        institution = Institution.objects.create(
            name=f"Pemerintah Kota Bench {run}", short_name=f"Bench {run}", kind=InstitutionKind.PEMKOT,
            letterhead_lines="PEMERINTAH KOTA BENCH",
        )  # fmt: skip
        program = Program.objects.create(
            organizer=institution, name="Pelatihan Leadership", venue_name="POLTEKAD",
            start_date=dt.date(2025, 5, 15), end_date=dt.date(2025, 5, 17),
        )  # fmt: skip
        plan, preview, preview_queries = timed(plan_import, program=program, data=data, filename=path.name)
        counts, commit, commit_queries = timed(import_commit, program=program, plan=plan)
        again, repreview, repreview_queries = timed(plan_import, program=program, data=data, filename=path.name)
        update_plan, update_preview, _ = timed(plan_import, program=program, data=changed, filename=path.name)
        update_counts, update_commit, update_queries = timed(import_commit, program=program, plan=update_plan)
        results.append((preview, commit, repreview, update_preview, update_commit))
        print(
            f"run {run + 1}: preview {preview:.2f} s ({preview_queries} queries) {plan.counts}; "
            f"commit {commit:.2f} s ({commit_queries} queries), {counts['new']} new\n"
            f"       re-import preview {repreview:.2f} s ({repreview_queries} queries) {again.counts}\n"
            f"       every position changed: preview {update_preview:.2f} s, commit {update_commit:.2f} s "
            f"({update_queries} queries), {update_counts['update']} updated"
        )

    medians = [statistics.median(column) for column in zip(*results, strict=True)]
    preview, commit, repreview, update_preview, update_commit = medians
    together = preview + commit
    size = f"{len(data) / 1024:.0f} KB"
    print(f"\n{args.rows}-row XLSX, {size} (written in {written:.2f} s); read_table {read_seconds:.2f} s")
    print(f"median of {args.runs} runs:")
    print(f"  new file:      preview {preview:.2f} s + commit {commit:.2f} s = {together:.2f} s")
    print(f"  same again:    preview {repreview:.2f} s (all unchanged, commit writes nothing)")
    print(f"  all updated:   preview {update_preview:.2f} s + commit {update_commit:.2f} s")
    print(f"  per row (new): preview {preview / args.rows * 1000:.2f} ms, commit {commit / args.rows * 1000:.2f} ms")
    print(f"  new file together / {TARGET_SECONDS:.0f} s target: {together / TARGET_SECONDS:.2f}")
    slowest = max(together, update_preview + update_commit)
    print(f"  slowest case together / {TARGET_SECONDS:.0f} s target: {slowest / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main()
