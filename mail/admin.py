from django import forms
from django.contrib import admin

from config.admin_labels import NamedInputsMixin

from .models import EmailLog, EmailOverride
from .registry import kind_of, kinds
from .sandbox import SandboxRefused, sandbox_check


class EmailOverrideAdminForm(forms.ModelForm):
    """The admin saves an override only if the sandbox would render it, as the editor does."""

    template = forms.ChoiceField(choices=lambda: [(kind.key, kind.title) for kind in kinds()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("subject", "body"):  # template source on purpose, as in the e-mail editor
            if name in self.fields:
                self.fields[name].widget.attrs["data-template-source"] = ""

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("template")
        if not key:
            return cleaned
        for name in ("subject", "body"):
            try:
                sandbox_check(cleaned.get(name) or "", variables=kind_of(key).variables)
            except SandboxRefused as refused:
                self.add_error(name, str(refused))
        return cleaned


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "template", "language", "reseller", "result", "overridden"]
    list_filter = ["result", "template", "language", "overridden"]
    search_fields = ["recipients", "subject", "reseller__name"]
    readonly_fields = [field.name for field in EmailLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailOverride)
class EmailOverrideAdmin(NamedInputsMixin, admin.ModelAdmin):
    form = EmailOverrideAdminForm
    list_display = ["reseller", "template", "language", "updated_at", "last_error_at"]
    list_filter = ["template", "language"]
    search_fields = ["reseller__name", "subject"]
