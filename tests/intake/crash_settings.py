"""Settings for the kill-the-server test: test settings, with each simulated person told
apart by a header set by the test, trusted because all of them connect from 127.0.0.1 (as a
reverse proxy would), so per-client limits still apply."""

from whistledesk.config.settings.test import *  # noqa: F403

WHISTLEDESK_TRUSTED_PROXIES = ["127.0.0.1"]
WHISTLEDESK_CLIENT_IP_HEADER = "X-Test-Client"
WHISTLEDESK_FAILURE_DELAY = 0
