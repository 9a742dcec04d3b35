"""A participant's action plans from the personal link: write, change, send for approval, report progress
with evidence; another participant's plan is a 404."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from evaluations.enums import PlanStatus
from evaluations.models import ActionPlan, ProgressReport
from evaluations.tests.test_plans import approved_plan, files_under, image_upload


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages and messages in English, the source texts (Indonesian is their translation)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


PLAN = {"title": "Layanan izin satu pintu", "indicator": "SOP terbit", "target_date": "2025-09-30",
        "involved": "Sekretariat"}  # fmt: skip


def url(name, enrollment, **kwargs):
    return reverse(f"portal:{name}", kwargs={"token": enrollment.access_token, **kwargs})


def test_write_a_plan_then_send_it_for_approval(client, people):
    me = people[0]
    assert client.post(url("plans", me), {**PLAN, "action": "save"}).status_code == 302
    plan = ActionPlan.objects.get(enrollment=me)
    assert plan.status == PlanStatus.DRAFT
    assert plan.target_date == dt.date(2025, 9, 30)
    client.post(url("plan", me, plan_pk=plan.pk), {**PLAN, "title": "Layanan izin daring", "action": "submit"})
    plan.refresh_from_db()
    assert plan.title == "Layanan izin daring"
    assert plan.status == PlanStatus.SUBMITTED
    response = client.post(url("plan", me, plan_pk=plan.pk), {**PLAN, "title": "Diubah", "action": "save"})
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.title == "Layanan izin daring"  # locked while waiting for approval


def test_personal_page_shows_the_plans_card_and_its_changes(client, people, django_capture_on_commit_callbacks):
    me = people[0]
    page = client.get(url("personal_page", me)).content.decode()
    assert url("plans", me) in page
    with django_capture_on_commit_callbacks(execute=True):  # the plans' version changes after commit
        client.post(url("plans", me), {**PLAN, "action": "submit"})
    page = client.get(url("personal_page", me)).content.decode()
    assert PLAN["title"] in page
    assert 'data-status="submitted"' in page


def test_another_participants_plan_is_404(client, people):
    theirs = approved_plan(people[1])
    ProgressReport.objects.create(plan=theirs, day=90, percent=10, evidence=SimpleUploadedFile("a.pdf", b"%PDF-1"))
    me = people[0]
    assert client.get(url("plan", me, plan_pk=theirs.pk)).status_code == 404
    assert client.post(url("plan", me, plan_pk=theirs.pk), {**PLAN, "action": "submit"}).status_code == 404
    assert client.get(url("plan_report", me, plan_pk=theirs.pk, day=90)).status_code == 404
    assert client.post(url("plan_report", me, plan_pk=theirs.pk, day=90), {"percent": 90}).status_code == 404
    assert client.get(url("plan_evidence", me, plan_pk=theirs.pk, day=90)).status_code == 404
    assert ProgressReport.objects.get().percent == 10


def test_report_with_a_refused_file_saves_nothing(client, people, settings):
    me = people[0]
    plan = approved_plan(me)
    # The program ended in 2025: day 90 is the last follow-up, open from then on (the link stays valid).
    exe = SimpleUploadedFile("bukti.exe", b"MZ\x90")
    response = client.post(url("plan_report", me, plan_pk=plan.pk, day=90), {"percent": 60, "evidence": exe})
    assert response.status_code == 400
    message = gettext("%(name)s: only an image (JPEG, PNG or WebP) or a PDF, at most 5 MB") % {"name": "bukti.exe"}
    assert message in response.content.decode()
    big = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024))
    response = client.post(url("plan_report", me, plan_pk=plan.pk, day=90), {"percent": 60, "evidence": big})
    assert response.status_code == 400
    assert "foto.jpg" in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_report_with_a_photo_is_saved_shrunk_and_served_to_the_participant(client, people):
    me = people[0]
    plan = approved_plan(me)
    data = {"percent": 100, "text": "SOP ditandatangani", "evidence": image_upload("sop.jpg")}
    response = client.post(url("plan_report", me, plan_pk=plan.pk, day=90), data)
    assert response.status_code == 302
    report = ProgressReport.objects.get(plan=plan, day=90)
    assert report.percent == 100
    assert report.evidence_name == "sop.jpg"
    served = client.get(url("plan_evidence", me, plan_pk=plan.pk, day=90))
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"
    page = client.get(url("plans", me)).content.decode()
    assert 'data-day="90"' in page
    assert "100 %" in page


def test_report_only_on_approved_plans(client, people):
    me = people[0]
    plan = approved_plan(me, status=PlanStatus.SUBMITTED)
    assert client.get(url("plan_report", me, plan_pk=plan.pk, day=90)).status_code == 200
    assert client.post(url("plan_report", me, plan_pk=plan.pk, day=90), {"percent": 50}).status_code == 400
    assert not ProgressReport.objects.exists()
    assert client.get(url("plan_report", me, plan_pk=plan.pk, day=45)).status_code == 404  # no such follow-up


def test_a_plan_form_sent_twice_makes_one_plan(client, people):
    me = people[0]
    assert client.post(url("plans", me), {**PLAN, "action": "submit"}).status_code == 302
    assert client.post(url("plans", me), {**PLAN, "action": "submit"}).status_code == 302  # a double tap
    assert ActionPlan.objects.filter(enrollment=me).count() == 1


def test_a_locked_plan_says_why_whatever_was_sent(client, people):
    me = people[0]
    plan = approved_plan(me, status=PlanStatus.SUBMITTED, title="Tersimpan")
    for sent in ({**PLAN, "title": "Diubah"}, {**PLAN, "title": "", "target_date": "bukan tanggal"}):
        response = client.post(url("plan", me, plan_pk=plan.pk), {**sent, "action": "submit"})
        page = response.content.decode()
        assert response.status_code == 400
        assert gettext("This plan is waiting for approval or approved: it can no longer be changed.") in page
        assert "Tersimpan" in page  # the plan as stored, not what was sent
        assert 'name="title"' not in page
    plan.refresh_from_db()
    assert (plan.title, plan.status) == ("Tersimpan", PlanStatus.SUBMITTED)
