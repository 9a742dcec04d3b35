"""Production mode: started in a fresh interpreter, because settings are read once per process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "k7#Qz!pL0v@Xr9$Tn2^Wm5&Yc8*Bd1(Gf4)Hj6_Ks3-aN0eR7uI2oP5sD8fG1hJ4kL"


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="retret.example.go.id")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", DEBUG="false", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr


def test_production_passes_the_deploy_check():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", ALLOWED_HOSTS="retret.example.go.id", SECRET_KEY=PRODUCTION_KEY,
        REDIS_URL="redis://127.0.0.1:6379/0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_redis_is_warned():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", ALLOWED_HOSTS="retret.example.go.id", SECRET_KEY=PRODUCTION_KEY, REDIS_URL="",
    )  # fmt: skip
    assert result.returncode != 0
    assert "retret.W001" in result.stderr + result.stdout


def test_embedded_defaults(settings):
    # With nothing set: SQLite under var/, tasks in-process, local-memory cache (CI sets the real ones).
    if "DATABASE_URL" not in os.environ:
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    if "REDIS_URL" not in os.environ:
        assert settings.CELERY_TASK_ALWAYS_EAGER
        assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.LANGUAGE_CODE == "id"
    assert settings.USE_TZ


def test_pages_are_compressed_for_phones(client, db):
    response = client.get("/akun/masuk/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
