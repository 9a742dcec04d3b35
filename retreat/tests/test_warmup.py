import logging
from pathlib import Path

from django.conf import settings

from retreat.warmup import project_templates, warm_up


def test_warm_up_compiles_every_template_of_the_project():
    names = project_templates()
    on_disk = sorted(str(path.relative_to(settings.BASE_DIR / "templates")) for path in
                     (settings.BASE_DIR / "templates").rglob("*.html"))  # fmt: skip
    assert sorted(names) == on_disk
    assert "portal/_session_card.html" in names
    assert warm_up() == len(names)


def test_a_template_that_does_not_compile_is_named_and_the_rest_still_compiled(tmp_path: Path, settings, caplog):
    (tmp_path / "sound.html").write_text("{% if ok %}yes{% endif %}")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "broken.html").write_text("{% if %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with caplog.at_level(logging.WARNING, logger="retreat.warmup"):
        assert warm_up() == 1
    assert "pages/broken.html does not compile" in caplog.text
