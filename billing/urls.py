from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.BillChecksView.as_view(), name="checks"),
    path("checks/<int:pk>/", views.BillCheckView.as_view(), name="check"),
    path("checks/<int:pk>/status/", views.BillCheckStatusView.as_view(), name="check_status"),
    path("mismatches/<int:pk>/explain/", views.ExplainView.as_view(), name="explain"),
    path("statements/", views.StatementView.as_view(), name="statement"),
    path("export/", views.ExportView.as_view(), name="export"),
]
