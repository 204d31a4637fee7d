from django.urls import path, register_converter

from whistledesk.reports import views, views_management
from whistledesk.reports.urls_prepare import urlpatterns as prepare_urlpatterns


class FormatConverter:
    regex = "md|html|json|csv|pdf|docx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "report_format")

app_name = "reports"

urlpatterns = [
    path("", views.annual_report_view, name="annual"),
    path("<int:year>.<report_format:fmt>", views.annual_report_download, name="download"),
    path("<int:year>/publish", views.publish_view, name="publish"),
    path("<int:year>/chart-<slug:key>.svg", views.chart_view, name="chart"),
    path(
        "<int:year>/published/v<int:version>.<report_format:fmt>",
        views.published_download,
        name="published",
    ),
    # Management information (reports.management_info), managers and auditors.
    path("management/", views_management.management_view, name="management"),
    path(
        "management/chart-<slug:key>.svg",
        views_management.management_chart_view,
        name="management_chart",
    ),
    path(
        "management/register.<str:fmt>",
        views_management.register_export_view,
        name="register_export",
    ),
]
urlpatterns += prepare_urlpatterns
