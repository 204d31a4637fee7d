"""The people pages, under /staff/people/ (managers only)."""

from django.urls import path

from whistledesk.accounts import views_people

app_name = "people"

urlpatterns = [
    path("", views_people.people_list_view, name="list"),
    path("add/", views_people.person_add_view, name="add"),
    path("<int:pk>/", views_people.person_view, name="detail"),
    path("<int:pk>/roles/", views_people.person_roles_view, name="roles"),
    path("<int:pk>/custodian/", views_people.person_custodian_view, name="custodian"),
    path("<int:pk>/deactivate/", views_people.person_deactivate_view, name="deactivate"),
    path("<int:pk>/reactivate/", views_people.person_reactivate_view, name="reactivate"),
    path("<int:pk>/keys/", views_people.person_keys_restore_view, name="keys_restore"),
    path(
        "<int:pk>/reset-password/",
        views_people.person_password_reset_view,
        name="reset_password",
    ),
]
