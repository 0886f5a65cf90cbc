"""Production settings pass Django's deployment checklist and refuse to start without secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(tmp_path, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "FIELD_ENCRYPTION_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        FIELD_ENCRYPTION_SALT=secrets.token_urlsafe(24),
        DJANGO_ALLOWED_HOSTS="orders.example.com",
        VAR_DIR=str(tmp_path),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_a_weak_secret_key(tmp_path):
    env = production_env(tmp_path, DJANGO_SECRET_KEY="short")

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_SALT"])
def test_production_refuses_to_start_without_its_secrets(tmp_path, missing):
    result = manage("check", env=production_env(tmp_path, **{missing: None}))

    assert result.returncode != 0
    assert f"Set {missing} in the environment" in result.stderr
