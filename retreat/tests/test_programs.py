import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from retreat.enums import Role
from retreat.models import Program
from retreat.tests.factories import InstitutionFactory, MembershipFactory


def _form_data(institution, **overrides):
    data = {
        "organizer": institution.pk,
        "name": "Retret Kepemimpinan Kota Malang 2026",
        "venue_name": "POLTEKAD Malang",
        "start_date": "2026-05-14",
        "end_date": "2026-05-16",
        "timezone": "Asia/Jakarta",
        "status": "draft",
        "min_attendance_pct": "80",
    }
    return {**data, **overrides}


def test_organizer_creates_a_program(organizer_client, institution):
    response = organizer_client.post(reverse("retreat:program_create"), _form_data(institution))
    program = Program.objects.get(name="Retret Kepemimpinan Kota Malang 2026")
    assert response.url == reverse("retreat:program_detail", kwargs={"program_pk": program.pk})
    assert program.organizer == institution
    assert program.end_date == dt.date(2026, 5, 16)


def test_invalid_program_shows_field_errors_in_indonesian(organizer_client, institution):
    data = _form_data(institution, name="", start_date="2026-05-16", end_date="2026-05-14", min_attendance_pct="120")
    with translation.override("id"):
        response = organizer_client.post(reverse("retreat:program_create"), data, headers={"Accept-Language": "id"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bidang ini tidak boleh kosong." in page  # name
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in page
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan 100." in page
    assert not Program.objects.exists()


def test_english_is_selectable(organizer_client, institution):
    organizer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    data = _form_data(institution, start_date="2026-05-16", end_date="2026-05-14")
    page = organizer_client.post(reverse("retreat:program_create"), data).content.decode()
    assert "The end date cannot be before the start date." in page


def test_cannot_create_a_program_for_another_institution(organizer_client, other_institution):
    page = organizer_client.post(reverse("retreat:program_create"), _form_data(other_institution)).content.decode()
    assert "Masukkan pilihan yang valid" in page
    assert not Program.objects.exists()


def test_leader_cannot_create_programs(client, leader):
    client.force_login(leader)
    assert client.get(reverse("retreat:program_create")).status_code == 403


def test_organizer_edits_a_program_but_not_its_organizer(organizer_client, program, other_institution):
    url = reverse("retreat:program_update", kwargs={"program_pk": program.pk})
    data = _form_data(program.organizer, organizer=other_institution.pk, name="Nama Baru", partner=other_institution.pk)
    response = organizer_client.post(url, data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Nama Baru"
    assert program.organizer != other_institution
    assert program.partner == other_institution


def test_indonesian_by_default_even_for_english_browsers(organizer_client):
    page = organizer_client.get(
        reverse("retreat:dashboard"), headers={"Accept-Language": "en-US,en;q=0.9"}
    ).content.decode()
    assert "Program saya" in page
    assert '<html lang="id">' in page


def test_partner_managers_edit_the_program_but_not_who_the_partner_is(client, program, other_institution):
    from retreat.enums import Role
    from retreat.tests.factories import InstitutionFactory, MembershipFactory

    program.partner = other_institution
    program.save()
    host = MembershipFactory(institution=other_institution, role=Role.ORGANIZER).user
    client.force_login(host)
    third = InstitutionFactory(name="Pemerintah Kabupaten Lain")
    data = _form_data(program.organizer, name="Nama dari mitra", partner=third.pk)
    response = client.post(reverse("retreat:program_update", kwargs={"program_pk": program.pk}), data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Nama dari mitra"
    assert program.partner == other_institution


def test_program_update_service_keeps_the_organizer_and_the_partner_choice(program, other_institution, organizer):
    from django.core.exceptions import ValidationError

    from retreat import services

    with pytest.raises(ValidationError) as refused:
        services.program_update(program=program, user=organizer, data={"organizer": other_institution})
    assert "organizer" in refused.value.message_dict
    program.refresh_from_db()
    assert program.organizer != other_institution

    partner_manager = MembershipFactory(institution=other_institution, role=Role.ORGANIZER).user
    program.partner = other_institution
    program.save()
    third = InstitutionFactory(name="Pemerintah Kabupaten Ketiga")
    with pytest.raises(ValidationError) as refused:
        services.program_update(program=program, user=partner_manager, data={"partner": third})
    assert "partner" in refused.value.message_dict
    program.refresh_from_db()
    assert program.partner == other_institution


def test_model_update_writes_only_the_named_fields(program, organizer):
    from retreat import services
    from retreat.models import Program

    stale = Program.objects.get(pk=program.pk)
    Program.objects.filter(pk=program.pk).update(theme="Tema dari pengguna lain")
    services.program_update(program=stale, user=organizer, data={"name": "Nama Baru"})
    program.refresh_from_db()
    assert (program.name, program.theme) == ("Nama Baru", "Tema dari pengguna lain")
    with pytest.raises(ValueError, match="organizer"):
        services.model_update(instance=program, fields=["name"], data={"organizer": program.organizer})
