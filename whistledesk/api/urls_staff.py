from django.urls import path

from whistledesk.api import views_staff

app_name = "api_tokens"

urlpatterns = [
    path("", views_staff.api_tokens_view, name="list"),
    path("<int:token_id>/revoke/", views_staff.api_token_revoke_view, name="revoke"),
]
