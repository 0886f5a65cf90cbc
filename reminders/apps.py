from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Cancellation reminders"

    def ready(self):
        from . import mail_kinds

        mail_kinds.register_kinds()
