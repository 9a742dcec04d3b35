import datetime as dt
import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image

from evaluations.enums import PlanProgress, PlanStatus
from evaluations.models import ActionPlan, EvaluationSettings, MonitoringVisit, ProgressReport, VisitPhoto
from evaluations.selectors import plans as selectors
from evaluations.services import plans as services
from participants.tests.factories import EnrollmentFactory


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages and messages in English, the source texts (Indonesian is their translation)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def files_under(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def image_upload(name="foto.jpg", size=(3000, 2000), fmt="JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def approved_plan(enrollment, **kwargs) -> ActionPlan:
    fields = {"title": "Layanan satu pintu", "indicator": "SOP terbit", "target_date": dt.date(2025, 12, 31),
              "status": PlanStatus.APPROVED}  # fmt: skip
    return ActionPlan.objects.create(enrollment=enrollment, **{**fields, **kwargs})


def progress(plan, today):
    plan = ActionPlan.objects.prefetch_related("reports").get(pk=plan.pk)
    program = plan.enrollment.program
    schedule = selectors.follow_ups(program, [30, 60, 90], today)
    return selectors.plan_progress(plan, schedule=schedule, today=today, tzinfo=program.tzinfo)


# --- The status rule ----------------------------------------------------------------------------------


def test_progress_late_only_once_a_report_window_closed_without_a_report(program, people):
    plan = approved_plan(people[0])
    first_due = program.end_date + dt.timedelta(days=30)
    second_due = program.end_date + dt.timedelta(days=60)
    assert progress(plan, first_due) == PlanProgress.ON_TRACK  # the window has just opened
    assert progress(plan, second_due - dt.timedelta(days=1)) == PlanProgress.ON_TRACK  # still open
    assert progress(plan, second_due) == PlanProgress.LATE  # closed without a report
    ProgressReport.objects.create(plan=plan, day=30, percent=40)
    assert progress(plan, second_due) == PlanProgress.ON_TRACK
    assert progress(plan, program.end_date + dt.timedelta(days=400)) == PlanProgress.LATE  # past its target date


def test_progress_ignores_follow_ups_closed_before_the_approval(program, people):
    second_due = program.end_date + dt.timedelta(days=60)
    approved_at = dt.datetime.combine(second_due, dt.time(8), tzinfo=program.tzinfo)  # the window of day 30 closed
    plan = approved_plan(people[0], reviewed_at=approved_at)
    assert progress(plan, second_due + dt.timedelta(days=5)) == PlanProgress.ON_TRACK
    late_evening = dt.datetime.combine(second_due - dt.timedelta(days=1), dt.time(23, 30), tzinfo=program.tzinfo)
    plan.reviewed_at = late_evening.astimezone(dt.UTC)  # the day before in the program's time zone
    plan.save()
    assert progress(plan, second_due + dt.timedelta(days=5)) == PlanProgress.LATE


def test_progress_late_only_after_the_target_date(program, people):
    plan = approved_plan(people[0], target_date=program.end_date + dt.timedelta(days=10))
    assert progress(plan, plan.target_date) == PlanProgress.ON_TRACK
    assert progress(plan, plan.target_date + dt.timedelta(days=1)) == PlanProgress.LATE


def test_progress_done_by_the_latest_report_only(program, people):
    plan = approved_plan(people[0], target_date=program.end_date + dt.timedelta(days=20))
    today = program.end_date + dt.timedelta(days=65)
    ProgressReport.objects.create(plan=plan, day=30, percent=100)
    assert progress(plan, today) == PlanProgress.DONE  # done though past its target and day 60 unreported
    ProgressReport.objects.create(plan=plan, day=60, percent=90)
    assert progress(plan, today) == PlanProgress.LATE  # the latest says 90 %


# --- Plans and their review ---------------------------------------------------------------------------


def test_plan_locked_once_sent_for_approval(people):
    plan = services.plan_create(enrollment=people[0], data={"title": "A", "indicator": "B",
                                                            "target_date": dt.date(2025, 9, 1)})  # fmt: skip
    assert plan.status == PlanStatus.DRAFT
    services.plan_submit(plan=plan)
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, data={"title": "C"})
    assert ActionPlan.objects.get(pk=plan.pk).title == "A"


@pytest.mark.parametrize("reviewer", ["organizer", "facilitator", "leader"])
def test_reviewers_approve_a_plan(request, client, program, people, reviewer):
    user = request.getfixturevalue(reviewer)
    plan = approved_plan(people[0], status=PlanStatus.SUBMITTED)
    client.force_login(user)
    url = reverse("evaluations:plan_review", kwargs={"program_pk": program.pk, "plan_pk": plan.pk})
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.reviewed_by == user
    assert plan.reviewed_at


def test_request_change_needs_a_note_and_reaches_the_participant(organizer_client, client, program, people):
    plan = approved_plan(people[0], status=PlanStatus.SUBMITTED)
    url = reverse("evaluations:plan_review", kwargs={"program_pk": program.pk, "plan_pk": plan.pk})
    organizer_client.post(url, {"decision": "changes", "note": ""})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    organizer_client.post(url, {"decision": "changes", "note": "Indikatornya belum terukur."})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CHANGES
    assert plan.review_note == "Indikatornya belum terukur."
    page = client.get(reverse("portal:plans", kwargs={"token": people[0].access_token})).content.decode()
    assert "Indikatornya belum terukur." in page


def test_plan_of_another_program_is_404(organizer_client, program, other_program):
    other = approved_plan(EnrollmentFactory(program=other_program), status=PlanStatus.SUBMITTED)
    for name in ("evaluations:plan_detail", "evaluations:plan_review"):
        url = reverse(name, kwargs={"program_pk": program.pk, "plan_pk": other.pk})
        response = (
            organizer_client.post(url, {"decision": "approve"}) if "review" in name else organizer_client.get(url)
        )
        assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == PlanStatus.SUBMITTED


# --- Reports and evidence -----------------------------------------------------------------------------


def _due_day(program, day=30):
    return program.end_date + dt.timedelta(days=day)


def test_report_refuses_a_file_neither_image_nor_pdf_and_saves_nothing(program, people, settings):
    plan = approved_plan(people[0])
    upload = SimpleUploadedFile("bukti.exe", b"MZ\x90\x00" + b"\x00" * 500)
    with pytest.raises(ValidationError) as refused:
        services.report_save(plan=plan, day=30, percent=50, evidence=upload, today=_due_day(program))
    message = gettext("%(name)s: only an image (JPEG, PNG or WebP) or a PDF, at most 5 MB") % {"name": "bukti.exe"}
    assert refused.value.messages == [message]
    assert not ProgressReport.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_report_refuses_more_than_5_mb_and_saves_nothing(program, people, settings):
    plan = approved_plan(people[0])
    upload = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        services.report_save(plan=plan, day=30, percent=50, evidence=upload, today=_due_day(program))
    assert "laporan.pdf" in refused.value.messages[0]
    assert not ProgressReport.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_report_shrinks_an_image_and_keeps_a_pdf(program, people, django_capture_on_commit_callbacks):
    plan = approved_plan(people[0])
    report = services.report_save(plan=plan, day=30, percent=50, evidence=image_upload("foto.png", fmt="PNG"),
                                  today=_due_day(program))  # fmt: skip
    with Image.open(report.evidence.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1600, 1067)
    assert report.evidence_name == "foto.png"
    old = report.evidence.path
    pdf = SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n%%EOF\n")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_save(plan=plan, day=30, percent=80, evidence=pdf, today=_due_day(program, 59))
    assert ProgressReport.objects.get().percent == 80
    assert report.evidence.read() == b"%PDF-1.4\n%%EOF\n"
    assert not os.path.exists(old)  # the replaced file is removed


def test_report_open_only_until_the_next_follow_up(program, people):
    plan = approved_plan(people[0])
    with pytest.raises(ValidationError):
        services.report_save(plan=plan, day=30, percent=10, today=_due_day(program) - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.report_save(plan=plan, day=30, percent=10, today=_due_day(program, 60))
    EvaluationSettings.objects.create(program=program, follow_up_days=[30, 120])
    program = type(program).objects.get(pk=program.pk)  # the days are read once per program object
    plan = ActionPlan.objects.select_related("enrollment__program").get(pk=plan.pk)
    services.report_save(plan=plan, day=30, percent=10, today=_due_day(program, 60))
    assert ProgressReport.objects.get().day == 30


def test_evidence_served_to_members_only(client, organizer_client, program, people, other_institution):
    plan = approved_plan(people[0])
    services.report_save(plan=plan, day=30, percent=50, evidence=SimpleUploadedFile("sk.pdf", b"%PDF-1.4 x"),
                         today=_due_day(program))  # fmt: skip
    url = reverse("evaluations:plan_evidence", kwargs={"program_pk": program.pk, "plan_pk": plan.pk, "day": 30})
    response = organizer_client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert (
        "/media/"
        not in organizer_client.get(
            reverse("evaluations:plan_detail", kwargs={"program_pk": program.pk, "plan_pk": plan.pk})
        ).content.decode()
    )


# --- Staff pages -------------------------------------------------------------------------------------


def test_plan_list_filters_by_status(organizer_client, program, people):
    approved_plan(people[0], title="Rencana disetujui")
    approved_plan(people[1], title="Rencana menunggu", status=PlanStatus.SUBMITTED)
    url = reverse("evaluations:plans", kwargs={"program_pk": program.pk})
    page = organizer_client.get(url).content.decode()
    assert "Rencana disetujui" in page
    assert "Rencana menunggu" in page
    assert people[2].participant.display_name in page  # no plan yet, still listed
    page = organizer_client.get(url, {"status": "submitted"}).content.decode()
    assert "Rencana menunggu" in page
    assert "Rencana disetujui" not in page
    assert people[2].participant.display_name not in page


@pytest.mark.parametrize("count", [1, 12])
def test_plan_list_and_monitoring_queries_do_not_grow(organizer_client, program, count,
                                                      django_assert_max_num_queries):  # fmt: skip
    for enrollment in EnrollmentFactory.create_batch(count, program=program):
        plan = approved_plan(enrollment)
        ProgressReport.objects.create(plan=plan, day=30, percent=30)
        approved_plan(enrollment, status=PlanStatus.SUBMITTED)
        visit = MonitoringVisit.objects.create(program=program, date=dt.date(2025, 7, 1),
                                               unit=enrollment.participant.unit_name, visitors="Wali Kota")  # fmt: skip
        visit.participants.add(enrollment)
    with django_assert_max_num_queries(12):
        page = organizer_client.get(reverse("evaluations:plans", kwargs={"program_pk": program.pk}))
    assert page.content.decode().count('class="plan-row"') == 2 * count
    with django_assert_max_num_queries(12):
        page = organizer_client.get(reverse("evaluations:monitoring", kwargs={"program_pk": program.pk}))
    assert page.content.decode().count("data-enrollment=") == count


def test_monitoring_counts_per_unit(organizer_client, program):
    first, second = EnrollmentFactory.create_batch(2, program=program, participant__unit_name="Dinas Kesehatan")
    done = approved_plan(first)
    ProgressReport.objects.create(plan=done, day=90, percent=100)
    approved_plan(second, target_date=dt.date(2025, 6, 1))  # passed: late
    page = organizer_client.get(reverse("evaluations:monitoring", kwargs={"program_pk": program.pk})).content.decode()
    unit = page.split('data-unit="Dinas Kesehatan"')[1].split("</section>")[0]
    assert f'data-enrollment="{first.pk}"' in unit
    row = unit.split(f'data-enrollment="{second.pk}"')[1].split("</li>")[0]
    assert 'data-late="1"' in row


def test_leader_records_a_visit_with_findings_and_photos(client, leader, program, settings):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="Kecamatan Klojen")
    plan = approved_plan(enrollment)
    client.force_login(leader)
    url = reverse("evaluations:visit_create", kwargs={"program_pk": program.pk})
    form = client.get(url, {"unit": "Kecamatan Klojen"}).content.decode()
    assert f"finding_{plan.pk}" in form
    response = client.post(url, {
        "unit": "Kecamatan Klojen", "date": "2025-07-01", "visitors": "Wali Kota; Sekda",
        "participants": [enrollment.pk], f"finding_{plan.pk}": "SOP sudah dirancang.", "follow_up": "Rapat lanjutan.",
        "photos": [image_upload("a.jpg"), image_upload("b.webp", size=(800, 600), fmt="WEBP")],
    })  # fmt: skip
    visit = MonitoringVisit.objects.get()
    assert response.status_code == 302
    assert visit.created_by == leader
    assert list(visit.participants.all()) == [enrollment]
    assert visit.findings.get().text == "SOP sudah dirancang."
    sizes = sorted(Image.open(p.image.path).size for p in visit.photos.all())
    assert sizes == [(800, 600), (1600, 1067)]
    detail = client.get(reverse("evaluations:visit_detail", kwargs={"program_pk": program.pk, "visit_pk": visit.pk}))
    assert "SOP sudah dirancang." in detail.content.decode()


def test_visit_photo_not_an_image_refused_and_nothing_saved(organizer_client, program, settings):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="Kecamatan Klojen")
    url = reverse("evaluations:visit_create", kwargs={"program_pk": program.pk})
    response = organizer_client.post(url, {
        "unit": "Kecamatan Klojen", "date": "2025-07-01", "visitors": "Wali Kota", "participants": [enrollment.pk],
        "photos": [image_upload("a.jpg"), SimpleUploadedFile("notulen.pdf", b"%PDF-1.4\n")],
    })  # fmt: skip
    assert response.status_code == 200
    message = gettext("%(name)s: only an image (JPEG, PNG or WebP), at most %(size)s MB") % {
        "name": "notulen.pdf", "size": 5}  # fmt: skip
    assert message in response.content.decode()
    assert not MonitoringVisit.objects.exists()
    assert not VisitPhoto.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_facilitator_may_not_record_a_visit(client, facilitator, program):
    client.force_login(facilitator)
    url = reverse("evaluations:visit_create", kwargs={"program_pk": program.pk})
    assert client.get(url).status_code == 403
    posted = client.post(url, {"unit": "Kecamatan Klojen", "date": "2025-07-01", "visitors": "Pendamping"})
    assert posted.status_code == 403
    assert not MonitoringVisit.objects.exists()  # nothing recorded


# --- Files: huge pictures, odd modes, orientation ------------------------------------------------------


def png_upload(name, image) -> SimpleUploadedFile:
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_a_small_file_of_a_huge_picture_is_refused_from_its_header(program, people, settings):
    plan = approved_plan(people[0])
    upload = png_upload("denah.png", Image.new("1", (9400, 9400)))
    assert upload.size < 20_000
    with pytest.raises(ValidationError) as refused:
        services.report_save(plan=plan, day=30, percent=50, evidence=upload, today=_due_day(program))
    message = refused.value.messages[0]
    assert message.startswith("denah.png: ")
    assert "9400 × 9400" in message
    assert "40 megapixels" in message
    assert not ProgressReport.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_16_bit_grey_png_is_taken(program, people):
    plan = approved_plan(people[0])
    upload = png_upload("scan.png", Image.new("I;16", (2400, 1200), 40000))
    report = services.report_save(plan=plan, day=30, percent=50, evidence=upload, today=_due_day(program))
    with Image.open(report.evidence.path) as stored:
        assert (stored.format, stored.mode, stored.size) == ("JPEG", "L", (1600, 800))
        assert abs(stored.getpixel((10, 10)) - 40000 // 256) <= 2  # scaled to 8 bits, not cut off at 255


def test_a_photo_keeps_its_exif_orientation(program, people):
    plan = approved_plan(people[0])
    photo = Image.new("RGB", (3000, 2000), (200, 30, 30))
    exif = photo.getexif()
    exif[0x0112] = 6  # taken with the phone turned: shown turned a quarter clockwise
    out = io.BytesIO()
    photo.save(out, "JPEG", exif=exif)
    upload = SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")
    report = services.report_save(plan=plan, day=30, percent=50, evidence=upload, today=_due_day(program))
    with Image.open(report.evidence.path) as stored:
        assert stored.size == (1067, 1600)
        assert stored.getexif().get(0x0112) is None  # not turned a second time by the viewer


def visit_post(enrollment, **extra):
    return {"unit": enrollment.participant.unit_name, "date": "2025-07-01", "visitors": "Wali Kota",
            "participants": [enrollment.pk], **extra}  # fmt: skip


def test_at_most_ten_photos_a_visit_at_a_time(organizer_client, program, settings):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="Kecamatan Klojen")
    url = reverse("evaluations:visit_create", kwargs={"program_pk": program.pk})
    photos = [image_upload(f"{n}.jpg", size=(40, 30)) for n in range(11)]
    response = organizer_client.post(url, visit_post(enrollment, photos=photos))
    assert response.status_code == 200
    assert "At most 10 photos at a time: send the others afterwards." in response.content.decode()
    assert not MonitoringVisit.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_removing_a_photo_of_a_malformed_id_is_ignored(organizer_client, organizer, program):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="Kecamatan Klojen")
    visit = services.visit_save(program=program, user=organizer, data=visit_post(enrollment, participants=[enrollment]),
                                findings={}, photos=[image_upload("a.jpg", size=(40, 30))])  # fmt: skip
    url = reverse("evaluations:visit_edit", kwargs={"program_pk": program.pk, "visit_pk": visit.pk})
    response = organizer_client.post(url, visit_post(enrollment, remove_photo=["abc", "²", "9" * 30]))
    assert response.status_code == 302
    assert visit.photos.count() == 1


# --- Changed follow-up days, duplicates, races ----------------------------------------------------------


def test_reports_at_days_no_longer_asked_stay_listed(organizer_client, client, program, people):
    plan = approved_plan(people[0])
    ProgressReport.objects.create(plan=plan, day=30, percent=40, text="Rapat pertama.")
    EvaluationSettings.objects.create(program=program, follow_up_days=[45, 90])
    url = reverse("evaluations:plan_detail", kwargs={"program_pk": program.pk, "plan_pk": plan.pk})
    page = organizer_client.get(url).content.decode()
    assert [day for day in (30, 45, 60, 90) if f'data-day="{day}"' in page] == [30, 45, 90]
    assert "Rapat pertama." in page
    assert "No longer a follow-up day of the program: kept as reported." in page
    portal = client.get(reverse("portal:plan_report", kwargs={"token": people[0].access_token, "plan_pk": plan.pk,
                                                              "day": 30}))  # fmt: skip
    assert portal.status_code == 200
    assert 'name="percent"' not in portal.content.decode()  # read-only


def test_a_first_report_sent_twice_at_once_is_one_report(program, people):
    plan = approved_plan(people[0])
    competitor = {"sent": False}

    def another_phone(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not competitor["sent"] and sql.startswith("SELECT") and "evaluations_progressreport" in sql:
            competitor["sent"] = True  # the other phone's first report lands between our read and our write
            ProgressReport.objects.create(plan=plan, day=30, percent=10)
        return result

    with connection.execute_wrapper(another_phone):
        report = services.report_save(plan=plan, day=30, percent=60, today=_due_day(program))
    assert competitor["sent"]
    assert ProgressReport.objects.get().percent == 60
    assert report.pk == ProgressReport.objects.get().pk


def test_a_plan_sent_twice_is_made_once(people):
    data = {"title": "Layanan satu pintu", "indicator": "SOP terbit", "target_date": dt.date(2025, 9, 1)}
    first = services.plan_create(enrollment=people[0], data=data, submit=True)
    again = services.plan_create(enrollment=people[0], data=data, submit=True)
    assert again.pk == first.pk
    later = services.plan_create(enrollment=people[0], data=data, now=timezone.now() + dt.timedelta(minutes=11))
    assert later.pk != first.pk
    other = services.plan_create(enrollment=people[0], data={**data, "indicator": "SOP diterapkan"})
    assert other.pk not in (first.pk, later.pk)
    assert ActionPlan.objects.count() == 3


# --- Who changes a visit; what a plan's page shows ------------------------------------------------------


def test_a_leader_changes_only_the_visits_they_recorded(client, leader, organizer, program):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="Kecamatan Klojen")
    data = visit_post(enrollment, participants=[enrollment])
    own = services.visit_save(program=program, user=leader, data=data, findings={})
    theirs = services.visit_save(program=program, user=organizer, data=data, findings={})
    client.force_login(leader)

    def edit(visit):
        return reverse("evaluations:visit_edit", kwargs={"program_pk": program.pk, "visit_pk": visit.pk})

    assert client.get(edit(own)).status_code == 200
    assert client.get(edit(theirs)).status_code == 404
    assert client.post(edit(theirs), visit_post(enrollment, visitors="Diubah")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.visitors == "Wali Kota"
    detail = client.get(reverse("evaluations:visit_detail", kwargs={"program_pk": program.pk, "visit_pk": theirs.pk}))
    assert detail.status_code == 200
    assert edit(theirs) not in detail.content.decode()
    client.force_login(organizer)
    assert client.get(edit(own)).status_code == 200  # managers change any visit


def test_plan_page_names_the_evidence_and_the_reviewer_not_the_storage(organizer_client, organizer, program, people):
    organizer.full_name = "Rina Kusuma"
    organizer.save()
    plan = approved_plan(people[0], review_note="Bagus.", reviewed_by=organizer, reviewed_at=timezone.now())
    services.report_save(plan=plan, day=30, percent=50, evidence=SimpleUploadedFile("sk.pdf", b"%PDF-1.4 x"),
                         today=_due_day(program))  # fmt: skip
    report = ProgressReport.objects.get()
    report.evidence_name = ""
    report.save()
    page = organizer_client.get(
        reverse("evaluations:plan_detail", kwargs={"program_pk": program.pk, "plan_pk": plan.pk})
    ).content.decode()
    assert "Rina Kusuma" in page
    assert report.evidence.name not in page
    assert f"{gettext('Evidence')}: {gettext('evidence')}</a>" in page
    response = organizer_client.get(
        reverse("evaluations:plan_evidence", kwargs={"program_pk": program.pk, "plan_pk": plan.pk, "day": 30})
    )
    assert response["Referrer-Policy"] == "no-referrer"  # the one file response of the staff and the portal
    assert 'filename="bukti.pdf"' in response["Content-Disposition"]


# --- Races on a plan's status; one rule of what may change ------------------------------------------------


def test_a_stale_change_never_overwrites_an_approval(people):
    plan = approved_plan(people[0], status=PlanStatus.CHANGES, title="Asli")
    stale = ActionPlan.objects.get(pk=plan.pk)  # the participant's page, loaded before the approval
    ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    with pytest.raises(ValidationError) as refused:
        services.plan_update(plan=stale, data={"title": "Diubah"}, submit=True)
    assert refused.value.code == "locked"
    stored = ActionPlan.objects.get(pk=plan.pk)
    assert (stored.status, stored.title) == (PlanStatus.APPROVED, "Asli")


def test_a_stale_review_never_overwrites_a_decision(organizer, facilitator, people):
    plan = approved_plan(people[0], status=PlanStatus.SUBMITTED)
    stale = ActionPlan.objects.get(pk=plan.pk)  # a second reviewer's page, loaded before the first decided
    services.plan_review(plan=ActionPlan.objects.get(pk=plan.pk), user=organizer, approve=False, note="Ukur.")
    with pytest.raises(ValidationError):
        services.plan_review(plan=stale, user=facilitator, approve=True)
    stored = ActionPlan.objects.get(pk=plan.pk)
    assert (stored.status, stored.review_note, stored.reviewed_by) == (PlanStatus.CHANGES, "Ukur.", organizer)


def test_a_review_updates_the_callers_plan(organizer, people):
    plan = approved_plan(people[0], status=PlanStatus.SUBMITTED)
    returned = services.plan_review(plan=plan, user=organizer, approve=True)
    assert returned is plan
    assert (plan.status, plan.reviewed_by_id) == (PlanStatus.APPROVED, organizer.pk)


def test_which_plans_may_change_is_defined_once(client, people):
    assert services.EDITABLE is selectors.EDITABLE
    me = people[0]
    plans = {status: approved_plan(me, status=status, title=f"Rencana {status}") for status in PlanStatus.values}
    page = client.get(reverse("portal:plans", kwargs={"token": me.access_token})).content.decode()
    for status, plan in plans.items():
        item = page.split(f'data-plan="{plan.pk}"')[1].split('class="list-group-item')[0]
        assert ("Change or send for approval" in item) == (status in selectors.EDITABLE)
        edit = client.get(reverse("portal:plan", kwargs={"token": me.access_token, "plan_pk": plan.pk}))
        assert ('name="title"' in edit.content.decode()) == (status in selectors.EDITABLE)


# --- Target dates and visit dates -------------------------------------------------------------------------


def test_target_date_after_the_start_and_within_two_years_of_the_end(program, people):
    data = {"title": "A", "indicator": "B"}
    latest = program.end_date.replace(year=program.end_date.year + 2)
    for wrong in (program.start_date, program.start_date - dt.timedelta(days=1), latest + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            services.plan_create(enrollment=people[0], data={**data, "target_date": wrong})
        assert list(refused.value.message_dict) == ["target_date"]
        assert "target date" in refused.value.message_dict["target_date"][0]
    assert not ActionPlan.objects.exists()
    plan = services.plan_create(enrollment=people[0], data={**data, "target_date": latest})
    services.plan_create(enrollment=people[0], data={**data, "target_date": program.start_date + dt.timedelta(days=1)})
    with pytest.raises(ValidationError) as refused:
        services.plan_update(plan=plan, data={"target_date": latest + dt.timedelta(days=1)})
    assert "target_date" in refused.value.message_dict
    assert ActionPlan.objects.get(pk=plan.pk).target_date == latest


def test_target_date_refused_on_the_portal_form(client, program, people):
    me = people[0]
    data = {"title": "A", "indicator": "B", "target_date": "2030-01-01", "action": "submit"}
    response = client.post(reverse("portal:plans", kwargs={"token": me.access_token}), data)
    assert response.status_code == 400
    assert "The target date must be after the program" in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_visit_date_from_the_program_start_until_today(organizer, program):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="Kecamatan Klojen")
    today = dt.date(2025, 8, 1)
    for wrong in (program.start_date - dt.timedelta(days=1), today + dt.timedelta(days=1)):
        data = {**visit_post(enrollment, participants=[enrollment]), "date": wrong}
        with pytest.raises(ValidationError) as refused:
            services.visit_save(program=program, user=organizer, data=data, findings={}, today=today)
        assert list(refused.value.message_dict) == ["date"]
    assert not MonitoringVisit.objects.exists()
    for right in (program.start_date, today):
        data = {**visit_post(enrollment, participants=[enrollment]), "date": right}
        services.visit_save(program=program, user=organizer, data=data, findings={}, today=today)
    assert MonitoringVisit.objects.count() == 2


def test_visit_date_in_the_future_refused_on_the_form(organizer_client, program):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="Kecamatan Klojen")
    tomorrow = timezone.localdate(timezone=program.tzinfo) + dt.timedelta(days=1)
    url = reverse("evaluations:visit_create", kwargs={"program_pk": program.pk})
    response = organizer_client.post(url, visit_post(enrollment, date=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "The date of the visit must be between the program" in response.content.decode()
    assert not MonitoringVisit.objects.exists()


# --- Visits: findings of another unit, withdrawn participants ------------------------------------------


def test_a_finding_on_a_plan_of_another_unit_is_refused(organizer_client, program):
    enrollment = EnrollmentFactory(program=program, participant__unit_name="Kecamatan Klojen")
    own = approved_plan(enrollment)
    theirs = approved_plan(EnrollmentFactory(program=program, participant__unit_name="Dinas Kesehatan"))
    url = reverse("evaluations:visit_create", kwargs={"program_pk": program.pk})
    findings = {f"finding_{own.pk}": "Baik.", f"finding_{theirs.pk}": "Bukan unit ini."}
    response = organizer_client.post(url, visit_post(enrollment, **findings))
    assert response.status_code == 200
    assert "A finding was sent for an action plan not of this unit" in response.content.decode()
    assert not MonitoringVisit.objects.exists()


def test_units_offered_are_those_of_active_participants(organizer_client, program):
    from participants.enums import EnrollmentStatus

    EnrollmentFactory(program=program, participant__unit_name="Kecamatan Klojen")
    EnrollmentFactory(program=program, participant__unit_name="Dinas Mundur", status=EnrollmentStatus.WITHDRAWN)
    assert selectors.visit_units(program) == ["Kecamatan Klojen"]
    url = reverse("evaluations:visit_create", kwargs={"program_pk": program.pk})
    page = organizer_client.get(url).content.decode()
    assert "Kecamatan Klojen" in page
    assert "Dinas Mundur" not in page
    page = organizer_client.get(url, {"unit": "Dinas Mundur"}).content.decode()
    assert 'class="visit-form"' not in page  # no empty form for a unit without participants


# --- Queries of the visit pages and the portal's plans -----------------------------------------------------


def _unit_with_plans(program, count, unit="Kecamatan Klojen"):
    enrollments = EnrollmentFactory.create_batch(count, program=program, participant__unit_name=unit)
    plans = [approved_plan(e, title=f"Rencana {e.pk} {n}") for e in enrollments for n in (1, 2)]
    return enrollments, plans


@pytest.mark.parametrize("count", [1, 10])
def test_visit_form_queries_do_not_grow(organizer_client, organizer, program, count, django_assert_max_num_queries):
    enrollments, plans = _unit_with_plans(program, count)
    url = reverse("evaluations:visit_create", kwargs={"program_pk": program.pk})
    with django_assert_max_num_queries(8, info=f"count={count}"):
        page = organizer_client.get(url, {"unit": "Kecamatan Klojen"}).content.decode()
    assert page.count('class="mb-3 finding"') == 2 * count
    data = visit_post(enrollments[0], participants=enrollments)
    photos = [image_upload(f"{n}.jpg", size=(40, 30)) for n in range(count)]
    visit = services.visit_save(program=program, user=organizer, data=data,
                                findings={plan: f"Temuan {plan.pk}" for plan in plans}, photos=photos)  # fmt: skip
    edit = reverse("evaluations:visit_edit", kwargs={"program_pk": program.pk, "visit_pk": visit.pk})
    with django_assert_max_num_queries(12, info=f"count={count}"):
        page = organizer_client.get(edit).content.decode()
    assert page.count("Temuan ") == 2 * count
    assert page.count('name="remove_photo"') == count


@pytest.mark.parametrize("count", [1, 10])
def test_visit_detail_queries_do_not_grow(organizer_client, organizer, program, count, django_assert_max_num_queries):
    enrollments, plans = _unit_with_plans(program, count)
    data = visit_post(enrollments[0], participants=enrollments)
    visit = services.visit_save(program=program, user=organizer, data=data,
                                findings={plan: f"Temuan {plan.pk}" for plan in plans[::2]},
                                photos=[image_upload(f"{n}.jpg", size=(40, 30)) for n in range(count)])  # fmt: skip
    url = reverse("evaluations:visit_detail", kwargs={"program_pk": program.pk, "visit_pk": visit.pk})
    with django_assert_max_num_queries(9, info=f"count={count}"):
        page = organizer_client.get(url).content.decode()
    assert page.count('class="list-group-item finding"') == count
    assert page.count('<img class="img-fluid rounded"') == count
    assert all(e.participant.display_name in page for e in enrollments)


@pytest.mark.parametrize("count", [1, 8])
def test_portal_plan_list_queries_do_not_grow(client, people, count, django_assert_max_num_queries):
    me = people[0]
    for n in range(count):
        plan = approved_plan(me, title=f"Rencana {n}", status=PlanStatus.APPROVED if n % 2 == 0 else PlanStatus.DRAFT)
        if n % 2 == 0:
            ProgressReport.objects.create(plan=plan, day=30, percent=20)
            ProgressReport.objects.create(plan=plan, day=60, percent=40)
    url = reverse("portal:plans", kwargs={"token": me.access_token})
    with django_assert_max_num_queries(5, info=f"count={count}"):
        page = client.get(url).content.decode()
    assert page.count('class="list-group-item py-3 px-3 plan-item"') == count
    assert page.count("40 %") == (count + 1) // 2
