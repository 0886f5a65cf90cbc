"""Logging filters the settings' LOGGING names."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """Keep a refused request's line (4xx) but drop its traceback: a refusal is expected.

    Django logs a PermissionDenied with the exception attached, so each expected 403
    printed a full traceback; a server error (5xx) keeps its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
