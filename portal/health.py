"""`/healthz`: 200 when every dependency answers, 503 naming the ones that do not — the database,
Redis, and the Celery broker when it is not that same Redis. A monitor reads `down`; each check says
what it saw. Answered before the session middleware (portal.middleware.HealthCheckMiddleware), so the
answer is the same JSON for every caller, with or without a session cookie."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

OK = "ok"
TIMEOUT = 2  # seconds: a dependency that does not answer by then is reported down, not waited for


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return f"error: {exc.__class__.__name__}"
    return OK


def _ping_redis(url: str) -> str:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return OK


def _check_redis() -> str:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return "not configured (embedded mode)"
    return _ping_redis(url)


def _broker_url() -> str | None:
    """The Celery broker's address when it is a service of its own (not the Redis checked above, not
    the embedded mode's in-process broker)."""
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url or url.startswith("memory://") or url == getattr(settings, "REDIS_URL", ""):
        return None
    return url


def _check_broker(url: str) -> str:
    if url.startswith(("redis://", "rediss://")):
        return _ping_redis(url)
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=TIMEOUT) as broker:
            broker.ensure_connection(max_retries=1, timeout=TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return OK


@never_cache
def healthz(request):
    checks = {"database": _check_database(), "redis": _check_redis()}
    broker = _broker_url()
    if broker is not None:
        checks["broker"] = _check_broker(broker)
    down = [name for name, result in checks.items() if result.startswith("error")]
    return JsonResponse({"status": "unavailable" if down else "ok", "down": down, "checks": checks},
                        status=503 if down else 200)
