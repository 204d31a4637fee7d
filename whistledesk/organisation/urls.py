"""Staff pages of the organisation's configuration: the public form's questionnaire."""

from django.urls import path

from whistledesk.organisation import views_questionnaire

app_name = "organisation"

urlpatterns = [
    path("", views_questionnaire.questionnaire_edit, name="questionnaire"),
]
