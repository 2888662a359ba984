"""Where an import's wall time goes: seconds by phase, summed over the batches."""

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


class Phases:
    """`with phases("write"):` adds the block's wall time to `seconds["write"]`."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started

    def timed(self, items: Iterable, name: str) -> Iterator:
        """`items`, the time taken to produce each added to `name`."""
        iterator = iter(items)
        while True:
            with self(name):
                item = next(iterator, _END)
            if item is _END:
                return
            yield item

    @contextmanager
    def commit(self) -> Iterator[None]:
        """Around a transaction.atomic block: the time from its last statement to the end
        of the commit (the block marks the moment with `commit_starts`)."""
        yield
        self.seconds["commit"] = time.perf_counter() - self._commit_started

    def commit_starts(self) -> None:
        self._commit_started = time.perf_counter()


_END = object()
