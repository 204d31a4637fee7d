from django.urls import path

from whistledesk.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.annual_report_view, name="annual"),
]
