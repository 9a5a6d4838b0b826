"""The load: a second process with threads, each with its own persistent HTTP connection.

    python -m bench.client < spec.json > result.json

The spec: {"host", "port", "duration" (seconds) or "requests" (per thread), "concurrency",
"headers": {...}, "paths": [...], "method": "GET", "body": null}. Each thread walks the paths in turn
(starting at a different offset), until the time or its share of requests is up. The result: req/s,
p50/p90/p99 in ms, the count of answers by status, and the median of each path when asked
(`per_path`). Only the standard library: the load generator costs as little CPU as it can."""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import threading
import time
from collections import Counter


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def run(spec: dict) -> dict:
    host, port = spec.get("host", "127.0.0.1"), int(spec["port"])
    paths = spec["paths"]
    concurrency = int(spec.get("concurrency", 1))
    duration = spec.get("duration")
    per_thread = spec.get("requests")
    headers = dict(spec.get("headers") or {})
    method = spec.get("method", "GET")
    body = spec.get("body")
    if body is not None and not isinstance(body, (bytes, str)):
        body = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    warmup = int(spec.get("warmup", 1))
    latencies: list[list[tuple[int, float]]] = [[] for _ in range(concurrency)]
    statuses: list[Counter] = [Counter() for _ in range(concurrency)]
    sizes: list[int] = [0] * concurrency
    start_gate = threading.Barrier(concurrency + 1)

    def worker(n: int):
        conn = http.client.HTTPConnection(host, port, timeout=120)

        def one(path):
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                return response.status, len(data)
            except (OSError, http.client.HTTPException):
                conn.close()
                return 0, 0

        for i in range(warmup):
            one(paths[(n + i) % len(paths)])
        start_gate.wait()
        until = time.perf_counter() + float(duration or 0)
        i = 0
        while True:
            if per_thread is not None and i >= per_thread:
                break
            if duration is not None and time.perf_counter() >= until:
                break
            index = (n * 7919 + i) % len(paths)
            t0 = time.perf_counter()
            status, size = one(paths[index])
            latencies[n].append((index, (time.perf_counter() - t0) * 1000, status))
            statuses[n][status] += 1
            sizes[n] += size
            i += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    for t in threads:
        t.start()
    start_gate.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    all_ms = [ms for lat in latencies for _i, ms, _s in lat]
    status_total = Counter()
    for c in statuses:
        status_total.update(c)
    result = {
        "requests": len(all_ms), "seconds": elapsed, "rps": len(all_ms) / elapsed if elapsed else 0.0,
        "p50": _percentile(all_ms, 50), "p90": _percentile(all_ms, 90), "p99": _percentile(all_ms, 99),
        "statuses": {str(k): v for k, v in status_total.items()},
        "bytes": sum(sizes) / len(all_ms) if all_ms else 0,
    }
    if spec.get("per_path"):
        per: dict[int, list[float]] = {}
        codes: dict[int, Counter] = {}
        for lat in latencies:
            for index, ms, status in lat:
                per.setdefault(index, []).append(ms)
                codes.setdefault(index, Counter())[status] += 1
        result["paths"] = {paths[i]: {"ms": statistics.median(v), "status": codes[i].most_common(1)[0][0]}
                           for i, v in per.items()}
    return result


def main():
    spec = json.load(sys.stdin)
    json.dump(run(spec), sys.stdout)


if __name__ == "__main__":
    main()
