"""The two demo retreats (Malang at POLTEKAD, Magelang at BPSDMD Jawa Tengah), with logins for each role.
Idempotent: running it again updates the same rows and adds nothing."""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from attendance.enums import CheckinMethod
from attendance.models import AttendanceRecord, Register
from evaluations.enums import PARTICIPANT_KINDS, PlanStatus, QuestionKind, QuestionnaireKind
from evaluations.models import (
    ActionPlan,
    Answer,
    CompletionOverride,
    Form,
    MonitoringVisit,
    ProgressReport,
    Response,
    VisitFinding,
)
from evaluations.services.completion import completion_override_set
from evaluations.services.forms import evaluations_setup
from participants.enums import ACTIVE_STATUSES, EnrollmentStatus, Sex
from participants.grouping import group_count_for_size
from participants.models import Enrollment, Participant
from participants.services import access_links_ensure, groups_form, room_create, rooms_assign
from retreat.enums import Role
from retreat.models import Cohort, Institution, Membership, Program, User
from sessions.conflicts import session_audiences
from sessions.models import Session, Speaker, Venue
from sessions.services import agenda_apply_template, agenda_publish

from . import data

DEMO_PASSWORD = "retret-demo-2025"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    institution: str | None
    role: str | None


DEMO_LOGINS = [
    DemoLogin("admin", "Administrator Retret", None, None),
    DemoLogin("admin.malang", "Admin BKPSDM Kota Malang", "malang", Role.ADMIN),
    DemoLogin("panitia.malang", "Panitia BKPSDM Kota Malang", "malang", Role.ORGANIZER),
    DemoLogin("pendamping.malang", "Pendamping Retret Malang", "malang", Role.FACILITATOR),
    DemoLogin("pimpinan.malang", "Pimpinan Kota Malang", "malang", Role.LEADER),
    DemoLogin("panitia.magelang", "Panitia BKPSDM Kota Magelang", "magelang", Role.ORGANIZER),
    DemoLogin("panitia.bpsdmd", "Panitia BPSDMD Jawa Tengah", "bpsdmd_jateng", Role.ORGANIZER),
]

PARTICIPANT_FIELDS = [
    "participant_type", "front_title", "name", "back_title", "sex", "nip", "golongan", "eselon",
    "position_category", "position_title", "unit_name", "phone", "email",
]  # fmt: skip


def _institutions() -> dict[str, Institution]:
    result = {}
    for item in data.INSTITUTIONS:
        fields = {k: v for k, v in item.items() if k not in ("key", "name", "letterhead_lines")}
        fields["letterhead_lines"] = "\n".join(item["letterhead_lines"])
        result[item["key"]], _ = Institution.objects.update_or_create(name=item["name"], defaults=fields)
    return result


def _users(institutions) -> None:
    for login in DEMO_LOGINS:
        user, created = User.objects.get_or_create(username=login.username, defaults={"full_name": login.full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
        user.full_name = login.full_name
        user.is_staff = user.is_superuser = login.role is None
        user.save()
        if login.role:
            Membership.objects.update_or_create(
                user=user, institution=institutions[login.institution], defaults={"role": login.role}
            )


def _speakers(institution, agenda) -> dict[str, Speaker]:
    """The speakers of the institution's own agenda only (Malang's list holds no Magelang official); one
    that an earlier seed gave it by mistake goes, unless a session names it."""
    used = {key for session in agenda for key in session.get("speakers", [])}
    result = {}
    for item in data.SPEAKERS:
        if item["key"] not in used:
            continue
        fields = {k: v for k, v in item.items() if k not in ("key", "name")}
        result[item["key"]], _ = Speaker.objects.update_or_create(
            institution=institution, name=item["name"], defaults=fields
        )
    others = [item["name"] for item in data.SPEAKERS if item["key"] not in used]
    Speaker.objects.filter(institution=institution, name__in=others, sessions__isnull=True).delete()
    return result


def _groups(program, size: int) -> None:
    """Discussion groups of about ``size`` people, formed as the groups page does (once: a reseed keeps them)."""
    if program.groups.exists():
        return
    active = program.enrollments.filter(status__in=ACTIVE_STATUSES).count()
    groups_form(program=program, group_count=group_count_for_size(active, size), seed=program.pk)


def _participant(institution, item) -> Participant:
    fields = {name: item.get(name, "") for name in PARTICIPANT_FIELDS}
    lookup = (
        {"nip": fields["nip"]}
        if fields["nip"]
        else {"nip": "", "name": fields["name"], "unit_name": fields["unit_name"]}
    )
    participant = Participant.objects.filter(institution=institution, **lookup).first() or Participant(
        institution=institution
    )
    for name, value in fields.items():
        setattr(participant, name, value)
    participant.full_clean()
    participant.save()
    return participant


def _local(program, day: int, hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    date = program.start_date + dt.timedelta(days=day - 1)
    return dt.datetime.combine(date, dt.time(hours, minutes), tzinfo=program.tzinfo)


def _agenda(program, items, speakers, *, template_suffix: str | None = None) -> None:
    """Malang starts from the built-in template (venues suffixed with the site's name) and then gets its
    own titles and speakers; Magelang is entered session by session as its article describes."""
    if template_suffix is not None and not program.sessions.exists():
        agenda_apply_template(program=program, venue_suffix=template_suffix)
    sessions = {(s.starts_at, s.ends_at): s for s in program.sessions.all()}
    for item in items:
        starts_at, ends_at = _local(program, item["day"], item["start"]), _local(program, item["day"], item["end"])
        venue, _ = Venue.objects.get_or_create(program=program, name=item["venue"])
        session = sessions.get((starts_at, ends_at)) or Session(program=program, starts_at=starts_at, ends_at=ends_at)
        session.kind = item["kind"]
        session.title = item["title"]
        session.venue = venue
        session.dress_code = item.get("dress_code", "")
        session.counts_for_jp = item.get("counts_for_jp", False)
        session.mandatory = item.get("mandatory", True)
        session.description = item.get("description", "")
        session.full_clean()
        session.save()
        session.speakers.set([speakers[key] for key in item.get("speakers", [])])


@transaction.atomic
def seed_demo() -> dict[str, int]:
    institutions = _institutions()
    _users(institutions)
    counts = {}
    for item in data.PROGRAMS:
        organizer = institutions[item["organizer"]]
        program, _ = Program.objects.update_or_create(
            organizer=organizer,
            name=item["name"],
            defaults={
                "partner": institutions[item["partner"]] if item.get("partner") else None,
                "theme": item.get("theme", ""),
                "description": item.get("description", ""),
                "venue_name": item["venue_name"],
                "venue_address": item.get("venue_address", ""),
                "start_date": dt.date.fromisoformat(item["start"]),
                "end_date": dt.date.fromisoformat(item["end"]),
                "timezone": item["timezone"],
                "status": item["status"],
                "min_attendance_pct": item.get("min_attendance_pct", 80),
            },
        )
        program.full_clean()
        cohorts = [Cohort.objects.get_or_create(program=program, name=name)[0] for name in item.get("cohorts", [])]
        people = getattr(data, item["participants"])
        for order, person in enumerate(people, start=1):
            participant = _participant(organizer, person)
            Enrollment.objects.update_or_create(
                program=program,
                participant=participant,
                defaults={
                    "role": person["retreat_role"],
                    "order": order,
                    "cohort": cohorts[0] if cohorts else None,
                    "status": EnrollmentStatus.CONFIRMED,
                },
            )
        agenda = getattr(data, item["agenda"])
        _agenda(program, agenda, _speakers(organizer, agenda), template_suffix=item.get("template_suffix"))
        if item.get("group_size"):
            _groups(program, item["group_size"])
        if item["organizer"] == "malang":
            _rooms(program)
        if not program.agenda_published_at:
            agenda_publish(program=program)
        access_links_ensure(program=program)
        evaluations_setup(program=program)
        _facilitators(program)
        if program.end_date < timezone.localdate():
            _attendance(program)
            if item.get("follow_up") == "done":
                _responses(program)
                _assessments(program)
                _plans(program)
                _visits(program)
                _decisions(program)
                _certificates(program)
            else:
                _mid_way(program)
        counts[program.name] = len(people)
    return counts


def _rooms(program) -> None:
    """Barracks of four beds, men's and women's apart, and everyone placed (once: a reseed keeps the rooms)."""
    if program.rooms.exists():
        return
    people = list(program.enrollments.values_list("participant__sex", flat=True))
    for sex, building in ((Sex.MALE, "Barak Yudha"), (Sex.FEMALE, "Barak Srikandi")):
        for number in range(1, -(-sum(1 for s in people if s == sex) // 4) + 1):
            room_create(program=program, data={"building": building, "number": f"{number:02d}", "capacity": 4,
                                               "sex": sex})  # fmt: skip
    rooms_assign(program=program)


# Mostly present, a few late; now and then someone excused, sick, on duty elsewhere or absent.
STATUS_WEIGHTS = [("hadir", 90), ("terlambat", 5), ("izin", 1), ("sakit", 2), ("dinas_luar", 1), ("alpa", 1)]
NOTES = {"izin": "Urusan keluarga", "sakit": "Surat keterangan dokter", "dinas_luar": "Rapat dengan Wali Kota"}


def _attendance(program) -> None:
    """A past retreat's attendance: every mandatory session taken and its register closed. Once: a program
    that already has records is left as it is."""
    if AttendanceRecord.objects.filter(session__program=program).exists():
        return
    sessions = list(Session.objects.filter(program=program, mandatory=True))
    audiences = session_audiences(program, sessions)
    pool = [status for status, weight in STATUS_WEIGHTS for _ in range(weight)]
    records = []
    for session in sessions:
        for enrollment_id in sorted(audiences[session.pk]):
            status = pool[(enrollment_id * 7919 + session.pk * 104729) % len(pool)]
            late = dt.timedelta(minutes=20 if status == "terlambat" else -5)
            records.append(AttendanceRecord(session=session, enrollment_id=enrollment_id, status=status,
                                            note=NOTES.get(status, ""), method=CheckinMethod.ROLL_CALL,
                                            occurred_at=session.starts_at + late))  # fmt: skip
    bulk_create_with_history(records, AttendanceRecord, batch_size=1000)
    for session in sessions:
        Register.objects.update_or_create(session=session, defaults={"closed_at": session.ends_at})


COMMENTS = {
    QuestionnaireKind.SPEAKER: [
        "Materi sangat relevan dengan tugas di perangkat daerah.",
        "Contoh kasus dari lapangan sangat membantu.",
        "Waktu diskusi sebaiknya ditambah.",
        "Penyampaian jelas dan memotivasi.",
        "Mohon bahan paparan dibagikan sebelum sesi.",
        "Narasumber menguasai materi dan menjawab pertanyaan dengan lugas.",
        "Sesi terlalu padat; jeda istirahat perlu ditambah.",
        "Contoh dari daerah lain bisa langsung kami terapkan.",
        "Slide terlalu banyak tulisan, sulit dibaca dari belakang.",
        "Sangat menginspirasi untuk perubahan di unit kerja.",
    ],
    QuestionnaireKind.ORGANIZATION: [
        "Air panas di kamar asrama sering mati.",
        "Konsumsi baik, menu bisa lebih bervariasi.",
        "Jadwal apel pagi terlalu awal bagi peserta yang kamarnya jauh.",
        "Panitia sigap dan ramah.",
        "Pengumuman perubahan jadwal sebaiknya lewat grup WhatsApp lebih awal.",
        "Sinyal internet di lokasi lemah; bahan sebaiknya dibagikan sebelum berangkat.",
        "Ruang kelas nyaman, pengeras suara perlu diperbaiki.",
        "Kegiatan outbound sangat berkesan.",
    ],
}


def _every_form_but_a_few(form, enrollment_id: int, seed: int) -> bool:
    """About one participant in eleven left a third of their forms unanswered; everyone else answered all."""
    return not (enrollment_id % 11 == 0 and seed % 3 == 0)


def _responses(program, answered=_every_form_but_a_few) -> None:
    """A past retreat's evaluations: most participants answered every form (or as ``answered`` says),
    mostly well, the BerAKHLAK self-assessment and the test a little higher after than before. Once, like
    the attendance."""
    if Response.objects.filter(form__program=program).exists():
        return
    forms = list(Form.objects.filter(program=program, questionnaire__kind__in=PARTICIPANT_KINDS)
                 .select_related("questionnaire"))  # fmt: skip
    audiences = session_audiences(program, [f.session for f in forms if f.session_id])
    everyone = list(Enrollment.objects.filter(program=program).values_list("pk", flat=True))
    questions = {}
    for form in forms:
        questions.setdefault(form.questionnaire_id, list(form.questionnaire.questions.all()))
    responses, plans = [], []
    for form in forms:
        asked = sorted(audiences[form.session_id]) if form.session_id else everyone
        for enrollment_id in asked:
            seed = enrollment_id * 31 + form.pk * 17
            if not answered(form, enrollment_id, seed):
                continue
            responses.append(Response(form=form, enrollment_id=enrollment_id))
            plans.append((form, seed))
    Response.objects.bulk_create(responses, batch_size=1000)
    answers = []
    for response, (form, seed) in zip(responses, plans, strict=True):
        answers.extend(_answers_of(response, form, questions[form.questionnaire_id], seed))
    Answer.objects.bulk_create(answers, batch_size=2000)


def _answers_of(response, form, questions, seed) -> list:
    """One participant's answers: each form (a speaker, the organization) rated a little differently, each
    question too, better after than before; a comment now and then."""
    rng = random.Random(seed)
    form_mood = random.Random(form.pk * 7919).uniform(-0.15, 0.25)
    after = form.phase == "post"
    answers = []
    for n, question in enumerate(questions):
        question_mood = random.Random(question.pk * 104729).uniform(-0.12, 0.12)
        if question.kind == QuestionKind.SCALE:
            top = question.scale_max
            best = 0.35 + form_mood + question_mood + (0.15 if after else 0)
            roll = rng.random()
            number = top if roll < best else top - 1 if roll < 0.9 + form_mood / 3 else top - 2
            answers.append(Answer(response=response, question=question, number=max(1, number)))
        elif question.kind == QuestionKind.SINGLE and question.correct_choice is not None:
            right = rng.random() < (0.8 if after else 0.55) + question_mood
            wrong = (question.correct_choice + 1 + n % 2) % len(question.choices)
            answers.append(Answer(response=response, question=question,
                                  number=question.correct_choice if right else wrong))  # fmt: skip
        elif question.kind == QuestionKind.LONG and rng.random() < 0.3:
            pool = COMMENTS.get(form.questionnaire.kind)
            if pool:
                answers.append(Answer(response=response, question=question, text=rng.choice(pool)))
    return answers


def _facilitators(program) -> None:
    """The organizer's facilitator login accompanies the teamwork, outbound and discussion sessions, and the
    first discussion group."""
    user = User.objects.filter(memberships__institution=program.organizer, memberships__role=Role.FACILITATOR).first()
    if user is None:
        return
    for session in Session.objects.filter(program=program, kind__in=["outbound", "diskusi", "studi_kasus"]):
        session.facilitators.add(user)
    first = program.groups.order_by("number").first()
    if first is not None:
        first.facilitators.add(user)


def _assessments(program) -> None:
    """The facilitators' 0–100 scores of a past retreat: most between 75 and 95. Once."""
    form = Form.objects.filter(program=program, questionnaire__kind=QuestionnaireKind.ASSESSMENT).first()
    facilitator = User.objects.filter(facilitated_sessions__program=program).first()
    if form is None or facilitator is None or form.responses.exists():
        return
    questions = list(form.questionnaire.questions.filter(kind=QuestionKind.SCORE))
    enrollments = list(Enrollment.objects.filter(program=program).order_by("order").values_list("pk", flat=True))
    responses = Response.objects.bulk_create(
        Response(form=form, assessor=facilitator, subject_id=pk) for pk in enrollments
    )
    answers = [
        Answer(response=response, question=question, number=min(98, 72 + (response.subject_id * 13 + n * 7) % 24))
        for response in responses
        for n, question in enumerate(questions)
    ]
    Answer.objects.bulk_create(answers, batch_size=2000)


PLANS = [
    (
        "Layanan perizinan satu pintu di kantor kelurahan",
        "SOP layanan terbit dan dipasang di ruang tunggu",
        "staf pelayanan, Camat",
    ),
    ("Rapat koordinasi lintas bidang setiap Senin pagi", "Notulen rapat mingguan tersimpan", "kepala bidang"),
    ("Pengaduan warga dijawab paling lama 3 hari kerja", "Rekap pengaduan SP4N-LAPOR! per bulan", "operator SP4N"),
    ("Arsip surat masuk dan keluar sepenuhnya elektronik", "Seluruh surat tercatat di Srikandi", "staf tata usaha"),
    ("Apel pagi dengan penguatan nilai BerAKHLAK", "Daftar hadir apel dan tema mingguan", "seluruh pegawai"),
]


def _plans(program) -> None:
    """Action plans of a past retreat, approved, with progress at each follow-up that is due; a few late."""
    if ActionPlan.objects.filter(enrollment__program=program).exists():
        return
    reviewer = User.objects.filter(memberships__institution=program.organizer, memberships__role=Role.LEADER).first()
    enrollments = list(Enrollment.objects.filter(program=program).order_by("order"))
    today = timezone.localdate()
    plans = []
    for n, enrollment in enumerate(enrollments):
        title, indicator, involved = PLANS[n % len(PLANS)]
        target = program.end_date + dt.timedelta(days=60 + 30 * (n % 3))
        status = PlanStatus.APPROVED if n % 9 else PlanStatus.SUBMITTED
        plans.append(ActionPlan(enrollment=enrollment, title=title, indicator=indicator, involved=involved,
                                target_date=target, status=status,
                                reviewed_by=reviewer if status == PlanStatus.APPROVED else None,
                                reviewed_at=timezone.now() if status == PlanStatus.APPROVED else None))  # fmt: skip
    plans = bulk_create_with_history(plans, ActionPlan, batch_size=500)
    plans = list(ActionPlan.objects.filter(enrollment__program=program, status=PlanStatus.APPROVED).order_by("pk"))
    reports = []
    for n, plan in enumerate(plans):
        for k, day in enumerate((30, 60, 90)):
            if program.end_date + dt.timedelta(days=day) > today or (n % 7 == 0 and k > 0):
                continue  # not due yet, or (one in seven) no report after the first: late
            percent = 100 if (k == 2 and n % 3) else min(100, 30 * (k + 1) + (n % 4) * 5)
            reports.append(ProgressReport(plan=plan, day=day, percent=percent,
                                          text=f"Tahap {k + 1}: {plan.indicator.lower()} berjalan."))  # fmt: skip
    ProgressReport.objects.bulk_create(reports, batch_size=1000)


def _visits(program) -> None:
    """The mayor's monitoring visits to units after the retreat (as in Malang): three units, with findings."""
    if MonitoringVisit.objects.filter(program=program).exists():
        return
    units = (
        Enrollment.objects.filter(program=program, action_plans__isnull=False)
        .values_list("participant__unit_name", flat=True)
        .order_by("participant__unit_name")
        .distinct()
    )
    for n, unit in enumerate(list(units)[:3]):
        visit = MonitoringVisit.objects.create(
            program=program, date=program.end_date + dt.timedelta(days=35 + 14 * n), unit=unit,
            visitors="Wali Kota Malang, Sekretaris Daerah, Kepala BKPSDM",
            follow_up="Hasil kunjungan dibahas dalam rapat pimpinan berikutnya.",
        )  # fmt: skip
        people = list(Enrollment.objects.filter(program=program, participant__unit_name=unit))
        visit.participants.set(people)
        for plan in ActionPlan.objects.filter(enrollment__in=people):
            text = "Rencana aksi berjalan; bukti dokumen diperlihatkan kepada Wali Kota."
            VisitFinding.objects.create(visit=visit, plan=plan, text=text)


def _mid_way(program) -> None:
    """A retreat whose follow-up is still under way: attendance taken, the first day's forms answered by
    most, and the closing forms (organization evaluation, BerAKHLAK and test after, the last day's speaker
    forms) reopened by the committee for two more weeks, half answered, so participants' phones show open
    forms. Also a few action plans waiting for approval. Once."""
    if Response.objects.filter(form__program=program).exists():
        return
    now = timezone.now()
    last_day = dt.datetime.combine(program.end_date, dt.time(0, 0), tzinfo=program.tzinfo)
    closing = Form.objects.filter(program=program, questionnaire__kind__in=PARTICIPANT_KINDS, opens_at__gte=last_day)
    closing.update(opens_at=now - dt.timedelta(hours=2), closes_at=now + dt.timedelta(days=14), times_edited=True)
    reopened = now - dt.timedelta(days=1)

    def half_of_the_reopened(form, _enrollment_id, seed):
        return seed % 10 >= (5 if form.opens_at >= reopened else 1)

    _responses(program, answered=half_of_the_reopened)
    enrollments = list(Enrollment.objects.filter(program=program).order_by("order")[:6])
    plans = []
    for n, enrollment in enumerate(enrollments):
        title, indicator, involved = PLANS[n % len(PLANS)]
        plans.append(ActionPlan(enrollment=enrollment, title=title, indicator=indicator, involved=involved,
                                target_date=program.end_date + dt.timedelta(days=90),
                                status=PlanStatus.SUBMITTED if n % 2 else PlanStatus.DRAFT))  # fmt: skip
    bulk_create_with_history(plans, ActionPlan)


def _decisions(program) -> None:
    """The committee's decision for one participant who was sick on a mandatory session. Once."""
    if CompletionOverride.objects.filter(enrollment__program=program).exists():
        return
    sick = AttendanceRecord.objects.filter(session__program=program, status="sakit").select_related("enrollment")
    organizer = User.objects.filter(
        memberships__institution=program.organizer, memberships__role=Role.ORGANIZER
    ).first()
    record = sick.order_by("pk").first()
    if record is None or organizer is None:
        return
    reason = "Sakit dengan surat keterangan dokter; materi disusulkan melalui pendamping."
    completion_override_set(enrollment=record.enrollment, complete=True, user=organizer, reason=reason)


def _certificates(program) -> None:
    """A past retreat's certificates: the design signed by the mayor who opened it (as the seed tells), numbers
    given a few days after the closing and every file made, so that the participant's page offers it. Once."""
    from certificates.documents import certificates_make
    from certificates.models import Certificate, CertificateDesign
    from certificates.services import certificates_number

    if Certificate.objects.filter(enrollment__program=program).exists():
        return
    city = program.organizer.short_name.removeprefix("Pemkot ")
    CertificateDesign.objects.get_or_create(program=program, defaults={
        "signing_place": city, "signatory_position": f"Wali Kota {city}",
        "signatory_name": "Wahyu Hidayat" if city == "Malang" else ""})  # fmt: skip
    issued = dt.datetime.combine(program.end_date + dt.timedelta(days=3), dt.time(10, 0), tzinfo=program.tzinfo)
    organizer = User.objects.filter(
        memberships__institution=program.organizer, memberships__role=Role.ORGANIZER
    ).first()
    certificates_number(program=program, user=organizer, now=issued)
    certificates_make(program, user=organizer, processes=1)
