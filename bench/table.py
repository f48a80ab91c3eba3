"""The README's benchmark tables, in Markdown, from bench.measure's JSON.

python -m bench.table bench/results-sqlite-scale1.json
python -m bench.table bench/results-postgres-scale10.json --baseline bench/results-postgres-scale1.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def rows(results: list[dict]) -> list[str]:
    lines = [
        "| page | role | p50 ms | p95 ms | kB | queries | sql ms | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['role']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['bytes'] / 1024:.0f} | "
            f"{r['queries']} | {r['sql_ms']:.1f} | {r['ratio']:.2f} |"
        )
    return lines


def compared(results: list[dict], baseline: list[dict]) -> list[str]:
    before = {(r["name"], r["role"]): r for r in baseline}
    lines = [
        "| page | role | p50 ms (scale 1) | p50 ms | p95 ms (scale 1) | p95 ms | × p95 | queries | sql ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        b = before.get((r["name"], r["role"]))
        if b is None:
            continue
        times = r["p95_ms"] / b["p95_ms"] if b["p95_ms"] else 0
        lines.append(
            f"| {r['name']} | {r['role']} | {b['p50_ms']:.1f} | {r['p50_ms']:.1f} | {b['p95_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {times:.1f} | {r['queries']} | {r['sql_ms']:.1f} |"
        )
    return lines


def machine_speed(results: list[dict]) -> str:
    """The reference loop's time for each role's half of the run (bench.measure.cpu_reference_ms)."""
    logins = [r for r in results if r["name"].startswith("login") and r.get("cpu_ms")]
    speeds = [f"{r['cpu_ms']:.0f} ms ({r['role']})" for r in logins]
    return f"Reference Python loop during the run: {', '.join(speeds)}." if speeds else ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--baseline", type=Path, help="the smaller scale's results, to show both side by side")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text())
    if args.baseline:
        print("\n".join(compared(results, json.loads(args.baseline.read_text()))))
    else:
        print("\n".join(rows(results)))
    print(f"\n{machine_speed(results)}")


if __name__ == "__main__":
    main()
