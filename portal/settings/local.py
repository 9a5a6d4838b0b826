"""Settings for `make run` on a developer's or an evaluator's machine."""

from .base import *  # noqa: F403
from .base import env

# `make run` shows the portal as its users meet it: a mistyped address gets the portal's own 404 page,
# not Django's technical page that lists every URL pattern. `DEBUG=1 make run` (or DJANGO_DEBUG=1)
# turns the technical pages on for development. Static files are served by WhiteNoise either way.
DEBUG = env.bool("DEBUG", default=env.bool("DJANGO_DEBUG", default=False))
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# A fixed key is acceptable here only: this module is never used in production, which refuses to
# start without DJANGO_SECRET_KEY (see production.py).
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-a-secret-key-0123456789abcdef")  # noqa: S105
