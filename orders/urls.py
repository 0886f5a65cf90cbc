from django.urls import path

from .views import actions, fixing, tracking

app_name = "orders"

urlpatterns = [
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
