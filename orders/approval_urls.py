from django.urls import path

from .views import approvals

app_name = "approvals"

urlpatterns = [
    path("", approvals.ApprovalQueueView.as_view(), name="queue"),
    path("<str:reference>/approve/", approvals.ApproveView.as_view(), name="approve"),
    path("<str:reference>/decline/", approvals.DeclineView.as_view(), name="decline"),
]
