from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = _("Relationship tracker")

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            listeners,
        )

        listeners.register()
