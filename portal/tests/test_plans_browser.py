"""A participant writes an action plan on a phone (390×844) and sends it for approval."""

import pytest
from playwright.sync_api import expect

from evaluations.enums import PlanStatus
from evaluations.models import ActionPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context
    context.close()


def test_write_a_plan_and_send_it_for_approval(phone, live_server, people, screenshot_dir):
    me = people[0]
    page = phone.new_page()
    page.goto(f"{live_server.url}/p/{me.access_token}/")
    page.locator(".plans-card a.open-plans").click()
    expect(page.locator(".plan-add")).to_be_visible()
    form = page.locator(".plan-add form")
    form.locator("[name=title]").fill("Layanan izin usaha satu pintu di kecamatan")
    form.locator("[name=indicator]").fill("SOP terbit dan dipakai")
    form.locator("[name=target_date]").fill("2025-09-30")
    form.locator("[name=involved]").fill("Sekretariat kecamatan")
    form.locator("button[value=save]").click()
    item = page.locator(".plan-item").first
    expect(item.locator(".plan-status")).to_have_attribute("data-status", "draft")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    item.locator("a.btn").click()
    page.locator("button[value=submit]").click()
    expect(page.locator(".plan-item .plan-status")).to_have_attribute("data-status", "submitted")
    expect(page.locator(".plan-item .plan-status")).to_have_text(str(PlanStatus.SUBMITTED.label))
    page.screenshot(path=screenshot_dir / "plans-phone.png", full_page=True)
    plan = ActionPlan.objects.get(enrollment=me)
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.title == "Layanan izin usaha satu pintu di kecamatan"
    assert str(plan.target_date) == "2025-09-30"
    assert plan.involved == "Sekretariat kecamatan"
