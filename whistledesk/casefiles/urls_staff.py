"""Staff URLs for a case file, under /staff/cases/."""

from django.urls import path

from whistledesk.casefiles import views_staff

app_name = "casefiles"

urlpatterns = [
    path("<str:reference>/", views_staff.case_detail, name="detail"),
    path("<str:reference>/reply/", views_staff.case_reply, name="reply"),
    path(
        "<str:reference>/files/<int:attachment_id>/",
        views_staff.case_file_download,
        name="file",
    ),
]
