from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("products", views.product_list, name="products"),
    path("customers", views.customer_list, name="customers"),
    path("customers/<int:customer_id>", views.customer_detail, name="customer"),
    path("orders", views.orders, name="orders"),
    path("orders/<str:reference>", views.order_detail, name="order"),
    path("orders/<str:reference>/cancel", views.order_cancel, name="order-cancel"),
]
