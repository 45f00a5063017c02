"""The WSGI entry point (gunicorn hub.wsgi).

The URLconf, and with it every view module, the API and its schemas, is loaded here, while the
server starts each worker process, rather than during the first request a worker serves (about half
a second: a person, or a client's first call, would otherwise wait for it on every new worker).
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - loading the URLconf is the point
