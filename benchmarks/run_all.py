"""Run every benchmark (ours and the other features' when present) and keep the figures.

    python -m benchmarks.run_all [--quick]

Writes benchmarks/results/<name>.json and prints every figure. --quick runs smaller loads
(for a smoke check; the figures in docs/benchmarks.md come from the full run).
"""

from __future__ import annotations

import argparse
import platform
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
OURS = {
    "startup": ["--runs", "5"],
    "throughput": shlex.split(
        "--updates 3000 --users 300 --paced-updates 1000 --scenarios question start taps language"
    ),
    "webhook_taps": [],
    "memory": [],
    "healthcheck": ["--runs", "10"],
    "stats_chart": ["--runs", "5"],
    "backlog": ["--updates", "3000"],
    "feed_ingest": ["--runs", "3"],
}
QUICK = {
    "startup": ["--runs", "2"],
    "throughput": shlex.split(
        "--updates 1000 --users 200 --paced-updates 400 --scenarios question taps"
    ),
    "webhook_taps": ["--users", "50", "--taps", "500"],
    "memory": ["--seed-users", "100000", "--updates", "1000", "--users", "200"],
    "healthcheck": ["--runs", "3"],
    "stats_chart": ["--runs", "2", "--users", "1000"],
    "backlog": ["--updates", "500"],
    "feed_ingest": ["--runs", "1", "--articles", "20"],
}
# The other features' benchmarks, run as their docstrings say, when they exist.
OTHERS = {
    "broadcast_bench": shlex.split(
        "100000 --scale 10 --latency 0.05 --jitter 0.1 --stall-every 15 --compare"
    ),
    "search_bench": [],
    "reports_bench": [],
}


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return (
        f"{nproc} CPU(s), {cpu}, {mem_kb / 2**20:.1f} GiB RAM, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    print("machine:", machine(), flush=True)
    failed = []
    plan = [(name, (QUICK if args.quick else OURS)[name]) for name in OURS]
    plan += [(n, a) for n, a in OTHERS.items() if (ROOT / "benchmarks" / f"{n}.py").exists()]
    for name, extra in plan:
        print(f"\n== {name}", flush=True)
        if name in OURS:
            command = [sys.executable, "-m", f"benchmarks.{name}", *extra]
            command += ["--json", str(RESULTS / f"{name}.json")]
        else:
            command = [sys.executable, str(ROOT / "benchmarks" / f"{name}.py"), *extra]
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            failed.append(name)
    if failed:
        print("\nfailed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
