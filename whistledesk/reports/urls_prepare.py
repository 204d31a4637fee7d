"""The prepare page's addresses (views_prepare.py), under the reports namespace."""

from django.urls import path

from whistledesk.reports import views_prepare

urlpatterns = [
    path("<int:year>/prepare", views_prepare.prepare_view, name="prepare"),
    path(
        "<int:year>/prepare/text/<slug:section>",
        views_prepare.text_edit_view,
        name="prepare_text",
    ),
    path("<int:year>/prepare/threshold", views_prepare.threshold_view, name="prepare_threshold"),
    path("<int:year>/prepare/decide", views_prepare.decide_view, name="prepare_decide"),
    path("<int:year>/prepare/publish", views_prepare.publish_view, name="prepare_publish"),
]
