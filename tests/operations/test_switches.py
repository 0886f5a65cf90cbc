"""Tracing and Sentry start only when their variable is set; unset, they cost nothing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import sys, django; django.setup(); import sentry_sdk; "
    "print('otel-sdk' if 'opentelemetry.sdk' in sys.modules else 'no-otel-sdk'); "
    "print('sentry' if sentry_sdk.get_client().is_active() else 'no-sentry')"
)


def loaded(**variables) -> list:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("OTEL_", "SENTRY_"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.test", **variables)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_without_their_variables_neither_the_otel_sdk_nor_sentry_is_loaded():
    assert loaded() == ["no-otel-sdk", "no-sentry"]


def test_with_their_variables_both_start():
    # Nothing listens at either address: starting needs no collector and sends nothing yet.
    assert loaded(
        OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9/",
        SENTRY_DSN="https://public@127.0.0.1:9/1",
    ) == ["otel-sdk", "sentry"]


def test_an_error_sent_to_sentry_has_its_secrets_redacted():
    from operations.errors import sentry_before_send

    event = {
        "exception": {
            "values": [
                {
                    "type": "APIError",
                    "value": "refused: password=hunter2-secret",
                    "stacktrace": {
                        "frames": [{"vars": {"subscription_key": "'sk-live-1'", "seats": "3"}}]
                    },
                }
            ]
        },
        "request": {"headers": {"Authorization": "Bearer tok-abc123"}},
    }
    sent = sentry_before_send(event, {})
    text = str(sent)
    for secret in ("hunter2-secret", "sk-live-1", "tok-abc123"):
        assert secret not in text
    assert sent["exception"]["values"][0]["stacktrace"]["frames"][0]["vars"]["seats"] == "3"
