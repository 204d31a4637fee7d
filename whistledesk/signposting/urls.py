from django.urls import path

from whistledesk.signposting import views

app_name = "signposting"

# Included at /staff/: the case's signposting pages sit in its URL space, /staff/cases/REF/.
urlpatterns = [
    path("cases/<str:reference>/signpost/", views.choose_view, name="choose"),
    path("cases/<str:reference>/signpost/confirm/", views.confirm_view, name="confirm"),
    path("cases/<str:reference>/signpost/<int:signpost_id>/", views.detail_view, name="detail"),
    path("signposting/", views.directory_view, name="directory"),
    path("signposting/message/", views.message_view, name="message"),
]
