import os

from django.core.wsgi import get_wsgi_application

from whistledesk.manage import PRIVATE_UMASK

# Whatever the web process creates (a SQLite database, temporary upload files) is private.
os.umask(PRIVATE_UMASK)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whistledesk.config.settings.production")
application = get_wsgi_application()
