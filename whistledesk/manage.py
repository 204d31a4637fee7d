"""The `whistledesk` console command: Django's manage.py for this project."""

import os
import sys

# Files Whistledesk creates (the SQLite database and its journal, generated local secrets,
# backups, restored files, report outputs) are readable by their owner only. collectstatic's
# output is public by design and may be served by the web server's own user.
PRIVATE_UMASK = 0o077
PUBLIC_OUTPUT_COMMANDS = {"collectstatic"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whistledesk.config.settings.local")
    if not PUBLIC_OUTPUT_COMMANDS.intersection(sys.argv[1:2]):
        os.umask(PRIVATE_UMASK)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
