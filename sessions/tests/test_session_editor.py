"""The session editor as the server reads it, without JavaScript: its own page saves with a plain form and
returns to the session; days are named; times are shown 19.00 and read as 19.00, 19:00, 1900 or 19."""

import datetime as dt

import pytest
from django.urls import reverse

from sessions import services


@pytest.fixture
def agenda(program):
    services.agenda_apply_template(program=program)
    return program


def test_the_days_are_named_and_clock_input_is_read_in_any_common_way(organizer_client, agenda):
    program = agenda
    create = reverse("sessions:session_create", kwargs={"program_pk": program.pk})
    page = organizer_client.get(create).content.decode()
    assert 'value="2025-05-16">Jumat, 16 Mei 2025</option>' in page
    assert "hx-post" not in page  # its own page saves with a plain form
    for start, end, expect_start in (("19.00", "20:00", dt.time(19)), ("0730", "8", dt.time(7, 30))):
        data = {"kind": "materi", "title": f"Sesi {start}", "day": "2025-05-16", "start": start, "end": end}
        response = organizer_client.post(create, data)
        added = program.sessions.get(title=f"Sesi {start}")
        assert response.url.endswith(f"#session-{added.pk}")
        assert added.starts_at.astimezone(program.tzinfo).time() == expect_start
    edit = reverse("sessions:session_update", kwargs={"program_pk": program.pk, "session_pk": added.pk})
    assert 'value="07.30"' in organizer_client.get(edit).content.decode()
