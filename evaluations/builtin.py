"""The built-in questionnaires a program starts from (DOMAIN: Evaluation, Core values). They are copied
into the program, in Indonesian as the program's documents are, and the organizers may edit the copy."""

from .enums import QuestionKind, QuestionnaireKind

AGREE_4 = ["Kurang", "Cukup", "Baik", "Sangat baik"]
OFTEN_5 = ["Tidak pernah", "Jarang", "Kadang-kadang", "Sering", "Selalu"]

SPEAKER_ASPECTS = [
    ("materi", "Penguasaan materi"),
    ("waktu", "Ketepatan waktu"),
    ("sistematika", "Sistematika penyajian"),
    ("metode", "Penggunaan metode dan media"),
    ("sikap", "Sikap dan perilaku"),
    ("tanya_jawab", "Cara menjawab pertanyaan peserta"),
    ("bahasa", "Penggunaan bahasa"),
    ("motivasi", "Pemberian motivasi kepada peserta"),
    ("kerapian", "Kerapian berpakaian"),
    ("kerja_sama", "Kerja sama antar-narasumber dan dengan panitia"),
]

ORGANIZATION_ASPECTS = [
    ("sarana", "Kesiapan sarana dan prasarana"),
    ("rencana", "Kesesuaian pelaksanaan dengan rencana"),
    ("kebersihan", "Kebersihan tempat"),
    ("akomodasi", "Akomodasi (asrama, kamar)"),
    ("konsumsi", "Konsumsi"),
    ("tempat", "Ruang kelas dan lapangan"),
    ("bahan", "Bahan dan materi pelatihan"),
    ("pelayanan", "Pelayanan panitia kepada peserta"),
    ("narasumber", "Pelayanan panitia kepada narasumber"),
    ("administrasi", "Administrasi"),
]

# SE MenPANRB 20/2021: the key behaviours of each core value.
BERAKHLAK = [
    ("berorientasi_pelayanan", "Berorientasi Pelayanan", [
        "Saya memahami dan memenuhi kebutuhan masyarakat.",
        "Saya ramah, cekatan, solutif, dan dapat diandalkan.",
        "Saya melakukan perbaikan tiada henti.",
    ]),
    ("akuntabel", "Akuntabel", [
        "Saya melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi.",
        "Saya menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien.",
        "Saya tidak menyalahgunakan kewenangan jabatan.",
    ]),
    ("kompeten", "Kompeten", [
        "Saya meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah.",
        "Saya membantu orang lain belajar.",
        "Saya melaksanakan tugas dengan kualitas terbaik.",
    ]),
    ("harmonis", "Harmonis", [
        "Saya menghargai setiap orang apa pun latar belakangnya.",
        "Saya suka menolong orang lain.",
        "Saya membangun lingkungan kerja yang kondusif.",
    ]),
    ("loyal", "Loyal", [
        "Saya memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah.",
        "Saya menjaga nama baik sesama ASN, pimpinan, instansi, dan negara.",
        "Saya menjaga rahasia jabatan dan negara.",
    ]),
    ("adaptif", "Adaptif", [
        "Saya cepat menyesuaikan diri menghadapi perubahan.",
        "Saya terus berinovasi dan mengembangkan kreativitas.",
        "Saya bertindak proaktif.",
    ]),
    ("kolaboratif", "Kolaboratif", [
        "Saya memberi kesempatan kepada berbagai pihak untuk berkontribusi.",
        "Saya terbuka dalam bekerja sama untuk menghasilkan nilai tambah.",
        "Saya menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama.",
    ]),
]  # fmt: skip

VALUES = [name for _key, name, _statements in BERAKHLAK]

TEST_QUESTIONS = [
    ("Nilai dasar ASN BerAKHLAK diperkenalkan melalui ...",
     ["UU Nomor 5 Tahun 2014", "SE Menteri PANRB Nomor 20 Tahun 2021", "PP Nomor 94 Tahun 2021",
      "Perpres Nomor 81 Tahun 2010"], 1),
    ("Perilaku “membantu orang lain belajar” termasuk nilai ...", VALUES, VALUES.index("Kompeten")),
    ("Perilaku “menjaga rahasia jabatan dan negara” termasuk nilai ...", VALUES, VALUES.index("Loyal")),
    ("Perilaku “tidak menyalahgunakan kewenangan jabatan” termasuk nilai ...", VALUES, VALUES.index("Akuntabel")),
    ("Perilaku “cepat menyesuaikan diri menghadapi perubahan” termasuk nilai ...", VALUES, VALUES.index("Adaptif")),
]  # fmt: skip

ASSESSMENT_ASPECTS = [
    ("disiplin", "Disiplin"),
    ("partisipasi", "Keaktifan dan partisipasi"),
    ("kerja_sama", "Kerja sama tim"),
    ("kepemimpinan", "Kepemimpinan"),
    ("berakhlak", "Perilaku BerAKHLAK"),
]


def _scale(key, text, labels, *, required=True):
    return {"kind": QuestionKind.SCALE, "key": key, "text": text, "scale_max": len(labels),
            "scale_labels": labels, "required": required}  # fmt: skip


def builtin_sets() -> dict[str, dict]:
    """Per kind: title, introduction and sections, each a title and its questions (field values)."""
    return {
        QuestionnaireKind.SPEAKER: {
            "title": "Evaluasi Narasumber",
            "intro": "Penilaian Anda tidak menampilkan nama Anda kepada narasumber maupun pimpinan.",
            "sections": [
                ("Penilaian", [_scale(key, text, AGREE_4) for key, text in SPEAKER_ASPECTS]),
                (
                    "Saran",
                    [
                        {
                            "kind": QuestionKind.LONG,
                            "key": "komentar",
                            "required": False,
                            "text": "Komentar dan saran untuk narasumber",
                        }
                    ],
                ),  # fmt: skip
            ],
        },
        QuestionnaireKind.ORGANIZATION: {
            "title": "Evaluasi Penyelenggaraan",
            "intro": "Bantu panitia memperbaiki penyelenggaraan berikutnya.",
            "sections": [
                ("Penyelenggaraan", [_scale(key, text, AGREE_4) for key, text in ORGANIZATION_ASPECTS]),
                (
                    "Saran",
                    [
                        {
                            "kind": QuestionKind.LONG,
                            "key": "perbaikan",
                            "required": False,
                            "text": "Apa yang perlu diubah atau diperbaiki?",
                        }
                    ],
                ),  # fmt: skip
            ],
        },
        QuestionnaireKind.BERAKHLAK: {
            "title": "Penilaian Diri BerAKHLAK",
            "intro": "Seberapa sering Anda menunjukkan perilaku berikut dalam pekerjaan sehari-hari? "
            "Diisi pada hari pertama dan hari terakhir.",
            "sections": [
                (name, [_scale(key, statement, OFTEN_5) for statement in statements])
                for key, name, statements in BERAKHLAK
            ],
        },
        QuestionnaireKind.TEST: {
            "title": "Pre-test dan Post-test",
            "intro": "Pertanyaan yang sama diberikan sebelum dan sesudah pelatihan.",
            "sections": [
                (
                    "Soal",
                    [
                        {"kind": QuestionKind.SINGLE, "text": text, "choices": choices, "correct_choice": correct}
                        for text, choices, correct in TEST_QUESTIONS
                    ],
                ),  # fmt: skip
            ],
        },
        QuestionnaireKind.ASSESSMENT: {
            "title": "Penilaian Peserta oleh Pendamping",
            "intro": "Nilai 0–100 per aspek untuk peserta kelompok Anda.",
            "sections": [
                (
                    "Penilaian",
                    [{"kind": QuestionKind.SCORE, "key": key, "text": text} for key, text in ASSESSMENT_ASPECTS],
                ),
                (
                    "Catatan",
                    [{"kind": QuestionKind.LONG, "key": "catatan", "required": False, "text": "Catatan pendamping"}],
                ),  # fmt: skip
            ],
        },
    }
