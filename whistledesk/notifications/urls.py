from django.urls import path

from whistledesk.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.alert_settings, name="settings"),
    path("emails/<int:email_id>/retry/", views.email_retry_view, name="email_retry"),
]
