"""``get_FOO_display`` that looks the label up instead of rebuilding the choices.

Here, in the lowest room with models, so that every model that shows a choice's label
on a list page can use it (catalog, customers, orders).
"""

import functools

from django.db import models
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import get_language


class ChoiceLabels(models.Model):
    """``get_FOO_display`` that looks the label up instead of rebuilding the choices.

    Django rebuilds a field's choices into a hashable dict on every call, which hashes (so
    translates) every lazy label; an order list showing 50 statuses paid for 750 translations.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        label = _choice_labels(field).get(value, value)
        if isinstance(label, Promise):
            # A translated label: once per language, not once a row.
            return _label_text(field, value, get_language())
        return force_str(label, strings_only=True)


@functools.cache
def _choice_labels(field) -> dict:
    return dict(field.flatchoices)


@functools.lru_cache(maxsize=4096)
def _label_text(field, value, language) -> str:
    # ``language`` is only part of the key: the label is translated into the active one.
    return str(_choice_labels(field)[value])
