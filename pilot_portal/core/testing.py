"""Helpers for tests that need real concurrent transactions (PostgreSQL, each thread with its own connection)."""

import threading

from django.db import connections


def run_together(worker, count):
    """Start ``count`` threads released by one barrier; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def target(i):
        try:
            barrier.wait()
            results[i] = worker(i)
        except Exception as exc:  # collected for the assertions
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results
