"""Log lines in production are one JSON object each, secrets redacted by the one function."""

import json
import logging

from operations.logs import logging_config


def formatted(log_format: str, message: str, *args, **extra) -> str:
    config = logging_config(log_format=log_format, level="INFO")
    factory = config["formatters"]["structured"].pop("()")
    formatter = factory(**config["formatters"]["structured"])
    record = logging.LogRecord("orders.test", logging.WARNING, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return formatter.format(record)


def test_a_json_line_redacts_passwords_tokens_and_keys():
    line = formatted(
        "json",
        "Order %s: sent with password=%s and Bearer %s",
        "NCE-1",
        "hunter2-secret",
        "tok-abc123",
        subscription_key="sk-live-1",
    )
    record = json.loads(line)
    assert record["event"].startswith("Order NCE-1: sent with password=[redacted]")
    assert record["level"] == "warning" and record["logger"] == "orders.test"
    assert record["subscription_key"] == "[redacted]"
    for secret in ("hunter2-secret", "tok-abc123", "sk-live-1"):
        assert secret not in line


def test_a_plain_line_stays_human_readable_and_redacted():
    line = formatted("plain", "Order %s: password=%s", "NCE-2", "hunter2-secret")
    assert " WARNING orders.test Order NCE-2: password=[redacted]" in line
    assert not line.startswith("{")
