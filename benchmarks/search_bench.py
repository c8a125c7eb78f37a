"""FAQ search: top-3 hit rates per language on both question sets, the off-topic rate, timing.

    .venv/bin/python benchmarks/search_bench.py [--repeat 20]

Loads the real FAQ (content/faq), builds the index (timed), then measures with the real search:
the top-3 hit rate per language on the first question set (tests/data/search_questions/) and on
the set written as people type (tests/data/people_questions.yaml), and the share of off-topic
questions (tests/data/offtopic_questions.yaml, calib and heldout halves) that get no entry (the
"no answer yet" screen). Then runs every covered question `--repeat` times and prints p50/p99
time per search in ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.rights import evaluate  # noqa: E402
from bot.rights.content import load_faq  # noqa: E402
from bot.rights.lexicon import load_lexicon  # noqa: E402
from bot.rights.search import FaqSearch  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs over all questions")
    args = parser.parse_args()
    first = evaluate.load_set(evaluate.FIRST_SET)
    people = evaluate.load_set(evaluate.PEOPLE_SET)
    offtopic = evaluate.load_set(evaluate.OFFTOPIC_SET)
    started = time.perf_counter()
    faq = load_faq()
    lexicon = load_lexicon()
    loaded = time.perf_counter()
    index = FaqSearch.build(faq, lexicon)
    built = time.perf_counter()
    print(
        f"FAQ: {len(faq.entries)} entries x 3 languages; YAML load {1000 * (loaded - started):.0f}"
        f" ms, index build {1000 * (built - loaded):.0f} ms"
    )
    for name, questions in (("first set", first), ("people set", people)):
        rates = evaluate.top3_rates(index, questions)
        for lang in rates.languages():
            print(f"top-3 hit rate, {name}, {lang}: {rates.line(lang)}")
        print(f"top-3 hit rate, {name}, all: {rates.total():.1%}")
    for split in ("calib", "heldout", None):
        rates = evaluate.honest_rates(index, offtopic, split)
        asked, passed = sum(rates.asked.values()), sum(rates.passed.values())
        per_lang = ", ".join(f"{lang} {rates.line(lang)}" for lang in rates.languages())
        print(
            f"off-topic honest rate, {split or 'all'}: {passed}/{asked} = {rates.total():.1%} ({per_lang})"
        )
    timings: list[float] = []
    for _run in range(args.repeat):
        for item in first + people:
            t0 = time.perf_counter()
            index.search(item["q"], limit=3)
            timings.append(time.perf_counter() - t0)
    ms = sorted(t * 1000 for t in timings)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"search time over {len(ms)} searches: p50 {statistics.median(ms):.2f} ms, "
        f"p99 {p99:.2f} ms, max {ms[-1]:.2f} ms"
    )
    long_text = ("меня избили в отделе милиции и не дают адвоката " * 100)[:4096]
    t0 = time.perf_counter()
    for _run in range(20):
        index.search(long_text)
    each = (time.perf_counter() - t0) / 20 * 1000
    short = statistics.median(ms)
    print(f"a 4,096-character message: {each:.2f} ms a search ({each / short:.1f}× a typical one)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
