"""The one exception every rule raises."""

from django.core.exceptions import ValidationError


class RuleViolation(ValidationError):
    """A value breaks a rule; ``message`` tells a reseller what to do, ``field`` where.

    It is a ``ValidationError``, so a form's ``clean_<field>()`` can call a rule
    and let the violation through unchanged.
    """

    def __init__(self, message, *, field, code="invalid", params=None):
        super().__init__(message, code=code, params=params)
        self.field = field

    def __reduce__(self):
        # Exceptions rebuild from ``args`` by default, which cannot carry the keyword-only
        # ``field``; forms deep-copy their errors, and Celery may pickle them.
        return _rebuild, (type(self), self.message, self.field, self.code, self.params)

    def __str__(self):
        return next(iter(self))

    def __repr__(self):
        return f"RuleViolation(field={self.field!r}, message={self.message!r})"


def _rebuild(cls, message, field, code, params):
    return cls(message, field=field, code=code, params=params)
