"""Settings for the test suite: the real PostgreSQL and Redis of the machine."""

from .base import *  # noqa: F403
from .base import DATABASES, MEDIA_STORAGE, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789"  # noqa: S105
DATABASES["default"] = env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/portal")
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = REDIS_URL
# Tests run tasks in-process unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = True
PORTAL_TASKS_IN_THREAD = False  # in the test's own thread: a test reads the result right after asking
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
import tempfile  # noqa: E402

# A test that starts a real worker gives it the same folder through the environment.
MEDIA_ROOT = env("MEDIA_ROOT", default=None) or tempfile.mkdtemp(prefix="portal-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-test-static-")
