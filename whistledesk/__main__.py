"""`python -m whistledesk` is the same as the `whistledesk` command."""

from whistledesk.manage import main

main()
