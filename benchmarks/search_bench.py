"""FAQ search: top-3 hit rate per language and time per search over all test questions.

    /work/venv/bin/python benchmarks/search_bench.py [--repeat 20]

Loads the real FAQ (content/faq), builds the index (timed), then runs every question of
tests/data/search_questions/*.yaml `--repeat` times and prints p50/p99 time per search in ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.rights.content import load_faq  # noqa: E402
from bot.rights.search import FaqSearch, load_lexicon  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs over all questions")
    args = parser.parse_args()
    questions: list[dict] = []
    for path in sorted((ROOT / "tests" / "data" / "search_questions").glob("*.yaml")):
        questions.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    started = time.perf_counter()
    faq = load_faq()
    lexicon = load_lexicon()
    loaded = time.perf_counter()
    index = FaqSearch(faq, lexicon)
    built = time.perf_counter()
    print(
        f"FAQ: {len(faq.entries)} entries x 3 languages; YAML load {1000 * (loaded - started):.0f}"
        f" ms, index build {1000 * (built - loaded):.0f} ms"
    )
    asked: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    timings: list[float] = []
    for run in range(args.repeat):
        for item in questions:
            t0 = time.perf_counter()
            found = index.search(item["q"], limit=3)
            timings.append(time.perf_counter() - t0)
            if run == 0:
                asked[item["lang"]] += 1
                hits[item["lang"]] += item["expect"] in [hit.entry_id for hit in found]
    for lang in ("tg", "ru", "en"):
        print(f"top-3 hit rate {lang}: {hits[lang]}/{asked[lang]} = {hits[lang] / asked[lang]:.1%}")
    total = sum(hits.values()) / sum(asked.values())
    print(f"top-3 hit rate all: {total:.1%}")
    ms = sorted(t * 1000 for t in timings)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"search time over {len(ms)} searches: p50 {statistics.median(ms):.2f} ms, "
        f"p99 {p99:.2f} ms, max {ms[-1]:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
