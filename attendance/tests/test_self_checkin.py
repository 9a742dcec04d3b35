import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from attendance import services
from attendance.codes import INTERVAL_SECONDS, code_for, interval_of, qr_text
from attendance.enums import CheckinMethod
from attendance.models import AttendanceRecord, Register
from sessions.models import Session


@pytest.fixture
def running(program, organizer):
    """A session running now with self check-in on."""
    now = timezone.now()
    session = Session.objects.create(
        program=program,
        kind="materi",
        title="Sesi Berjalan",
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(hours=1),
    )
    services.self_checkin_switch(session=session, user=organizer, enabled=True)
    return session


def _code(session, moment, back=0):
    return code_for(Register.objects.get(session=session), interval_of(moment) - back)


def test_the_code_on_the_screen_checks_the_participant_in(running, people):
    now = timezone.now()
    result = services.self_checkin(enrollment=people[0], code=_code(running, now), now=now)
    assert result.outcome == "saved"
    record = AttendanceRecord.objects.get()
    assert (record.enrollment_id, record.method, record.status) == (people[0].pk, CheckinMethod.SELF, "hadir")


def test_the_previous_code_is_still_accepted_an_older_one_is_refused(running, people):
    now = timezone.now()
    assert services.self_checkin(enrollment=people[0], code=_code(running, now, back=1), now=now).outcome == "saved"
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        services.self_checkin(enrollment=people[1], code=_code(running, now, back=2), now=now)
    assert AttendanceRecord.objects.count() == 1


def test_a_code_of_another_session_or_a_wrong_code_is_refused(running, program, organizer, people):
    now = timezone.now()
    other = Session.objects.create(program=program, kind="materi", title="Kelas Lain", starts_at=running.starts_at,
                                   ends_at=running.ends_at)  # fmt: skip
    services.self_checkin_switch(session=other, user=organizer, enabled=True)
    with pytest.raises(ValidationError, match="sesi lain"):
        services.self_checkin(enrollment=people[0], code=_code(other, now), session_id=running.pk, now=now)
    with pytest.raises(ValidationError, match="tidak berlaku"):
        services.self_checkin(enrollment=people[0], code="000000" if _code(running, now) != "000000" else "111111",
                              now=now)  # fmt: skip
    with pytest.raises(ValidationError, match="enam angka"):
        services.self_checkin(enrollment=people[0], code="12", now=now)
    assert not AttendanceRecord.objects.exists()


def test_no_codes_once_self_checkin_is_off_or_the_register_closed(running, organizer, people):
    now = timezone.now()
    code = _code(running, now)
    services.self_checkin_switch(session=running, user=organizer, enabled=False)
    with pytest.raises(ValidationError):
        services.self_checkin(enrollment=people[0], code=code, now=now)
    services.self_checkin_switch(session=running, user=organizer, enabled=True)
    services.register_close(session=running, user=organizer)
    with pytest.raises(ValidationError):
        services.self_checkin(enrollment=people[0], code=code, now=now)


def test_personal_page_checks_in_only_its_own_participant(client, running, people):
    now = timezone.now()
    url = reverse("portal:self_checkin", kwargs={"token": people[0].access_token})
    response = client.post(
        url, {"code": _code(running, now), "session": running.pk}, headers={"Accept": "application/json"}
    )
    assert response.json()["ok"] is True
    assert list(AttendanceRecord.objects.values_list("enrollment_id", flat=True)) == [people[0].pk]
    page = client.post(url, {"code": "99"})
    assert page.status_code == 400
    assert "enam angka" in page.content.decode()
    assert (
        client.post(reverse("portal:self_checkin", kwargs={"token": "tebakan"}), {"code": "123456"}).status_code == 404
    )


def test_guessing_codes_is_slowed_down(client, running, people):
    url = reverse("portal:self_checkin", kwargs={"token": people[0].access_token})
    answers = [client.post(url, {"code": f"{n:06d}"}, headers={"Accept": "application/json"}).json()["message"]
               for n in range(14)]  # fmt: skip
    assert "Terlalu banyak" in answers[-1]


def test_the_rooms_screen_shows_the_code_and_renews_it(organizer_client, running):
    url = reverse("attendance:screen", kwargs={"program_pk": running.program_id, "session_pk": running.pk})
    before = _code(running, timezone.now())
    page = organizer_client.get(url).content.decode()
    after = _code(running, timezone.now())  # the same, unless the 30 seconds rolled over meanwhile
    assert any(f"{code[:3]} {code[3:]}" in page for code in {before, after})
    code = after
    assert "<svg" in page
    fragment = organizer_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert 'hx-trigger="every 5s"' in fragment
    assert qr_text(Register.objects.get(session=running), code).startswith("RETRET-HADIR")
    assert INTERVAL_SECONDS == 30
