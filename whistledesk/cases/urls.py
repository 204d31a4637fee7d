from django.urls import path, re_path
from django.views.generic.base import RedirectView

from whistledesk.cases import (
    views,
    views_case,
    views_casefile,
    views_deadlines,
    views_followup,
    views_intake,
)

app_name = "cases"

# One URL space per case, /staff/cases/<reference>/: the case page, its casework forms, and
# its sealed case file (content/, reply/, files/<id>/).
urlpatterns = [
    path("", views.disclosure_list_view, name="list"),
    path("record/", views_intake.record_start_view, name="record"),
    path("record/<str:channel>/", views_intake.record_view, name="record_channel"),
    path("cases/<str:reference>/", views_case.case_detail_view, name="detail"),
    path("cases/<str:reference>/content/", views_casefile.case_file_view, name="casefile"),
    path("cases/<str:reference>/reply/", views_casefile.case_reply_view, name="casefile_reply"),
    path(
        "cases/<str:reference>/files/<int:attachment_id>/",
        views_casefile.case_file_download_view,
        name="casefile_download",
    ),
    path("cases/<str:reference>/move/<str:to>/", views_case.transition_view, name="move"),
    path("cases/<str:reference>/assess/", views_case.assess_view, name="assess"),
    path("cases/<str:reference>/assign/", views_case.assign_view, name="assign"),
    path("cases/<str:reference>/take/", views_case.take_view, name="take"),
    path("cases/<str:reference>/conflict/", views_case.conflict_view, name="conflict"),
    path("cases/<str:reference>/consent/", views_case.consent_view, name="consent"),
    path("cases/<str:reference>/refer/", views_case.referral_view, name="refer"),
    path(
        "cases/<str:reference>/referral/<int:referral_id>/response/",
        views_case.response_view,
        name="response",
    ),
    path("cases/<str:reference>/action/", views_case.action_view, name="action"),
    path("cases/<str:reference>/concern/", views_case.concern_view, name="concern"),
    path(
        "cases/<str:reference>/concern/<int:concern_id>/confirm/",
        views_case.confirm_view,
        name="confirm",
    ),
    # Follow-up for every channel (cases/views_followup.py).
    path("cases/<str:reference>/receipt/", views_followup.receipt_view, name="receipt"),
    path(
        "cases/<str:reference>/call-notes/share/",
        views_followup.call_notes_share_view,
        name="call_notes_share",
    ),
    path(
        "cases/<str:reference>/follow-up/sent/<int:sent_id>/",
        views_followup.followup_sent_view,
        name="followup_sent",
    ),
    path(
        "cases/<str:reference>/follow-up/sent/<int:sent_id>/letter.pdf",
        views_followup.followup_letter_view,
        name="followup_letter",
    ),
    path(
        "cases/<str:reference>/follow-up/<str:kind>/",
        views_followup.followup_send_view,
        name="followup_send",
    ),
    path("follow-up-wording/", views_followup.followup_wording_view, name="followup_wording"),
    path(
        "cases/<str:reference>/feedback-deadline/",
        views_deadlines.feedback_extend_view,
        name="feedback_extend",
    ),
    path("cases/<str:reference>/reminders/", views_deadlines.reminder_set_view, name="remind"),
    path(
        "cases/<str:reference>/reminders/<int:reminder_id>/done/",
        views_deadlines.reminder_done_view,
        name="reminder_done",
    ),
    # Bookmarks of the old casework address lead to the same page (a GET changes nothing).
    re_path(r"^casework/(?P<rest>.+)$", RedirectView.as_view(url="/staff/cases/%(rest)s")),
]
