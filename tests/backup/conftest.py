"""The case-file fixtures, reused: a sealed case needs a recovery key and an intake officer."""

from tests.casefiles.conftest import (  # noqa: F401 - pytest fixtures, registered by import
    disclosure,
    intake_officer,
    recovery_private_key,
)
