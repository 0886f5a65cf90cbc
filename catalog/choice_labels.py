"""``get_FOO_display`` that looks the label up instead of rebuilding the choices.

Here, in the lowest room with models, so that every model that shows a choice's label
on a list page can use it (catalog, customers, orders).
"""

import functools

from django.db import models
from django.utils.encoding import force_str


class ChoiceLabels(models.Model):
    """``get_FOO_display`` that looks the label up instead of rebuilding the choices.

    Django rebuilds a field's choices into a hashable dict on every call, which hashes (so
    translates) every lazy label; an order list showing 50 statuses paid for 750 translations.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(value, value), strings_only=True)


@functools.cache
def _choice_labels(field) -> dict:
    return dict(field.flatchoices)
