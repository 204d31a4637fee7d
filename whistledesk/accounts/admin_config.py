"""`django.contrib.admin` with our site (settings.INSTALLED_APPS names this config)."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Every model admin registered on `admin.site` is scoped to the request's organisation
    and sits behind the second factor (accounts/admin_site.py)."""

    default_site = "whistledesk.accounts.admin_site.StaffAdminSite"
