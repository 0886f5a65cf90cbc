from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="list"),
    path("add/<int:product_id>/", views.cart_add, name="cart_add"),
    path("cart/", views.cart, name="cart"),
    path("cart/lines/<int:line_id>/", views.cart_line_update, name="cart_line"),
]
