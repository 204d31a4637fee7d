"""Settings for the kill-the-server test: test settings, with each simulated person told
apart by a header (all of them connect from 127.0.0.1), so per-client limits still apply."""

from whistledesk.config.settings.test import *  # noqa: F403

WHISTLEDESK_CLIENT_IP_HEADER = "HTTP_X_TEST_CLIENT"
WHISTLEDESK_FAILURE_DELAY = 0
