from django.contrib.auth import views as auth_views
from django.urls import path

from whistledesk.accounts import views_password, views_security
from whistledesk.accounts.forms import StaffAuthenticationForm

app_name = "accounts"

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=StaffAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views_security.two_factor_verify_view, name="two_factor_verify"),
    path("two-factor/set-up/", views_security.two_factor_setup_view, name="two_factor_setup"),
    path("security/", views_security.account_security_view, name="security"),
    path("password/", views_password.password_change_view, name="password_change"),
    path(
        "sign-out-everywhere/",
        views_security.sign_out_everywhere_view,
        name="sign_out_everywhere",
    ),
]
