from django.urls import path

from . import views, views_add, views_links, views_rooms

app_name = "participants"

P = "program/<int:program_pk>/"

urlpatterns = [
    path(P + "peserta/", views.EnrollmentListView.as_view(), name="enrollment_list"),
    path(P + "peserta/tambah/", views_add.EnrollmentAddView.as_view(), name="enrollment_add"),
    path(P + "peserta/tambah/daftarkan/", views_add.EnrollmentAddExistingView.as_view(), name="registry_enroll"),
    path(P + "peserta/<int:enrollment_pk>/", views.EnrollmentUpdateView.as_view(), name="enrollment_update"),
    path(P + "peserta/<int:enrollment_pk>/ganti/", views_add.EnrollmentAddView.as_view(), name="enrollment_replace"),
    path(P + "peserta/<int:enrollment_pk>/tautan/", views.EnrollmentLinkIssueView.as_view(), name="link_issue"),
    path(P + "peserta/<int:enrollment_pk>/tautan/cabut/", views.EnrollmentLinkRevokeView.as_view(), name="link_revoke"),
    path(P + "peserta/<int:enrollment_pk>/kelompok/", views.GroupMoveView.as_view(), name="enrollment_move"),
    path(P + "peserta/tautan/", views_links.LinksView.as_view(), name="links"),
    path(P + "peserta/tautan/buat/", views_links.LinksEnsureView.as_view(), name="links_ensure"),
    path(P + "peserta/tautan/qr/", views_links.LinksQrView.as_view(), name="links_qr"),
    path(P + "peserta/tautan/ekspor.<str:fmt>", views_links.LinksExportView.as_view(), name="links_export"),
    path(P + "peserta/ekspor.<str:fmt>", views.ExportView.as_view(), name="enrollment_export"),
    path(P + "peserta/impor/", views.ImportUploadView.as_view(), name="import_upload"),
    path(P + "peserta/impor/<uuid:import_pk>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path(P + "peserta/impor/<uuid:import_pk>/simpan/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path(P + "peserta/impor/<uuid:import_pk>/batal/", views.ImportCancelView.as_view(), name="import_cancel"),
    path(P + "peserta/impor/<uuid:import_pk>/ditolak/", views.ImportRefusedView.as_view(), name="import_refused"),
    path(P + "kelompok/", views.GroupsView.as_view(), name="groups"),
    path(P + "kelompok/bentuk/", views.GroupFormationView.as_view(), name="groups_form"),
    path(P + "kelompok/<int:number>/fasilitator/", views.GroupFacilitatorsView.as_view(), name="group_facilitators"),
    path(P + "kamar/", views_rooms.RoomsView.as_view(), name="rooms"),
    path(P + "kamar/tambah/", views_rooms.RoomCreateView.as_view(), name="room_create"),
    path(P + "kamar/bagi/", views_rooms.RoomsAssignView.as_view(), name="rooms_assign"),
    path(P + "kamar/<int:room_pk>/", views_rooms.RoomUpdateView.as_view(), name="room_update"),
    path(P + "kamar/<int:room_pk>/hapus/", views_rooms.RoomDeleteView.as_view(), name="room_delete"),
    path(P + "peserta/<int:enrollment_pk>/kamar/", views_rooms.RoomMoveView.as_view(), name="room_move"),
]
