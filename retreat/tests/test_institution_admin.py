"""Institution administration: an institution's admin manages its users (create with a temporary password,
role, deactivate, new password) and its profile (letterhead, logo resized on upload); the superuser creates
institutions and their first admin."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from retreat import services
from retreat.enums import Role
from retreat.models import Institution, Membership, User
from retreat.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(institution):
    return MembershipFactory(user=UserFactory(username="admin.malang"), institution=institution, role=Role.ADMIN).user


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _password(response) -> str:
    return re.search(r'id="temporary-password">([^<]+)<', response.content.decode()).group(1)


def test_admin_creates_a_facilitator_who_logs_in(admin_client, institution, client):
    response = admin_client.post(reverse("retreat:institution_user_create"), {
        "username": "siti.pendamping", "full_name": "Siti Rahma", "email": "", "role": Role.FACILITATOR})  # fmt: skip
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = _password(response)
    assert len(password) >= 12
    user = User.objects.get(username="siti.pendamping")
    assert Membership.objects.get(user=user).institution == institution
    assert Membership.objects.get(user=user).role == Role.FACILITATOR
    assert user.check_password(password)
    client.logout()
    response = client.post(reverse("login"), {"username": "siti.pendamping", "password": password})
    assert response.status_code == 302
    assert response.url == reverse("retreat:dashboard")


def test_taken_username_is_refused_under_the_field(admin_client, organizer):
    response = admin_client.post(reverse("retreat:institution_user_create"), {
        "username": organizer.username.upper(), "full_name": "X", "role": Role.ORGANIZER})  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert User.objects.filter(username__iexact=organizer.username).count() == 1


def test_users_list_shows_only_the_institution_users(admin_client, organizer, other_institution,
                                                      django_assert_max_num_queries):  # fmt: skip
    MembershipFactory(user=UserFactory(username="orang.magelang"), institution=other_institution)
    for n in range(15):
        MembershipFactory(user=UserFactory(username=f"staf{n}"), institution=organizer.memberships.get().institution)
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("retreat:institution"))
    html = response.content.decode()
    assert 'data-user="panitia"' in html
    assert 'data-user="staf14"' in html
    assert "orang.magelang" not in html


def test_another_institutions_user_is_404(admin_client, other_institution):
    other = MembershipFactory(user=UserFactory(username="orang.magelang"), institution=other_institution).user
    for name in ("institution_user", "institution_user_status", "institution_user_password"):
        method = admin_client.get if name == "institution_user" else admin_client.post
        assert method(reverse(f"retreat:{name}", kwargs={"user_pk": other.pk})).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_organizer_and_facilitator_get_403(client, organizer, facilitator):
    for user in (organizer, facilitator):
        client.force_login(user)
        assert client.get(reverse("retreat:institution")).status_code == 403
        assert client.get(reverse("retreat:institution_user", kwargs={"user_pk": user.pk})).status_code == 403


def test_admin_changes_a_role(admin_client, organizer):
    response = admin_client.post(reverse("retreat:institution_user", kwargs={"user_pk": organizer.pk}),
                                 {"role": Role.LEADER})  # fmt: skip
    assert response.status_code == 302
    assert organizer.memberships.get().role == Role.LEADER


def test_admin_cannot_change_own_role_or_deactivate_self(admin_client, admin):
    admin_client.post(reverse("retreat:institution_user", kwargs={"user_pk": admin.pk}), {"role": Role.LEADER})
    admin_client.post(reverse("retreat:institution_user_status", kwargs={"user_pk": admin.pk}))
    admin.refresh_from_db()
    assert admin.is_active
    assert admin.memberships.get().role == Role.ADMIN


def test_the_last_active_admin_is_kept(admin, institution):
    second = MembershipFactory(user=UserFactory(username="admin2"), institution=institution, role=Role.ADMIN)
    services.institution_user_set_active(membership=admin.memberships.get(), active=False, by=second.user)
    # admin2 is now the only active admin: nobody can demote or deactivate them.
    someone = UserFactory(username="someone")
    with pytest.raises(ValidationError):
        services.institution_user_set_active(membership=second, active=False, by=someone)
    with pytest.raises(ValidationError):
        services.institution_role_set(membership=second, role=Role.ORGANIZER, by=someone)
    second.refresh_from_db()
    assert second.role == Role.ADMIN
    assert second.user.is_active


def test_deactivate_and_reactivate(admin_client, organizer):
    url = reverse("retreat:institution_user_status", kwargs={"user_pk": organizer.pk})
    assert admin_client.post(url).status_code == 302
    organizer.refresh_from_db()
    assert not organizer.is_active
    admin_client.post(url)
    organizer.refresh_from_db()
    assert organizer.is_active


def test_deactivated_user_cannot_log_in(admin_client, organizer, client):
    admin_client.post(reverse("retreat:institution_user_status", kwargs={"user_pk": organizer.pk}))
    client.logout()
    response = client.post(reverse("login"), {"username": organizer.username, "password": "sandi-uji-123"})
    assert response.status_code == 200  # the form again, not the dashboard


def test_reset_password_gives_a_new_temporary_password(admin_client, organizer):
    response = admin_client.post(reverse("retreat:institution_user_password", kwargs={"user_pk": organizer.pk}))
    password = _password(response)
    organizer.refresh_from_db()
    assert organizer.check_password(password)
    assert not organizer.check_password("sandi-uji-123")


def _png(size=(1200, 800)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGBA", size, (20, 60, 120, 255)).save(out, "PNG")
    return SimpleUploadedFile("logo kota.png", out.getvalue(), content_type="image/png")


def test_profile_saves_letterhead_and_resizes_the_logo(admin_client, institution):
    data = {"name": institution.name, "short_name": "Pemkot Malang", "kind": institution.kind,
            "address": "Jl. Tugu No. 1, Malang", "phone": "", "email": "", "website": "",
            "letterhead_lines": "PEMERINTAH KOTA MALANG\nSEKRETARIAT DAERAH", "timezone": institution.timezone,
            "logo_upload": _png()}  # fmt: skip
    response = admin_client.post(reverse("retreat:institution_profile"), data)
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.letterhead == ["PEMERINTAH KOTA MALANG", "SEKRETARIAT DAERAH"]
    assert institution.address == "Jl. Tugu No. 1, Malang"
    with Image.open(institution.logo.path) as logo:
        assert max(logo.size) == services.LOGO_LONGEST_SIDE


def test_profile_refuses_a_file_that_is_not_an_image(admin_client, institution):
    data = {"name": institution.name, "short_name": "X", "kind": institution.kind, "address": "",
            "letterhead_lines": "A", "timezone": institution.timezone,
            "logo_upload": SimpleUploadedFile("logo.png", b"not an image")}  # fmt: skip
    response = admin_client.post(reverse("retreat:institution_profile"), data)
    assert response.status_code == 200
    institution.refresh_from_db()
    assert not institution.logo
    assert institution.short_name != "X"


def test_superuser_lands_on_institution_setup_and_creates_one(client):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    response = client.get(reverse("retreat:dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("retreat:institution_create")
    response = client.post(reverse("retreat:institution_create"), {
        "name": "Pemerintah Kabupaten Sleman", "short_name": "Pemkab Sleman", "kind": "pemkab",
        "letterhead_lines": "PEMERINTAH KABUPATEN SLEMAN", "address": "", "timezone": "Asia/Jakarta",
        "admin_username": "admin.sleman", "admin_full_name": "Budi", "admin_email": ""})  # fmt: skip
    assert response.status_code == 200
    password = _password(response)
    institution = Institution.objects.get(short_name="Pemkab Sleman")
    admin = User.objects.get(username="admin.sleman")
    assert admin.memberships.get().institution == institution
    assert admin.memberships.get().role == Role.ADMIN
    assert admin.check_password(password)


def test_non_superuser_cannot_create_institutions(admin_client):
    assert admin_client.get(reverse("retreat:institution_create")).status_code == 403


def test_navbar_shows_the_institution_entry_to_admins(admin_client):
    assert 'data-link="institution"' in admin_client.get(reverse("retreat:dashboard")).content.decode()


def test_navbar_hides_the_institution_entry_from_organizers(organizer_client):
    assert 'data-link="institution"' not in organizer_client.get(reverse("retreat:dashboard")).content.decode()


def test_admin_of_one_institution_edits_its_own_profile(admin_client, institution, other_institution):
    assert admin_client.get(reverse("retreat:institution_profile")).context["form"].instance == institution


def test_letterhead_and_logo_print_on_the_participant_list(institution, program, enrolled, organizer,
                                                           django_capture_on_commit_callbacks):  # fmt: skip
    from pypdf import PdfReader

    from retreat.enums import JobStatus
    from retreat.tests.pdf import pdf_text

    services.institution_update(institution=institution, data={"letterhead_lines": "PEMERINTAH KOTA MALANG\n"
                                "SEKRETARIAT DAERAH BAGIAN ORGANISASI"}, logo=_png((2000, 2000)))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = services.document_job_request(program=program, kind="participant_list", user=organizer)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    data = job.file.read()
    assert "SEKRETARIAT DAERAH BAGIAN ORGANISASI" in pdf_text(data)
    images = PdfReader(io.BytesIO(data)).pages[0].images
    assert [max(image.image.size) for image in images] == [services.LOGO_LONGEST_SIDE]


def _logged_in_with_temporary_password(admin_client, client, role=Role.FACILITATOR):
    response = admin_client.post(reverse("retreat:institution_user_create"), {
        "username": "siti.pendamping", "full_name": "Siti Rahma", "email": "", "role": role})  # fmt: skip
    password = _password(response)
    client.logout()
    client.post(reverse("login"), {"username": "siti.pendamping", "password": password})
    return User.objects.get(username="siti.pendamping"), password


def test_a_temporary_password_leads_to_the_password_change_before_anything_else(admin_client, client, program):
    user, password = _logged_in_with_temporary_password(admin_client, client, role=Role.ORGANIZER)
    assert user.must_change_password
    change = reverse("password_change")
    for url in (reverse("retreat:dashboard"), reverse("retreat:program_detail", kwargs={"program_pk": program.pk})):
        assert client.get(url).url == change
        assert client.post(url, {}).url == change  # nothing done
        htmx = client.get(url, HTTP_HX_REQUEST="true")
        assert htmx.status_code == 200
        assert htmx["HX-Redirect"] == change
    page = client.get(change).content.decode()
    assert "Anda masuk dengan sandi sementara" in page
    assert re.search(r'for="id_old_password"[^>]*>\s*Sandi sementara', page)

    same = {"old_password": password, "new_password1": password, "new_password2": password}
    refused = client.post(change, same)
    assert refused.status_code == 200
    assert "Pilih sandi yang berbeda dari sandi Anda sekarang." in refused.content.decode()
    user.refresh_from_db()
    assert user.must_change_password

    own = {"old_password": password, "new_password1": "Retret-Baru-2026!", "new_password2": "Retret-Baru-2026!"}
    assert client.post(change, own).url == reverse("password_change_done")
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("retreat:dashboard")).status_code == 200
    page = client.get(change).content.decode()
    assert "sandi sementara" not in page
    assert re.search(r'for="id_old_password"[^>]*>\s*Sandi lama', page)


def test_a_new_temporary_password_from_the_admin_asks_again(admin_client, client):
    user, _password_given = _logged_in_with_temporary_password(admin_client, client)
    services.password_chosen(user=user)
    membership = Membership.objects.get(user=user)
    password = services.institution_password_reset(membership=membership)
    user.refresh_from_db()
    assert user.must_change_password
    assert client.get(reverse("retreat:dashboard")).url.startswith(reverse("login"))  # the old session ended
    client.post(reverse("login"), {"username": "siti.pendamping", "password": password})
    assert client.get(reverse("retreat:dashboard")).url == reverse("password_change")


def test_a_password_set_from_a_reset_link_is_the_users_own(client, admin_client, mailoutbox):
    user, _password_given = _logged_in_with_temporary_password(admin_client, client)
    user.email = "siti@example.go.id"
    user.save()
    client.logout()
    client.post(reverse("password_reset"), {"email": "siti@example.go.id"})
    link = re.search(r"https?://[^\s]+/(\S+/\S+/)", mailoutbox[0].body).group(0)
    form_url = client.get(link).url
    own = {"new_password1": "Retret-Baru-2026!", "new_password2": "Retret-Baru-2026!"}
    assert client.post(form_url, own).status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
