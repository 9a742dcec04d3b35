"""A participant downloads their certificate on a phone (390×844) and opens the verification page its QR
code points to."""

import subprocess

import pytest
from playwright.sync_api import expect

from certificates.documents import certificates_make
from evaluations.services.completion import completion_override_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_download_the_certificate_and_verify_it_from_its_qr(browser, live_server, settings, program, organizer, people,
                                                            tmp_path, screenshot_dir):  # fmt: skip
    import zxingcpp
    from PIL import Image

    settings.SITE_URL = live_server.url  # the QR points at this server
    me = people[0]
    for other in people[1:]:  # only the first completes
        completion_override_set(enrollment=other, complete=False, reason="Tidak hadir", user=organizer)
    (certificate,) = certificates_make(program, user=organizer)
    assert certificate.enrollment == me
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  accept_downloads=True)  # fmt: skip
    page = context.new_page()
    page.goto(f"{live_server.url}/p/{me.access_token}/")
    card = page.locator(".certificate-card")
    expect(card).to_contain_text(certificate.number)
    with page.expect_download() as download:
        card.get_by_role("link").click()
    pdf = tmp_path / "sertifikat.pdf"
    download.value.save_as(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")], check=True
    )
    (png,) = tmp_path.glob("page*.png")
    (address,) = [result.text for result in zxingcpp.read_barcodes(Image.open(png))]
    assert address == f"{live_server.url}/v/{certificate.code}/"
    page.goto(address)
    expect(page.locator("#verdict")).to_have_attribute("data-status", "valid")
    expect(page.locator(".verify")).to_contain_text(certificate.holder_name)
    assert me.participant.nip not in page.content()  # masked
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "verification-phone.png", full_page=True)
    context.close()
