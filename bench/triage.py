"""Triage benchmark: train on the demo's history, evaluate on the hand-written
fixture (tests/fixtures/triage/descriptions.csv), time suggest().

Default: builds the demo municipality with CASES (20,000) historical cases in a
database of its own (PostgreSQL when reachable, else SQLite), trains a model on
its closed cases as `imbizo triage train` does, then for each fixture line asks
the model for its ranking (accuracy, macro F1 over the fixture's services,
top-3), asks suggest() for the whole answer (latency p50/p99 over RUNS passes;
how many get a suggestion above the threshold and how many of those are right;
urgency and language agreement, per language), and ends with

    triage: accuracy A, macro-F1 F, top-3 T, p99 P ms

followed by the duplicate finder's line when bench/triage_duplicates.py exists
(its `duplicates_report()` returns the line; it may use the same database).

--cases 200000: the scale check instead of the demo: 200,000 cases in the
demo's phrasings, each with its own place words so that nearly all texts are
distinct, trained in process (time, peak memory from getrusage), then the same
fixture figures and suggest() p99 with that model.

Usage: .venv/bin/python bench/triage.py [--cases 20000] [--runs 5]
"""

import argparse
import csv
import importlib.util
import random
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from _setup import ROOT, database_fresh, django_start, machine

DB = "imbizo_bench_triage"
SEED = 2026
FIXTURE = ROOT / "tests" / "fixtures" / "triage" / "descriptions.csv"


def cpu_seconds() -> float:
    """CPU time of this process and its threads (SGD uses two): on a shared,
    busy machine the wall time says more about the neighbours."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def fixture() -> list[dict]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def demo_history(cases: int) -> None:
    import datetime

    from imbizo.core import clock
    from imbizo.demo.history import history_build
    from imbizo.demo.municipality import demo_build

    demo_build(seed=SEED)
    history_build(seed=SEED, cases=cases, until=clock.now() - datetime.timedelta(hours=1))


def synthetic(cases: int) -> list:
    """`cases` examples in the demo's phrasings with distinct place words."""
    from imbizo.demo.names import STREETS
    from imbizo.demo.triage_descriptions import PHRASES, describe
    from imbizo.triage.training import Example

    rng = random.Random(f"{SEED}:bench-triage")
    codes = sorted(PHRASES)
    out = []
    for _n in range(cases):
        code = rng.choice(codes)
        text, principles = describe(rng, code, code)
        text = f"{text} {rng.randint(1, 999)} {rng.choice(STREETS)} ext {rng.randint(1, 40)}"
        out.append(Example(text, code, tuple(principles)))
    return out


def fixture_figures(rows: list[dict], runs: int) -> dict:
    import numpy as np

    from imbizo.triage.model import model_in_use
    from imbizo.triage.suggest import suggest

    model = model_in_use()
    truth = [r["service"] for r in rows]
    ranked = []
    for r in rows:
        cols, values = model.features(r["description"])
        scores = model.service_scores(cols, values)
        ranked.append([model.services[i] for i in np.argsort(-scores)[:3]])
    first = [x[0] for x in ranked]
    f1s = []
    for code in sorted(set(truth)):
        tp = sum(t == code and p == code for t, p in zip(truth, first, strict=True))
        fp = sum(t != code and p == code for t, p in zip(truth, first, strict=True))
        fn = sum(t == code and p != code for t, p in zip(truth, first, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    times, answers = [], []
    for _ in range(runs):
        answers = []
        for r in rows:
            started = time.perf_counter()
            answers.append(suggest(description=r["description"]))
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    suggested = [(r, a) for r, a in zip(rows, answers, strict=True) if a.services]
    languages = Counter(r["language"] for r in rows)
    language_right = Counter(r["language"] for r, a in zip(rows, answers, strict=True)
                             if a.language == r["language"])
    return {
        "n": len(rows),
        "accuracy": sum(t == p for t, p in zip(truth, first, strict=True)) / len(rows),
        "macro_f1": statistics.fmean(f1s),
        "top3": sum(t in x for t, x in zip(truth, ranked, strict=True)) / len(rows),
        "p50": times[len(times) // 2], "p99": times[int(len(times) * 0.99) - 1],
        "answered": len(suggested) / len(rows),
        "answered_right": (sum(a.services[0].code == r["service"] for r, a in suggested)
                           / (len(suggested) or 1)),
        "urgency": sum(a.urgency == r["urgency"] for r, a in zip(rows, answers, strict=True))
        / len(rows),
        "language": sum(language_right.values()) / len(rows),
        "per_language": {code: f"{language_right[code]}/{n}" for code, n in
                         sorted(languages.items())},
    }


def duplicates_line() -> str | None:
    """The duplicate finder's figures, when its bench module is present."""
    path = Path(__file__).with_name("triage_duplicates.py")
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("triage_duplicates", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.duplicates_report()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    scale = args.cases > 50_000

    engine = django_start(database_fresh(DB))
    from django.test.utils import override_settings

    from imbizo.triage.training import model_train

    print(f"machine: {machine()}; database: {engine}")
    started = time.perf_counter()
    if scale:
        from imbizo.demo.municipality import demo_build

        demo_build(seed=SEED)  # the 44 services, for suggest()'s names
        started = time.perf_counter()
        examples = synthetic(args.cases)
        print(f"{len(examples):,} cases made ({time.perf_counter() - started:.1f} s), "
              f"{len({e.text for e in examples}):,} distinct texts")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cpu = cpu_seconds()
        started = time.perf_counter()
        row = model_train(examples=examples, trained_by="bench")
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"training: {seconds:.1f} s wall, {cpu:.1f} s CPU for {args.cases:,} cases "
              f"(steps: {row.evaluation['timings']}); peak memory {peak:.0f} MiB "
              f"(before training {before:.0f} MiB); model {len(row.arrays) / 2**20:.1f} MiB, "
              f"{row.evaluation and len(row.evaluation['services'])} services")
    else:
        demo_history(args.cases)
        print(f"demo with {args.cases:,} cases built ({time.perf_counter() - started:.1f} s)")
        started, cpu = time.perf_counter(), cpu_seconds()
        row = model_train(trained_by="bench")
        print(f"training: {time.perf_counter() - started:.1f} s wall, {cpu_seconds() - cpu:.1f} s "
              f"CPU on {row.cases:,} closed cases, "
              f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"held-back tenth ({row.held_back:,} cases of the training data): accuracy "
          f"{row.accuracy:.3f}, macro-F1 {row.macro_f1:.3f}, top-3 {row.top3:.3f}; "
          f"principles learned: {', '.join(row.evaluation['principles']) or 'none'}")
    with override_settings(TRIAGE_MODEL_CHECK_SECONDS=30):
        f = fixture_figures(fixture(), args.runs)
    print(f"fixture ({f['n']} hand-written): suggestions above the threshold for "
          f"{f['answered']:.0%}, of which right {f['answered_right']:.0%}; urgency agrees "
          f"{f['urgency']:.0%}; language right {f['language']:.0%} "
          f"({', '.join(f'{k} {v}' for k, v in f['per_language'].items())}); "
          f"suggest() p50 {f['p50']:.2f} ms")
    print(f"triage: accuracy {f['accuracy']:.3f}, macro-F1 {f['macro_f1']:.3f}, "
          f"top-3 {f['top3']:.3f}, p99 {f['p99']:.2f} ms")
    line = duplicates_line()
    if line:
        print(line)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
