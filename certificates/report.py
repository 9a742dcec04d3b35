"""The post-retreat report (laporan pelaksanaan): what it gathers and the document kind that prints it.

The report is the organizing institution's official account of the program, in the chapters of an
Indonesian activity report: cover; BAB I Pendahuluan; BAB II Pelaksanaan; BAB III Hasil dan Evaluasi;
BAB IV Penutup; appendices. Its figures are read with the selectors of the pages they come from (the
attendance recap, the evaluation results and their charts, the monitoring overview), so the report says
what those pages say. The organizer's texts (``ReportText``) replace the defaults built here from the
program; an empty text keeps the default. Every version made is its own document job, kept with its date.

The defaults are Indonesian, as the report is: they are the opening of an official document the
organizer edits, like the certificate's default wording.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from attendance.selectors import recap
from evaluations.charts import results_series, svg_charts
from evaluations.selectors.completion import settings_for
from evaluations.selectors.plans import monitoring_overview
from evaluations.selectors.results import MIN_RESPONSES, program_results
from retreat.documents import Document, program_document, register
from retreat.enums import JobStatus, Role
from retreat.formatting import date_range
from retreat.models import DocumentJob, Membership
from sessions.selectors import agenda_days, jp_total, sessions_for_program

from .models import REPORT_TEXTS, CertificateDesign, ReportPhoto, ReportText

PROGRAM_REPORT = "program_report"
NO_COHORT = "Tanpa angkatan"
NO_UNIT = "(unit kerja tidak diisi)"
UNITS_IN_ONE_COLUMN = 12  # more units than this are listed in two columns
COMMITTEE_ROLES = (Role.ADMIN, Role.ORGANIZER, Role.FACILITATOR)

DEFAULT_LEGAL_BASIS = (
    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah beserta perubahannya",
    "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil sebagaimana telah diubah "
    "dengan Peraturan Pemerintah Nomor 17 Tahun 2020",
    "Peraturan Lembaga Administrasi Negara Nomor 10 Tahun 2018 tentang Pengembangan Kompetensi Pegawai Negeri Sipil",
    "Surat Edaran Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 20 Tahun 2021 tentang "
    "Implementasi Core Values dan Employer Branding Aparatur Sipil Negara",
)


# --- The organizer's texts and their defaults -------------------------------------------------------------


@dataclass
class Facts:
    """The few figures the default texts quote, taken from the same reads as the report's tables."""

    participants: int = 0
    attendance_percent: int | None = None
    meeting_minimum: int = 0
    minimum: int = 0
    organization_average: float | None = None
    organization_scale: int = 4
    speaker_average: float | None = None
    speaker_scale: int = 4
    test_before: float | None = None
    test_after: float | None = None
    berakhlak_before: float | None = None
    berakhlak_after: float | None = None
    changed_sessions: int = 0
    follow_up_days: list = field(default_factory=list)


def _n(value, decimals: int = 2) -> str:
    return number_format(value, decimal_pos=decimals)


def _days(days) -> str:
    days = [str(day) for day in days]
    if len(days) > 1:
        return ", ".join(days[:-1]) + " dan " + days[-1]
    return days[0] if days else ""


def default_texts(program, facts: Facts) -> dict[str, str]:
    """The report's texts when the organizer writes none: formal Indonesian built from the program."""
    organizer, name = program.organizer.name, program.name
    when = f"{date_range(program.start_date, program.end_date)} di {program.venue_name}"
    theme = f" dengan tema “{program.theme}”" if program.theme else ""
    conclusions = [f"{name} telah dilaksanakan pada {when} dan diikuti oleh {facts.participants} orang peserta."]
    if facts.attendance_percent is not None:
        conclusions.append(
            f"Tingkat kehadiran peserta pada sesi wajib mencapai {facts.attendance_percent}%; {facts.meeting_minimum} "
            f"dari {facts.participants} peserta memenuhi batas minimal kehadiran {facts.minimum}%."
        )
    if facts.organization_average is not None:
        conclusions.append(
            f"Evaluasi penyelenggaraan memperoleh nilai rata-rata {_n(facts.organization_average)} dari skala "
            f"{facts.organization_scale}."
        )
    if facts.speaker_average is not None:
        conclusions.append(
            f"Evaluasi narasumber memperoleh nilai rata-rata {_n(facts.speaker_average)} dari skala "
            f"{facts.speaker_scale}."
        )
    if facts.berakhlak_before is not None and facts.berakhlak_after is not None:
        conclusions.append(
            f"Penilaian diri nilai-nilai BerAKHLAK berubah dari rata-rata {_n(facts.berakhlak_before)} sebelum "
            f"kegiatan menjadi {_n(facts.berakhlak_after)} sesudah kegiatan."
        )
    if facts.test_before is not None and facts.test_after is not None:
        conclusions.append(
            f"Rata-rata nilai tes peserta berubah dari {_n(facts.test_before, 1)} pada tes awal menjadi "
            f"{_n(facts.test_after, 1)} pada tes akhir."
        )
    follow_up = f" pada hari ke-{_days(facts.follow_up_days)} setelah kegiatan" if facts.follow_up_days else ""
    problems = [
        "Secara umum kegiatan berjalan lancar dan sesuai dengan rencana. Kendala teknis yang timbul selama "
        "pelaksanaan dapat diatasi oleh panitia pada saat itu juga."
    ]
    if facts.changed_sessions:
        problems.append(
            f"Sebanyak {facts.changed_sessions} sesi mengalami perubahan waktu atau tempat; perubahan tersebut "
            "telah diinformasikan kepada peserta dan narasumber sebelum sesi dimulai."
        )
    if facts.participants and facts.meeting_minimum < facts.participants:
        problems.append(
            f"Sebanyak {facts.participants - facts.meeting_minimum} peserta belum memenuhi batas minimal kehadiran; "
            "panitia mencatat alasan ketidakhadiran dan menyampaikannya kepada pimpinan unit kerja yang bersangkutan."
        )
    return {
        "background": (
            "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara menegaskan bahwa setiap pegawai ASN "
            "berhak dan wajib mengembangkan kompetensinya. Para pejabat di lingkungan "
            f"{organizer} dituntut memiliki kepemimpinan yang kuat, mampu bekerja sama lintas perangkat daerah, "
            "serta menjunjung tinggi nilai-nilai dasar ASN BerAKHLAK dalam memberikan pelayanan kepada masyarakat."
            f"\n\nSehubungan dengan hal tersebut, {organizer} menyelenggarakan {name}{theme} sebagai sarana "
            "penguatan kepemimpinan, soliditas, dan sinergi antarpejabat dalam mendukung pencapaian visi dan misi "
            "daerah."
        ),
        "legal_basis": "\n".join(DEFAULT_LEGAL_BASIS),
        "purpose": (
            f"Maksud penyelenggaraan {name} adalah meningkatkan kompetensi kepemimpinan para pejabat di lingkungan "
            f"{organizer}.\n\nAdapun tujuannya adalah:\n"
            "1. memperkuat kepemimpinan dan kemampuan pengambilan keputusan strategis;\n"
            "2. membangun kerja sama tim dan komunikasi yang efektif lintas perangkat daerah;\n"
            "3. menginternalisasikan nilai-nilai dasar ASN BerAKHLAK dalam pelaksanaan tugas;\n"
            "4. menghasilkan rencana aksi yang dapat dilaksanakan dan dipantau di unit kerja masing-masing."
        ),
        "scope": (
            f"Ruang lingkup laporan ini meliputi pelaksanaan {name} pada {when}, yang terdiri atas pendahuluan, "
            "pelaksanaan kegiatan, hasil dan evaluasi, serta penutup yang memuat kesimpulan, rekomendasi, dan "
            "rencana tindak lanjut."
        ),
        "problems": "\n\n".join(problems),
        "conclusions": "\n".join(f"{n}. {text}" for n, text in enumerate(conclusions, start=1)),
        "recommendations": (
            f"1. Rencana aksi yang telah disusun peserta agar dilaksanakan dan dipantau secara berkala{follow_up}.\n"
            "2. Pimpinan perangkat daerah agar mendukung pelaksanaan rencana aksi di unit kerja masing-masing dan "
            "melaporkan kemajuannya.\n"
            "3. Hasil evaluasi penyelenggaraan dan evaluasi narasumber agar menjadi bahan perbaikan bagi "
            "penyelenggaraan kegiatan serupa berikutnya."
        ),
    }


def report_text_for(program) -> ReportText:
    """The organizer's texts; an unsaved empty row (all defaults) until they save some."""
    return ReportText.objects.filter(program=program).first() or ReportText(program=program)


def report_texts(text: ReportText, defaults: dict[str, str]) -> dict[str, dict]:
    """Per text: what the report prints (the organizer's, else the default) and whether it is the default."""
    found = {}
    for name in REPORT_TEXTS:
        own = getattr(text, name).strip()
        found[name] = {"text": own or defaults[name], "default": not own}
    return found


# --- Reads for the organizer's page ----------------------------------------------------------------------


def report_photos(program) -> list[ReportPhoto]:
    return list(ReportPhoto.objects.filter(program=program).order_by("position", "pk"))


def report_photo_for_program(program, photo_pk) -> ReportPhoto | None:
    return ReportPhoto.objects.filter(program=program, pk=photo_pk).first()


def report_jobs(program, *, limit: int = 3) -> list[DocumentJob]:
    """The latest report jobs not finished or failed (the cards that follow their progress)."""
    jobs = program.document_jobs.filter(kind=PROGRAM_REPORT).exclude(status=JobStatus.DONE)
    return list(jobs.select_related("requested_by").order_by("-created_at")[:limit])


def report_versions(program) -> list[DocumentJob]:
    """Every report made, newest first, each its own file with its date."""
    jobs = program.document_jobs.filter(kind=PROGRAM_REPORT, status=JobStatus.DONE).exclude(file="")
    return list(jobs.select_related("requested_by").order_by("-finished_at", "-created_at"))


def report_version_for_program(program, version_pk) -> DocumentJob | None:
    jobs = program.document_jobs.filter(kind=PROGRAM_REPORT, status=JobStatus.DONE).exclude(file="")
    return jobs.filter(pk=version_pk).first()


# --- What the report holds -------------------------------------------------------------------------------


def _facts(program, *, attendance, results, sessions) -> Facts:
    rows = attendance.rows
    present = sum(p for p, _e in attendance.by_session.values())
    expected = sum(e for _p, e in attendance.by_session.values())
    organization = results.organization[0] if results.organization else None
    shown = [a for a in results.speaker_aspects if not a.hidden and a.count]
    speaker_count = sum(a.count for a in shown)
    berakhlak = results.berakhlak
    return Facts(
        participants=len(rows),
        attendance_percent=100 * present // expected if expected else None,
        meeting_minimum=len(rows) - len(attendance.below_minimum),
        minimum=attendance.minimum,
        organization_average=organization.overall if organization and organization.responses else None,
        organization_scale=organization.scale_max if organization else 4,
        speaker_average=round(sum(a.total for a in shown) / speaker_count, 2) if speaker_count else None,
        speaker_scale=max((a.scale_max for a in shown), default=4),
        test_before=results.tests.average_before,
        test_after=results.tests.average_after,
        berakhlak_before=berakhlak.before,
        berakhlak_after=berakhlak.after,
        changed_sessions=sum(1 for s in sessions if s.changes),
        follow_up_days=sorted({int(day) for day in settings_for(program).follow_up_days if int(day) > 0}),
    )


def report_defaults(program) -> dict[str, str]:
    """The default texts with today's figures (what the organizer's page shows as placeholders)."""
    sessions = list(sessions_for_program(program))
    facts = _facts(program, attendance=recap(program), results=program_results(program), sessions=sessions)
    return default_texts(program, facts)


def _by_cohort(enrollments) -> list[dict]:
    rows = {}
    for enrollment in enrollments:
        name = enrollment.cohort.name if enrollment.cohort_id else NO_COHORT
        row = rows.setdefault(name, {"name": name, "male": 0, "female": 0, "total": 0})
        row["total"] += 1
        sex = enrollment.participant.sex
        row["male" if sex == "L" else "female"] += sex in ("L", "P")
    return sorted(rows.values(), key=lambda row: (row["name"] == NO_COHORT, row["name"].casefold()))


def _by_unit(enrollments) -> list[tuple[int, str, int]]:
    """(number, unit, participants), by the unit's name."""
    counts = Counter(enrollment.participant.unit_name or NO_UNIT for enrollment in enrollments)
    ordered = sorted(counts.items(), key=lambda item: (item[0] == NO_UNIT, item[0].casefold()))
    return [(n, unit, count) for n, (unit, count) in enumerate(ordered, start=1)]


def _halves(items: list) -> list[tuple]:
    """The items in two columns read downwards: (left, right) per row, right None on an odd last row."""
    half = (len(items) + 1) // 2
    return [(items[n], items[half + n] if half + n < len(items) else None) for n in range(half)]


def _pairs(items: list) -> list[tuple]:
    """The items two by two, read across (photos): the second None on an odd last row."""
    return [(items[n], items[n + 1] if n + 1 < len(items) else None) for n in range(0, len(items), 2)]


def _committee(program) -> list[Membership]:
    members = Membership.objects.filter(institution_id__in=program.institution_ids, role__in=COMMITTEE_ROLES)
    order = {role: n for n, role in enumerate(COMMITTEE_ROLES)}
    members = list(members.select_related("user", "institution"))
    for member in members:
        member.display_name = member.user.full_name or member.user.get_full_name() or member.user.username
    return sorted(members, key=lambda m: (m.institution_id != program.organizer_id, order[m.role],
                                          m.display_name.casefold()))  # fmt: skip


def _speakers(sessions) -> list[dict]:
    found = {}
    for session in sessions:
        for speaker in session.speakers.all():
            found.setdefault(speaker.pk, {"speaker": speaker, "sessions": []})["sessions"].append(session)
    return list(found.values())


def _session_attendance(session, attendance) -> tuple:
    """(session, present, expected, percent cut as the recap cuts it) of one mandatory session."""
    present, expected = attendance.by_session.get(session.pk, (0, 0))
    return session, present, expected, 100 * present // expected if expected else None


def _signatory(program) -> CertificateDesign | None:
    return CertificateDesign.objects.filter(program=program).first()


def report_content(program, *, show_personal_data: bool, today: dt.date | None = None) -> dict:
    """Everything the report prints, in a constant number of queries whatever the size of the program."""
    today = today or timezone.localdate(timezone=program.tzinfo)
    sessions = list(sessions_for_program(program))
    attendance = recap(program)
    enrollments = [row.enrollment for row in attendance.rows]
    results = program_results(program)
    charts = svg_charts(results_series(results))
    facts = _facts(program, attendance=attendance, results=results, sessions=sessions)
    texts = report_texts(report_text_for(program), default_texts(program, facts))
    days = [day for day, _percent in attendance.by_day]
    for row in attendance.rows:
        row.per_day = [row.days.get(day, (0, 0)) for day in days]
    present = sum(p for p, _e in attendance.by_session.values())
    expected = sum(e for _p, e in attendance.by_session.values())
    plans = monitoring_overview(program, days=facts.follow_up_days, today=today)
    by_cohort = _by_cohort(enrollments)
    by_unit = _by_unit(enrollments)
    photos = report_photos(program)
    return {
        "texts": texts,
        "legal_basis": [line.strip(" ;.") for line in texts["legal_basis"]["text"].splitlines() if line.strip()],
        "facts": facts,
        "days": agenda_days(program, sessions),
        "jp_total": jp_total(sessions),
        "enrollments": enrollments,
        "by_cohort": by_cohort,
        "cohort_total": {key: sum(row[key] for row in by_cohort) for key in ("male", "female", "total")},
        "by_unit": by_unit,
        "unit_rows": _halves(by_unit) if len(by_unit) > UNITS_IN_ONE_COLUMN else [(row, None) for row in by_unit],
        "committee": _committee(program),
        "speakers": _speakers(sessions),
        "attendance": attendance,
        "attendance_days": days,
        "attendance_sessions": [_session_attendance(s, attendance) for s in sessions if s.mandatory],
        "attendance_present": present,
        "attendance_expected": expected,
        "results": results,
        "charts": charts,
        "organization": [(r, charts.get(f"organization_{n}", "")) for n, r in enumerate(results.organization)],
        "min_responses": MIN_RESPONSES,
        "plans": plans,
        "photos": photos,
        "photo_rows": _pairs(photos),
        "signatory": _signatory(program),
        "report_date": today,
        "show_personal_data": show_personal_data,
    }


@register(PROGRAM_REPORT, label=gettext_lazy("Post-retreat report (PDF)"), kept=True)
def program_report(job) -> Document:
    program = job.program
    may_see = job.requested_by is not None and job.requested_by.has_perm("retreat.view_personal_data", program)
    content = report_content(program, show_personal_data=may_see)
    return program_document(
        program,
        prefix="laporan-pelaksanaan",
        template="certificates/pdf/report.html",
        rows=len(content["enrollments"]),
        **content,
    )
