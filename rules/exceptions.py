"""The one exception every rule raises."""

from django.core.exceptions import ValidationError
from django.utils.functional import lazy


def _render(message, params) -> str:
    return str(message % params) if params else str(message)


#: The message in the language active when it is read (a form's render, an API answer), with
#: its parameters put in then: a rule is often called before the reader's language is known.
_rendered = lazy(_render, str)


class RuleViolation(ValidationError):
    """A value breaks a rule; ``message`` tells a reseller what to do, ``field`` where.

    ``message`` is marked for translation with named placeholders (``%(limit)s``) and
    ``params`` fills them; ``field`` and ``code`` stay as they are in every language.
    It is a ``ValidationError``, so a form's ``clean_<field>()`` can call a rule
    and let the violation through unchanged.
    """

    def __init__(self, message, *, field, code="invalid", params=None):
        # The parameters are applied here, lazily, rather than by ValidationError, so
        # ``message`` reads as the finished sentence wherever it is used.
        super().__init__(_rendered(message, params), code=code)
        self.template = message
        self.template_params = params
        self.field = field

    def __reduce__(self):
        # Exceptions rebuild from ``args`` by default, which cannot carry the keyword-only
        # ``field``; forms deep-copy their errors, and Celery may pickle them.
        return _rebuild, (type(self), self.template, self.field, self.code, self.template_params)

    def __str__(self):
        return str(self.message)

    def __repr__(self):
        return f"RuleViolation(field={self.field!r}, message={str(self.message)!r})"


def _rebuild(cls, message, field, code, params):
    return cls(message, field=field, code=code, params=params)
