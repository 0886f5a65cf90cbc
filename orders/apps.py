from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        from . import listeners, mail_kinds

        listeners.register()
        mail_kinds.register_kinds()
