from django.urls import path

from whistledesk.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.disclosure_list_view, name="list"),
]
