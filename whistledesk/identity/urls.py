"""Staff URLs for identity access and the consent ledger, under /staff/identity/."""

from django.urls import path

from whistledesk.identity import views, views_handover

app_name = "identity"

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("hand-over/", views_handover.hand_over_view, name="hand_over"),
    path("requests/<int:pk>/", views.request_view, name="request"),
    path("ask/<str:reference>/", views.ask_view, name="ask"),
    path("ledger/<str:reference>/", views.ledger_view, name="ledger"),
]
