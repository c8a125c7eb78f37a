"""Start-up time: from process start (`python -m bot`) to the first update answered.

The fake Bot API runs in this process; a person's /start is already queued when the bot process
is spawned, so the figure covers interpreter start, imports, database migrations, content
loading, the first getUpdates and the answer. Also measures `python -m bot demo --script`:
time to "demo ready" (its --timing line), total run time and peak RSS of the demo process.

    python -m benchmarks.startup [--runs 5 --json out.json]

Both bots start as the image starts them: their bytecode compiled beforehand (aiogram's is
compiled when pip installs it; ours by `compileall`, as the Dockerfile does, since
PYTHONDONTWRITEBYTECODE may be set) and the guide's search index compiled
(`python -m bot faq build-index`) and the UI catalogs (`python -m bot i18n compile`). One more
start with neither compiled is printed apart.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import ROOT, cpu_s, spawn, start_fake, stop
from bot import LOCALES
from bot.i18n import LOCALES_DIR, compiled_path
from bot.rights.index_file import INDEX_PATH

DEMO_SCRIPT = ROOT / "tests" / "demo_scripts" / "foundation.txt"


BOT = ("-m", "bot")
BARE = ("-m", "benchmarks.echo_bot")
IDLE_SETTLE_S = 3.0  # after the first answer, before reading the idle memory


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_start(command: tuple[str, ...] = BOT) -> tuple[float, float, float]:
    """Seconds from spawning `command` to its answer of a queued /start, its RSS (MB) once
    idle after that, and the CPU seconds it had used when the answer came (less sensitive to a
    shared machine's other work than the wall clock)."""
    fake = await start_fake()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            await fake.send_text(4242, "/start", language_code="ru")
            started = time.perf_counter()
            process = await spawn(fake, Path(tmp) / "bot.sqlite3", *command)
            try:
                answer = await fake.wait_for(
                    lambda: next((e for e in fake.events if e.chat_id == 4242), None), 30
                )
                cpu = cpu_s(process.pid)
                await asyncio.sleep(IDLE_SETTLE_S)
                idle = rss_mb(process.pid)
            finally:
                await stop(process)
            return answer.at - started, idle, cpu
    finally:
        await fake.stop()


def demo_run() -> dict[str, float]:
    """`python -m bot demo --script` in a child: ready time, wall time, peak RSS (ru_maxrss)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", "--script", str(DEMO_SCRIPT), "--timing"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert process.stderr is not None
    stderr = process.stderr.read().decode(errors="replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    ready = re.search(r"demo ready in ([0-9.]+) s", stderr)
    return {
        "ready_s": float(ready.group(1)) if ready else float("nan"),
        "wall_s": wall,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "exit_status": os.waitstatus_to_exitcode(status),
    }


def prepare_like_the_image() -> None:
    """What the Dockerfile does before the first start: bytecode and the guide's index."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "bot", "handlers", "jobs"], check=True, cwd=ROOT
    )
    for command in (("faq", "build-index"), ("i18n", "compile")):
        subprocess.run(
            [sys.executable, "-m", "bot", *command], check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )


def without_compiled_index() -> tuple[float, float, float]:
    """One start that has to build the guide's index and compile the catalogs (the first start
    after an edit of the guide and of every .po file)."""
    (ROOT / "content" / INDEX_PATH).unlink(missing_ok=True)
    for locale in LOCALES:
        compiled_path(locale, LOCALES_DIR).unlink(missing_ok=True)
    try:
        return asyncio.run(one_start(BOT))
    finally:
        prepare_like_the_image()


def import_floor() -> float:
    """Seconds a bare `python -c "import aiogram.types"` takes: the floor any aiogram bot pays."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import aiogram.types"], check=True, cwd=ROOT)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    prepare_like_the_image()
    ours, bare = [], []
    for _ in range(args.runs):  # interleaved: both see the same moments of a shared machine
        ours.append(asyncio.run(one_start(BOT)))
        bare.append(asyncio.run(one_start(BARE)))
    median = statistics.median
    times, bare_times = [t for t, _, _ in ours], [t for t, _, _ in bare]
    ratio = median(times) / median(bare_times)
    cpu_ratio = median(c for _, _, c in ours) / median(c for _, _, c in bare)
    memory = median(m for _, m, _ in ours) - median(m for _, m, _ in bare)
    result: dict[str, Any] = {
        "first_answer_s": times,
        "median_s": median(times),
        "max_s": max(times),
        "bare_first_answer_s": bare_times,
        "bare_median_s": median(bare_times),
        "ratio_to_bare": ratio,
        "cpu_to_first_answer_s": [c for _, _, c in ours],
        "bare_cpu_to_first_answer_s": [c for _, _, c in bare],
        "cpu_ratio_to_bare": cpu_ratio,
        "idle_rss_mb": median(m for _, m, _ in ours),
        "bare_idle_rss_mb": median(m for _, m, _ in bare),
        "idle_rss_over_bare_mb": memory,
        "goal_met": ratio <= 1.1 and memory <= 15,
        "import_aiogram_s": import_floor(),
    }
    cold = without_compiled_index()
    result["nothing_compiled"] = {
        "first_answer_s": cold[0],
        "idle_rss_mb": cold[1],
        "cpu_s": cold[2],
    }
    print(
        f"start-up to first answer over {args.runs} runs: median {result['median_s']:.2f} s "
        f"against the bare bot's {result['bare_median_s']:.2f} s: ratio {ratio:.2f} (goal ≤ 1.1);"
        f" CPU used by then: ratio {cpu_ratio:.2f}; idle RSS {result['idle_rss_mb']:.1f} MB against"
        f" {result['bare_idle_rss_mb']:.1f} MB: +{memory:.1f} MB (goal ≤ +15);"
        f" `import aiogram.types` alone takes {result['import_aiogram_s']:.2f} s"
    )
    print(
        f"a start with nothing compiled (the guide's index built, the catalogs compiled):"
        f" {cold[0]:.2f} s, {cold[2]:.2f} s of CPU, idle RSS {cold[1]:.1f} MB"
    )
    if DEMO_SCRIPT.exists():
        demo = [demo_run() for _ in range(3)]
        result["demo"] = demo
        print(
            "demo --script: ready in "
            + ", ".join(f"{d['ready_s']:.2f}" for d in demo)
            + " s; whole script "
            + ", ".join(f"{d['wall_s']:.2f}" for d in demo)
            + " s; peak RSS "
            + ", ".join(f"{d['peak_rss_mb']:.0f}" for d in demo)
            + " MB"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
