"""Before the tests: say clearly when PostgreSQL or Redis cannot be reached, instead of failing in
the middle of the first test."""

import os
import sys

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    failed = False
    try:
        import environ
        import psycopg

        cfg = environ.Env.db_url_config(database_url)
        # Connect to the server's maintenance database: the test database is created by the tests.
        psycopg.connect(
            host=cfg.get("HOST") or None, port=cfg.get("PORT") or None, user=cfg.get("USER") or None,
            password=cfg.get("PASSWORD") or None, dbname="postgres", connect_timeout=5,
        ).close()
    except Exception as exc:  # noqa: BLE001
        failed = True
        print(f"无法连接 PostgreSQL（{database_url}）：{exc}", file=sys.stderr)
        print("  Cannot reach PostgreSQL: start it, or set DATABASE_URL to a server the tests may use.",
              file=sys.stderr)
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except Exception as exc:  # noqa: BLE001
        failed = True
        print(f"无法连接 Redis（{redis_url}）：{exc}", file=sys.stderr)
        print("  Cannot reach Redis: start it, or set REDIS_URL.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
