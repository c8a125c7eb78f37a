"""The health check's cost: wall time and peak memory of `python -m bot healthcheck`, against a
bare `python -c pass` in the same run (Docker runs the check every 60 s).

    .venv/bin/python -m benchmarks.healthcheck [--runs 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S, GOAL_MB = 0.3, 40


def measure(argv: list[str], cwd: str) -> tuple[float, float]:
    """Wall seconds and the child's peak RSS in MB (a fresh interpreter every time)."""
    started = time.perf_counter()
    script = (
        "import resource, subprocess, sys;"
        f"subprocess.run({argv!r}, cwd={cwd!r}, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd)
    return time.perf_counter() - started, int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env_cmd = [sys.executable, "-m", "bot", "healthcheck"]
        bare_cmd = [sys.executable, "-c", "pass"]
        (Path(tmp) / "bot").symlink_to(ROOT / "bot")
        check = [measure(env_cmd, tmp) for _ in range(args.runs)]
        bare = [measure(bare_cmd, tmp) for _ in range(args.runs)]
    check_s, bare_s = statistics.median(t for t, _ in check), statistics.median(t for t, _ in bare)
    check_mb, bare_mb = max(m for _, m in check), max(m for _, m in bare)
    figures = {
        "healthcheck_s": round(check_s, 3),
        "bare_python_s": round(bare_s, 3),
        "time_ratio": round(check_s / bare_s, 2),
        "healthcheck_peak_mb": round(check_mb, 1),
        "bare_python_peak_mb": round(bare_mb, 1),
    }
    print(
        f"healthcheck: {check_s * 1000:.0f} ms (bare python {bare_s * 1000:.0f} ms,"
        f" {check_s / bare_s:.2f}×), peak {check_mb:.1f} MB (bare {bare_mb:.1f} MB);"
        f" goal < {GOAL_S} s and < {GOAL_MB} MB"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
