"""Running service calls at the same moment, each in its own thread and PostgreSQL connection: the
concurrency tests of every app use this one helper."""

import threading

from django.db import connection

from portal.errors import DomainError


def race(calls):
    """Run the calls together (a barrier releases them at once); each result is ("ok", value) or
    ("refused", the DomainError's code)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except DomainError as error:
            results[index] = ("refused", error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
