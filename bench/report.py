"""The table `make bench` prints: one line (or a few) per row of issue 17's Targets, raw figures, the
ratio to the baseline measured in the same run, the target, and whether it is met."""

from __future__ import annotations

from urllib.parse import unquote

ROW_IDS = ("1", "2", "3", "4", "5", "6", "7")


def _yes(ok) -> str:
    if ok is None:
        return "n/a"
    return "yes" if ok else "NO"


def _api(r: dict) -> str:
    bad = sum(v for k, v in r["statuses"].items() if k != "200")
    return f"{r['rps']:.0f} req/s p50 {r['p50']:.1f} p99 {r['p99']:.1f} ms" + (f" ({bad} non-200)" if bad else "")


def lines(results: dict) -> list[tuple[str, str, str, str, str, str, str]]:
    out = []
    main, base = results["main"]["label"], results["base"]["label"]
    r1 = results.get("row1")
    if r1:
        for run in r1["runs"]:
            ratio = run["eligibility"]["rps"] / run["baseline"]["rps"] if run["baseline"]["rps"] else 0
            out.append(("1", f"eligibility API, token, {run['clients']} client(s)", _api(run["eligibility"]),
                        "one-row token endpoint " + _api(run["baseline"]), f"{ratio:.2f}×", "≥ 0.8×",
                        _yes(ratio >= 0.8)))
        out.append(("1", "eligibility API, institution key, 8 clients", _api(r1["api_key_8"]), "—", "—", "—", "info"))
    r2 = results.get("row2")
    if r2 is not None:
        if not r2["exists"]:
            out.append(("2", "batch eligibility, 1,000 codes", "n/a (no batch endpoint)", "1,000 single lookups",
                        "—", "≥ 20× per code", "n/a"))
        else:
            per_batch = r2["batch"]["p50"] / r2["codes"] if r2["batch"]["statuses"].get("200") else None
            per_single = r2["single"]["p50"]
            ratio = per_single / per_batch if per_batch else 0
            out.append(("2", f"batch eligibility {r2['path']}, {r2['codes']} codes",
                        f"{r2['batch']['p50']:.0f} ms per call, {per_batch or 0:.2f} ms/code",
                        f"single {per_single:.1f} ms/code", f"{ratio:.1f}×", "≥ 20× per code", _yes(ratio >= 20)))
    r3 = results.get("row3")
    if r3:
        rows = sorted(r3["rows"], key=lambda r: -r["ratio"])
        over = [r for r in rows if r["ratio"] > 1.5]
        if rows:
            worst = rows[0]
            out.append(("3", f"list pages × roles ({len(rows)} compared, {len(over)} over 1.5×)",
                        f"worst {worst['user']} {unquote(worst['page'])} {worst['ms']:.0f} ms",
                        f"{r3.get('widest_user', 'orgstaff')} same page {worst['base_ms']:.0f} ms",
                        f"{worst['ratio']:.2f}×", "≤ 1.5×", _yes(not over)))
            for r in rows[1:6]:
                out.append(("3", f"  {r['user']} {unquote(r['page'])}", f"{r['ms']:.0f} ms", f"{r['base_ms']:.0f} ms",
                            f"{r['ratio']:.2f}×", "≤ 1.5×", _yes(r["ratio"] <= 1.5)))
        else:
            out.append(("3", "list pages × roles", "no page compared", "—", "—", "≤ 1.5×", "n/a"))
    r4 = results.get("row4")
    if r4:
        for r in r4["rows"]:
            q = f", {r['queries']} q" if r["queries"] is not None else ""
            bq = f", {r['base_queries']} q" if r["base_queries"] is not None else ""
            ok = r["ratio"] <= 1.5 and r["queries"] == r["base_queries"]
            out.append(("4", f"{r['page']} as {r['user']}", f"{main} {r['ms']:.0f} ms{q}, {r['kb']:.0f} KB",
                        f"{base} {r['base_ms']:.0f} ms{bq}", f"{r['ratio']:.2f}×", "≤ 1.5×, same queries",
                        _yes(ok) if str(r["status"]) == "200" else f"status {r['status']}"))
    r5 = results.get("row5")
    if r5:
        if "error" in r5:
            out.append(("5", "import commit", f"failed: {r5['error']}", "COPY", "—", "≥ 0.25×", "NO"))
        else:
            ratio = r5["commit_rps"] / r5["copy_rps"]
            out.append(("5", f"import commit, {r5['rows']:,} rows",
                        f"{r5['commit_rps']:,.0f} rows/s ({r5['commit_s']:.1f} s; preview {r5['parse_s']:.1f} s; "
                        f"peak {r5['peak_rss_mb']:.0f} MB)", f"COPY {r5['copy_rps']:,.0f} rows/s",
                        f"{ratio:.3f}×", "≥ 0.25×", _yes(ratio >= 0.25)))
    r6 = results.get("row6")
    if r6:
        if r6.get("error") and "seconds" not in r6:
            out.append(("6", "certificate batch", f"failed: {r6['error']}", "—", "—", "—", "NO"))
        else:
            growth = ((r6["rss_last_mb"] or 0) / r6["rss_100_mb"] - 1) if r6.get("rss_100_mb") else None
            ratio = r6["seconds"] / r6["expected_one_worker_s"] if r6["expected_one_worker_s"] else 0
            spread = ratio <= 0.75
            flat = growth is not None and growth < 0.2
            g = f"{growth * 100:+.0f}%" if growth is not None else "?"
            out.append(("6", f"certificate batch, {r6['count']:,} ({r6['region']}), {r6['workers']} worker procs",
                        f"{r6['seconds']:.1f} s, {r6['state']}; worker RSS {r6['rss_100_mb'] or 0:.0f} MB at 100th, "
                        f"{r6['rss_last_mb'] or 0:.0f} MB at last ({g})",
                        f"one certificate {r6['one']['seconds'] * 1000:.0f} ms × {r6['count']:,} = "
                        f"{r6['expected_one_worker_s']:.1f} s", f"{ratio:.2f}×",
                        "spread (≤ 0.75×), RSS growth < 20%", _yes(spread and flat)))
    r7 = results.get("row7")
    if r7:
        if "error" in r7:
            out.append(("7", "loan approvals under contention", f"failed: {r7['error']}", "—", "—", "0 over", "NO"))
        else:
            out.append(("7", f"{r7['approvers']} approvers on one quota × {r7['rounds']} rounds",
                        f"{r7['over_allocations']} over-allocations; {r7['approved']} approved, {r7['refused']} refused; "
                        f"{r7['approvals_per_s']:.1f} approvals/s ({r7['attempts_per_s']:.0f} attempts/s)",
                        "—", "—", "0 over-allocations", _yes(r7["over_allocations"] == 0 and not r7["other_errors"])))
    return out


def table(results: dict) -> str:
    header = ("#", "measure", "figures", "baseline (same run)", "ratio", "target", "met")
    body = lines(results)
    widths = [max(len(str(row[i])) for row in (header, *body)) for i in range(len(header))]
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    text = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)) + " |", sep]
    text += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in body]
    scale = f"scale: {results['main']['label']} (row 4 baseline: {results['base']['label']})"
    if results.get("scratch_from"):
        scale += f"; rows 5–7 on a copy of {results['scratch_from']}"
    return "\n".join([scale, *text, f"elapsed {results.get('elapsed', 0):.0f} s"])
