from django.urls import path

from whistledesk.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.retention_overview, name="overview"),
    path("holds/", views.legal_hold_place_view, name="hold_place"),
    path("holds/<int:pk>/lift/", views.legal_hold_lift_view, name="hold_lift"),
]
