"""Settings for the test suite: the real PostgreSQL and Redis of the machine."""

from .base import *  # noqa: F403
from .base import DATABASES, MEDIA_STORAGE, env, postgresql_session_options

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789"  # noqa: S105
DATABASES["default"] = postgresql_session_options(
    env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/portal"))
# The read replica's alias as a mirror of the test database (Django's TEST MIRROR): the same database
# through a second connection. No router here, so the suite reads and writes one database;
# tests/portal/test_replica.py turns the router on and sees which connection each query took.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = []
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

# The second factor is a policy, not a property of every page: the suite signs in thousands of times
# with force_login as org staff, bank and insurer officers and administrators to test what those
# roles may see, and making each of those sessions pass a code would couple every test of the portal
# to this one feature (or hide the gate behind a fixture that fakes it). So no role requires it here;
# tests/twofactor turns the production requirement back on with override_settings and tests the gate,
# the pages and the reset there. The rule that a user who enrolled must pass it stays on everywhere:
# the suite's users have no authenticator, and the opt-in path is tested without any override.
PORTAL_SECOND_FACTOR_ROLES = []
PORTAL_SECOND_FACTOR_FOR_STAFF = False
