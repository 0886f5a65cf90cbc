"""Structured logs (structlog): one JSON object a line in production, plain lines in development.

Every record, ours or a library's, goes through the same processors: the context
bound for the request (django-structlog: request id, user, address) or the order
(``orders.observe``: reference, reseller; the marketplace's correlation id), then ``redacted`` —
the one function that takes secrets out of what is kept — then the renderer.
"""

import structlog

from marketplace.redaction import redacted

#: A log line is long, never a whole body: keep this many characters of JSON at most.
MAX_LINE_CHARS = 8_000


def redact_secrets(logger, method_name, event_dict):
    """Replace every secret in the line (passwords, tokens, keys) with ``[redacted]``."""
    exc_info = event_dict.pop("exc_info", None)
    clean = redacted(event_dict, limit=MAX_LINE_CHARS)
    if "event" not in clean:  # cut to its head: keep it one valid line
        clean = {"event": "log line too long", "head": clean.get("head", "")}
    if exc_info is not None:
        clean["exc_info"] = exc_info
    return clean


_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_config(*, log_format: str, level: str) -> dict:
    """Return the LOGGING dict, and configure structlog, for ``json`` or ``plain`` lines."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    if log_format == "json":
        formatter = {
            "()": structlog.stdlib.ProcessorFormatter,
            "foreign_pre_chain": [*_SHARED, structlog.stdlib.ExtraAdder()],
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                redact_secrets,
                structlog.processors.JSONRenderer(),
            ],
        }
    else:
        formatter = {
            "()": structlog.stdlib.ProcessorFormatter,
            "foreign_pre_chain": _SHARED,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                redact_secrets,
                _plain_line,
            ],
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": formatter},
        "filters": {
            "refusal_without_traceback": {"()": "config.log_filters.RefusalWithoutTraceback"}
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default config gives "django" a console handler of its own (while
            # DEBUG): beside root's, every record of Django's printed twice.
            "django": {"handlers": [], "level": "INFO"},
            "django.request": {"filters": ["refusal_without_traceback"]},
            # request_started / request_finished with the request id, user and status: in
            # JSON only; in plain lines, runserver's own line a request says enough.
            "django_structlog": {"level": "INFO" if log_format == "json" else "CRITICAL"},
            # operations.views logs each failed readiness check in one line, without a traceback.
            "health_check": {"level": "ERROR"},
            "httpx": {"level": "WARNING"},
            "httpcore": {"level": "WARNING"},
            # fpdf2's font subsetting logs every glyph at INFO.
            "fontTools": {"level": "WARNING"},
        },
    }


def _plain_line(logger, method_name, event_dict):
    """Render ``time LEVEL logger message key=value…`` as before structured logs."""
    event_dict["level"] = str(event_dict.get("level", "-")).upper()
    head = " ".join(
        str(event_dict.pop(key, "-")) for key in ("timestamp", "level", "logger", "event")
    )
    event_dict.pop("exc_info", None)
    exception = event_dict.pop("exception", None)
    context = " ".join(f"{key}={value}" for key, value in event_dict.items())
    line = f"{head} {context}".rstrip()
    return f"{line}\n{exception}" if exception else line
