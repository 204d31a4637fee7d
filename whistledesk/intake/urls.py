"""Public URLs. No sensitive value is ever part of a URL: receipts and answers go in POST bodies."""

from django.urls import path

from whistledesk.intake import (
    views,
    views_files,
    views_inbox,
    views_inbox_call,
    views_inbox_email,
    views_legal,
)

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    path("report/files/", views_files.files_view, name="files"),
    path("report/check/", views.check, name="check"),
    path("report/sent/", views.receipt, name="receipt"),
    path("report/<slug:slug>/", views.step_view, name="step"),
    path("follow-up/", views_inbox.sign_in, name="inbox_sign_in"),
    path("follow-up/inbox/", views_inbox.inbox, name="inbox"),
    path("follow-up/files/<int:attachment_id>/", views_inbox.source_file, name="source_file"),
    path("follow-up/email/", views_inbox_email.inbox_email, name="inbox_email"),
    path(
        "follow-up/call-notes/<int:review_id>/",
        views_inbox_call.call_notes_answer,
        name="call_notes_answer",
    ),
    path("follow-up/sign-out/", views_inbox.sign_out, name="inbox_sign_out"),
    path("privacy/", views_legal.privacy, name="privacy"),
    path("accessibility/", views_legal.accessibility, name="accessibility"),
    path("cookies/", views_legal.cookies, name="cookies"),
    path("whistleblowing-policy/", views_legal.policy, name="policy"),
]
