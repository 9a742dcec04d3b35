# ruff: noqa: E501  (one session per line reads best as a table)
"""Built-in agenda templates. A template is a list of sessions by day (1 = the program's first day) and
local time, with generic venue names that become the program's venues."""

from django.utils.translation import gettext_lazy as _

# The residential pattern of the POLTEKAD retreat (DOMAIN.md): arrival and an evening opening ceremony,
# a full day from the 04.00 wake-up to the evening reflection, a last day of action plans, evaluation
# and the closing ceremony.
RESIDENTIAL_THREE_DAY = [
    # day, start, end, kind, title, venue, dress code, counts for JP, mandatory
    (1, "12:00", "14:00", "registrasi", "Kedatangan dan Registrasi Peserta", "Lobi Gedung Utama", "pdh", False, True),
    (1, "14:00", "15:00", "other", "Pemeriksaan Kesehatan", "Poliklinik", "pdh", False, True),
    (1, "15:00", "16:00", "other", "Pembagian Kamar dan Kelompok (Peleton)", "Asrama Peserta", "pdh", False, True),
    (1, "16:00", "17:30", "other", "Pengarahan Tata Tertib dan Pengenalan Lingkungan", "Aula Utama", "pdh", False, True),
    (1, "17:30", "19:00", "ishoma", "ISHOMA (Salat Magrib dan Makan Malam)", "Ruang Makan", "", False, False),
    (1, "19:00", "21:00", "apel", "Upacara Pembukaan", "Aula Utama", "pdh", False, True),
    (2, "04:00", "05:00", "ibadah", "Bangun Pagi dan Ibadah Subuh", "Masjid", "bebas", False, False),
    (2, "05:00", "06:00", "olahraga", "Latihan Fisik (PT) dan Peraturan Baris-Berbaris", "Lapangan Apel", "olahraga", False, True),
    (2, "06:00", "07:00", "ishoma", "Makan Pagi dan Persiapan", "Ruang Makan", "", False, False),
    (2, "07:00", "08:00", "apel", "Apel Pagi", "Lapangan Apel", "pdl", False, True),
    (2, "08:00", "10:00", "materi", "Kuliah Umum (Keynote)", "Aula Utama", "pdl", True, True),
    (2, "10:00", "10:15", "other", "Rehat Kopi", "Selasar Aula Utama", "", False, False),
    (2, "10:15", "12:00", "materi", "Komunikasi Efektif", "Aula Utama", "pdl", True, True),
    (2, "12:00", "13:00", "ishoma", "ISHOMA", "Masjid", "", False, False),
    (2, "13:00", "15:30", "outbound", "Teamwork Building dan Outbound", "Lapangan Outbound", "olahraga", True, True),
    (2, "15:30", "17:30", "studi_kasus", "Pengambilan Keputusan Strategis: Studi Kasus", "Aula Utama", "pdl", True, True),
    (2, "17:30", "19:00", "ishoma", "ISHOMA (Salat Magrib dan Makan Malam)", "Ruang Makan", "", False, False),
    (2, "19:00", "20:00", "bina_mental", "Bina Mental", "Aula Utama", "batik", False, True),
    (2, "20:00", "21:00", "refleksi", "Refleksi Malam per Kelompok", "Aula Utama", "batik", True, True),
    (3, "04:00", "05:00", "ibadah", "Bangun Pagi dan Ibadah Subuh", "Masjid", "bebas", False, False),
    (3, "05:00", "06:00", "olahraga", "Latihan Fisik (PT) Pagi", "Lapangan Apel", "olahraga", False, True),
    (3, "06:00", "07:00", "ishoma", "Makan Pagi dan Persiapan", "Ruang Makan", "", False, False),
    (3, "07:00", "08:00", "apel", "Apel Pagi", "Lapangan Apel", "pdl", False, True),
    (3, "08:00", "10:30", "diskusi", "Penyusunan Rencana Aksi (Rencana Tindak Lanjut)", "Aula Utama", "pdl", True, True),
    (3, "10:30", "11:30", "other", "Post-test dan Pengisian Evaluasi", "Aula Utama", "pdl", False, True),
    (3, "11:30", "13:00", "ishoma", "ISHOMA dan Persiapan Upacara Penutupan", "Ruang Makan", "", False, False),
    (3, "13:00", "14:30", "apel", "Upacara Penutupan dan Penyerahan Sertifikat", "Aula Utama", "pdh", False, True),
    (3, "14:30", "15:30", "other", "Foto Bersama dan Kepulangan Peserta", "Lapangan Apel", "pdh", False, False),
]  # fmt: skip

# Venue kinds and a default capacity for the template's venues (edited per program afterwards).
TEMPLATE_VENUES = {
    "Lobi Gedung Utama": ("hall", None),
    "Poliklinik": ("room", None),  # health checks run in turns
    "Asrama Peserta": ("other", None),
    "Aula Utama": ("hall", 300),
    "Ruang Makan": ("hall", 300),
    "Masjid": ("hall", 400),
    "Lapangan Apel": ("field", 1000),
    "Selasar Aula Utama": ("hall", None),
    "Lapangan Outbound": ("field", 500),
}

TEMPLATES = {"residential_3_day": (_("Three-day residential retreat (POLTEKAD pattern)"), RESIDENTIAL_THREE_DAY)}
