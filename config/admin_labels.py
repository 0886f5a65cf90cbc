"""Names for the admin's inputs that Django draws without a label of their own.

Django's split date/time widget prints "Date:" and "Time:" as bare text beside its two inputs,
and a tabular inline draws its rows' inputs (and each row's "Delete" box) under a column
heading, with no ``<label>``: a screen reader announces them as unnamed (axe's ``label``
rule). Each such input gets its field's label as ``aria-label``.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils.translation import gettext as _


def name_inputs(formfield, *, in_table=False) -> None:
    """Give ``formfield``'s unlabelled inputs its label as ``aria-label``."""
    widget = getattr(formfield.widget, "widget", formfield.widget)  # inside the "+" wrapper
    label = str(formfield.label or "")
    if isinstance(widget, AdminSplitDateTime):
        date, time = widget.widgets
        date.attrs.setdefault("aria-label", _("%(label)s: date") % {"label": label})
        time.attrs.setdefault("aria-label", _("%(label)s: time") % {"label": label})
    elif in_table:
        widget.attrs.setdefault("aria-label", label)


class NamedInputsMixin:
    """For a ModelAdmin or an inline: every input it draws has a name a screen reader reads."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            name_inputs(formfield, in_table=isinstance(self, admin.TabularInline))
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        """A tabular inline's rows: also the "Delete" box the formset adds to each row."""
        formset = super().get_formset(request, obj, **kwargs)
        if not isinstance(self, admin.TabularInline):
            return formset

        def add_fields(formset_self, form, index):
            formset.add_fields(formset_self, form, index)
            for field in form.fields.values():
                name_inputs(field, in_table=True)

        return type(formset.__name__, (formset,), {"add_fields": add_fields})
