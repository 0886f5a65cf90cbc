"""The orders' pages: /orders/ (namespace ``orders``), /approvals/ and /errors/ (the catalogue)."""

from django.urls import include, path

from .views import actions, approvals, errors, fixing, tracking

order_patterns = [
    path("", tracking.OrderListView.as_view(), name="list"),
    path("<str:reference>/", tracking.OrderDetailView.as_view(), name="detail"),
    path("<str:reference>/timeline/", tracking.OrderTimelineView.as_view(), name="timeline"),
    path("<str:reference>/numbers/", tracking.OrderNumbersView.as_view(), name="numbers"),
    path("<str:reference>/resubmit/", actions.ResubmitView.as_view(), name="resubmit"),
    path("<str:reference>/fix/", fixing.FixView.as_view(), name="fix"),
    path("<str:reference>/cancel/", actions.CancelView.as_view(), name="cancel"),
    path(
        "<str:reference>/subscriptions/<int:subscription_id>/seats/",
        actions.SeatChangeView.as_view(),
        name="seats",
    ),
    path(
        "<str:reference>/subscriptions/<int:subscription_id>/batches/<int:batch_id>/cancel/",
        actions.SeatBatchCancelView.as_view(),
        name="cancel_batch",
    ),
]

approval_patterns = [
    path("", approvals.ApprovalQueueView.as_view(), name="queue"),
    path("<str:reference>/approve/", approvals.ApproveView.as_view(), name="approve"),
    path("<str:reference>/decline/", approvals.DeclineView.as_view(), name="decline"),
]

error_patterns = [path("", errors.ErrorCatalogueView.as_view(), name="catalogue")]

urlpatterns = [
    path("orders/", include((order_patterns, "orders"))),
    path("approvals/", include((approval_patterns, "approvals"))),
    path("errors/", include((error_patterns, "errors"))),
]
