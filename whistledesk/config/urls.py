from django.contrib import admin
from django.urls import include, path

# `admin.site` is a StaffAdminSite (accounts/admin_config.py): the second factor,
# and every model admin inside the request's organisation.
urlpatterns = [
    path("", include("whistledesk.intake.urls")),
    path("staff/identity/", include("whistledesk.identity.urls")),
    path("staff/people/", include("whistledesk.accounts.urls_people")),
    path("staff/", include("whistledesk.cases.urls")),
    path("staff/", include("whistledesk.signposting.urls")),
    path("staff/reports/", include("whistledesk.reports.urls")),
    path("staff/public-form/", include("whistledesk.organisation.urls")),
    path("staff/account/notifications/", include("whistledesk.notifications.urls")),
    path("staff/account/", include("whistledesk.accounts.urls")),
    path("staff/audit/", include("whistledesk.audit.urls")),
    path("staff/retention/", include("whistledesk.retention.urls")),
    path("staff/account/api-tokens/", include("whistledesk.api.urls_staff")),
    path("api/v1/", include("whistledesk.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "whistledesk.core.views.bad_request"
handler403 = "whistledesk.core.views.permission_denied"
handler404 = "whistledesk.core.views.page_not_found"
handler500 = "whistledesk.core.views.server_error"
