from django.urls import path

from whistledesk.cases import views, views_case, views_intake

app_name = "cases"

# Casework pages live under casework/<reference>/: /staff/cases/<reference>/ is the sealed
# case file (casefiles.views_staff), which the case page links to.
urlpatterns = [
    path("", views.disclosure_list_view, name="list"),
    path("record/", views_intake.record_start_view, name="record"),
    path("record/<str:channel>/", views_intake.record_view, name="record_channel"),
    path("casework/<str:reference>/", views_case.case_detail_view, name="detail"),
    path("casework/<str:reference>/move/<str:to>/", views_case.transition_view, name="move"),
    path("casework/<str:reference>/assess/", views_case.assess_view, name="assess"),
    path("casework/<str:reference>/assign/", views_case.assign_view, name="assign"),
    path("casework/<str:reference>/take/", views_case.take_view, name="take"),
    path("casework/<str:reference>/conflict/", views_case.conflict_view, name="conflict"),
    path("casework/<str:reference>/consent/", views_case.consent_view, name="consent"),
    path("casework/<str:reference>/refer/", views_case.referral_view, name="refer"),
    path(
        "casework/<str:reference>/referral/<int:referral_id>/response/",
        views_case.response_view,
        name="response",
    ),
    path("casework/<str:reference>/action/", views_case.action_view, name="action"),
    path("casework/<str:reference>/concern/", views_case.concern_view, name="concern"),
    path(
        "casework/<str:reference>/concern/<int:concern_id>/confirm/",
        views_case.confirm_view,
        name="confirm",
    ),
]
