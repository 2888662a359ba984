"""The duplicate finder's line of `make bench-triage` (bench/triage.py calls
`duplicates_report()` once the demo is built in its database).

Plants the demo's duplicates (imbizo.demo.triage_duplicates: pairs written by
hand, one problem reported twice or two problems that look alike, with the
ground truth) into that database, among the demo's history, and asks the
duplicate finder for each second report's best hit as it came in:

    duplicates: precision P, recall R on N planted pairs (M look-alikes), p99 Q ms

Run alone (`.venv/bin/python bench/triage_duplicates.py`) it builds the demo
with a short history first.
"""

import statistics


def duplicates_report() -> str:
    from imbizo.demo.triage_duplicates import duplicates_plant, duplicates_score

    score = duplicates_score(duplicates_plant(seed=1))
    timings = sorted(score.timings_ms)
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))] if timings else 0.0
    return (f"duplicates: precision {score.precision:.3f}, recall {score.recall:.3f} on "
            f"{score.pairs} planted pairs ({score.near_misses} look-alikes), found "
            f"{score.found}, offered {score.offered}; p50 "
            f"{statistics.median(timings) if timings else 0:.2f} ms, p99 {p99:.2f} ms")


def main() -> None:
    import datetime
    import time

    from _setup import database_fresh, django_start, machine

    engine = django_start(database_fresh("imbizo_bench_duplicates"))
    from imbizo.core import clock
    from imbizo.demo.history import history_build
    from imbizo.demo.municipality import demo_build

    started = time.perf_counter()
    demo_build(seed=1)
    history_build(seed=1, cases=5_000, until=clock.now() - datetime.timedelta(hours=1))
    print(f"machine: {machine()}; database: {engine}; demo with 5,000 cases "
          f"({time.perf_counter() - started:.1f} s)")
    print(duplicates_report())


if __name__ == "__main__":
    main()
