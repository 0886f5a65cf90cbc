from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Resellers and customers")

    def ready(self):
        # The admin (first of INSTALLED_APPS) has loaded every app's admin.py by now,
        # django-otp's included: its device pages would show the authenticators' keys.
        from .admin_two_factor import hide_device_admins

        hide_device_admins()
