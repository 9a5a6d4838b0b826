"""Settings of the processes the fault tests start (a gunicorn web node, Celery workers with beat): the
test settings, with production's set-up wherever a fault meets it — tasks sent through the broker (never
run in place), the cache in Redis failing soft (portal.cache), kept database connections checked before
reuse. The addresses of the throwaway PostgreSQL and Redis come from DATABASE_URL and REDIS_URL."""

from portal.settings import base
from portal.settings.test import *  # noqa: F403
from portal.settings.test import DATABASES, env

CELERY_TASK_ALWAYS_EAGER = False
CACHES = base.CACHES
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
