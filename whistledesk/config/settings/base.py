"""Settings shared by every mode. Everything environment-specific comes from the environment."""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
# Where local state lives (SQLite file, generated secret key, uploaded files) when not configured.
DATA_DIR = Path(os.environ.get("WHISTLEDESK_DATA_DIR", Path.cwd() / "data")).resolve()

DEBUG = False
ALLOWED_HOSTS: list[str] = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "whistledesk.accounts.admin_config.StaffAdminConfig",  # django.contrib.admin, scoped
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "whistledesk.core",
    "whistledesk.accounts",
    "whistledesk.audit",
    "whistledesk.organisation",
    "whistledesk.cases",
    "whistledesk.casefiles",
    "whistledesk.identity",
    "whistledesk.reports",
    "whistledesk.intake",
    "whistledesk.backup",
    "whistledesk.retention",
    "whistledesk.signposting",
    "django_tasks",
    "django_tasks_db",
    "whistledesk.notifications",
    "whistledesk.mailintake",
    "ninja",  # its own Swagger UI files: the docs page makes no third-party requests
    "whistledesk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Which organisation the request is for (ADR 0017); takes a /<slug>/ prefix off the path.
    "whistledesk.organisation.tenancy.OrganisationMiddleware",
    # The public pages' language: a /cy/ prefix (inside the organisation's) means Welsh.
    "whistledesk.core.language.LanguageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "whistledesk.core.session_vault.SessionVaultMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in account is anonymous in every organisation but its own.
    "whistledesk.accounts.middleware.OwnOrganisationOnlyMiddleware",
    "whistledesk.core.middleware.NulInPathMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whistledesk.core.middleware.SecurityHeadersMiddleware",
    # Last: turns an axes lock-out into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "whistledesk.config.urls"
WSGI_APPLICATION = "whistledesk.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "whistledesk.organisation.context_processors.branding",
                "whistledesk.core.language.language_switch",
            ],
        },
    },
]


def database_from_env(default_sqlite: Path) -> dict[str, Any]:
    """DATABASE_URL if set (PostgreSQL in production), else a SQLite file in DATA_DIR."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_sqlite}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL + a busy timeout: concurrent readers while the web form writes, and
        # IMMEDIATE transactions so two writers queue instead of failing mid-transaction.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # secure_delete: freed pages and deleted cells are zeroed, so destroyed
            # content does not linger in free space (retention, docs/operations.md).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
            ),
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": database_from_env(DATA_DIR / "whistledesk.sqlite3")}


def _trusted_proxies(value: str) -> list[str]:
    """WHISTLEDESK_TRUSTED_PROXIES, checked at start-up: a typo must not silently trust nobody."""
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
            valid = not entry.isdigit()  # "1" was once a proxy count; it is not an address
        except ValueError:
            valid = False
        if not valid:
            raise ImproperlyConfigured(
                f"WHISTLEDESK_TRUSTED_PROXIES: {entry!r} is not an IP address or network. "
                "List your reverse proxy's addresses, for example 127.0.0.1 or 10.0.0.0/24."
            )
    return entries


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in security (docs/adr/0003, accounts/two_factor.py, accounts/lockout.py).
# Usernames are unique within an organisation, not the installation (ADR 0017); sign-in goes
# through OrganisationBackend, which looks only inside the request's organisation.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out clients before any password check
    "whistledesk.accounts.backends.OrganisationBackend",  # inside the request's organisation
]
# Staff must set up and use a TOTP authenticator. Off in local mode so the demo sign-in stays
# one step (a banner prompts enrolment); whoever enrols is always asked for their code.
WHISTLEDESK_REQUIRE_2FA = os.environ.get("WHISTLEDESK_REQUIRE_2FA", "1") == "1"
OTP_TOTP_ISSUER = os.environ.get("WHISTLEDESK_SERVICE_NAME", "Whistledesk")
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Lock the account and, separately, the client: one guesser cannot try many accounts.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "whistledesk.accounts.lockout.PrivateDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "whistledesk.accounts.lockout.pseudonymous_client_ip"
AXES_USERNAME_CALLABLE = "whistledesk.accounts.lockout.pseudonymous_username"
AXES_LOCKOUT_CALLABLE = "whistledesk.accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are on the audit log instead, without addresses
AXES_VERBOSE = False  # its log lines name the client
# Who the client is (whistledesk/core/client_address.py, docs/adr/0006): the TCP peer, unless
# the peer is one of these reverse proxies (comma-separated addresses or networks), in which
# case the header it sets is read. Empty (the default): every forwarding header is ignored.
WHISTLEDESK_TRUSTED_PROXIES = _trusted_proxies(os.environ.get("WHISTLEDESK_TRUSTED_PROXIES", ""))
WHISTLEDESK_CLIENT_IP_HEADER = os.environ.get("WHISTLEDESK_CLIENT_IP_HEADER", "X-Forwarded-For")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:list"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# Welsh for the public pages of an organisation that offers it (whistledesk/core/language.py).
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic's output; in production outside the private data directory, for nginx to serve.
STATIC_ROOT = Path(os.environ.get("WHISTLEDESK_STATIC_ROOT") or DATA_DIR / "static")
STATICFILES_DIRS = [PACKAGE_DIR / "frontend"]
MEDIA_ROOT = DATA_DIR / "files"

# Sessions: short and server-side; staff are signed out after 30 idle minutes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A browser-session cookie, like every cookie we set: a year-long token would be a trace of a
# visit left on a shared or work device (the cookies page lists each cookie).
CSRF_COOKIE_AGE = None
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer Chromium sends `Origin: null` on form
# posts and CSRF origin checks fail. Nothing is sent to other sites either way.
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "whistledesk.core.views.csrf_failure"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Upload limits are enforced before a body is read (see intake).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# Bounded work per upload and message (docs/operations.md, "Upload limits"). mat2 runs with
# these limits; all files of one request share the wall-clock budget, which must stay below
# the server's worker timeout (gunicorn's default is 30 s). Pixel and page limits are checked
# before cleaning; bench/uploads.py measures what cleans in time.
_env = os.environ.get
WHISTLEDESK_CLEAN_WALL_SECONDS = float(_env("WHISTLEDESK_CLEAN_WALL_SECONDS", "20"))
WHISTLEDESK_CLEAN_CPU_SECONDS = int(_env("WHISTLEDESK_CLEAN_CPU_SECONDS", "20"))
WHISTLEDESK_CLEAN_MEMORY_MB = int(_env("WHISTLEDESK_CLEAN_MEMORY_MB", "1536"))
WHISTLEDESK_MAX_IMAGE_PIXELS = int(_env("WHISTLEDESK_MAX_IMAGE_PIXELS", "100000000"))
WHISTLEDESK_MAX_PNG_PIXELS = int(_env("WHISTLEDESK_MAX_PNG_PIXELS", "16000000"))
WHISTLEDESK_MAX_PDF_PAGES = int(_env("WHISTLEDESK_MAX_PDF_PAGES", "30"))
# Per case in the follow-up inbox: messages from the whistleblower per hour and per day,
# and the total size of the files they have sent.
WHISTLEDESK_INBOX_MESSAGES_PER_HOUR = int(_env("WHISTLEDESK_INBOX_MESSAGES_PER_HOUR", "6"))
WHISTLEDESK_INBOX_MESSAGES_PER_DAY = int(_env("WHISTLEDESK_INBOX_MESSAGES_PER_DAY", "20"))
WHISTLEDESK_INBOX_FILE_MB_PER_CASE = int(_env("WHISTLEDESK_INBOX_FILE_MB_PER_CASE", "50"))

# Logging: requests to public pages are never logged with addresses or agents; Django's
# request logger is quietened so no URL or client detail reaches a log line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "whistledesk": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# The organisation's branding (not the GOV.UK crown or font).
WHISTLEDESK_SERVICE_NAME = os.environ.get("WHISTLEDESK_SERVICE_NAME", "Whistledesk")

# Background work (docs/operations.md, "Background worker"): django-tasks with its database
# backend, run by `whistledesk worker`. A job whose worker died is run again after this long.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WHISTLEDESK_TASK_TIMEOUT_SECONDS = int(_env("WHISTLEDESK_TASK_TIMEOUT_SECONDS", "1800"))

# Email, from the variables that mirror Django's own settings. No EMAIL_HOST: the console
# (local mode); NOTIFY_API_KEY set: GOV.UK Notify instead of SMTP.
EMAIL_HOST = _env("EMAIL_HOST", "")
EMAIL_PORT = int(_env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = _env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env("EMAIL_USE_TLS", "0").lower() in ("1", "true", "yes")
EMAIL_USE_SSL = _env("EMAIL_USE_SSL", "0").lower() in ("1", "true", "yes")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = _env("DEFAULT_FROM_EMAIL", "whistledesk@localhost")
NOTIFY_API_KEY = _env("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = _env("NOTIFY_EMAIL_TEMPLATE_ID", "")
NOTIFY_BASE_URL = _env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
if NOTIFY_API_KEY:
    EMAIL_BACKEND = "whistledesk.notifications.notify_backend.NotifyEmailBackend"
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Failed sends are tried again after 1, 2, 4, 8 times this many seconds, then shown to managers.
WHISTLEDESK_EMAIL_RETRY_SECONDS = float(_env("WHISTLEDESK_EMAIL_RETRY_SECONDS", "60"))
# The address staff sign in at: the only link an email carries.
WHISTLEDESK_BASE_URL = _env("WHISTLEDESK_BASE_URL", "http://127.0.0.1:8000")
# Whistleblowers' optional "you have a new message" emails (docs/adr/0011): their address is
# sealed to this key pair. The private key (base64) opens it to send: keep it out of the
# database and its backups; a web server that does not send may hold only the public key.
# Neither set: the follow-up inbox does not offer the emails.
WHISTLEDESK_SOURCE_EMAIL_KEY = _env("WHISTLEDESK_SOURCE_EMAIL_KEY", "")
WHISTLEDESK_SOURCE_EMAIL_PUBLIC_KEY = _env("WHISTLEDESK_SOURCE_EMAIL_PUBLIC_KEY", "")
