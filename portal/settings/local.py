"""Settings for `make run` on a developer's or an evaluator's machine."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A fixed key is acceptable here only: this module is never used in production, which refuses to
# start without DJANGO_SECRET_KEY (see production.py).
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-a-secret-key-0123456789abcdef")  # noqa: S105
