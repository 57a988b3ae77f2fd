"""Production settings come from the environment and refuse unsafe values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def check(env):
    full = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    full.update(env, DJANGO_SETTINGS_MODULE="mediation.settings.production")
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "CRITICAL"],
                          cwd=ROOT, env=full, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("env, message", [
    ({"SECRET_KEY": "x" * 50, "DEBUG": "1"}, "DEBUG=1"),
    ({}, "SECRET_KEY"),
    ({"SECRET_KEY": "concord-insecure-development-key-change-me"}, "SECRET_KEY"),
])
def test_production_refuses_unsafe_settings(env, message):
    result = check(env)
    assert result.returncode != 0 and message in result.stderr


def test_production_starts_with_environment_values(tmp_path):
    result = check({"SECRET_KEY": "s3cret-" * 8, "ALLOWED_HOSTS": "concord.example.gov.cn",
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9",
                    "ELASTICSEARCH_URL": "http://127.0.0.1:9200"})
    assert result.returncode == 0, result.stderr
