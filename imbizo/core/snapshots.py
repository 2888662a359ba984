"""A value built from the database and kept per process for a while (ADR 0004)."""

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ProcessSnapshot(Generic[T]):
    """`get()` returns the value `build()` made at most `ttl` seconds ago;
    `reset()` makes the next `get()` build it again. Thread-safe."""

    def __init__(self, build: Callable[[], T], *, ttl: float,
                 monotonic: Callable[[], float] = time.monotonic):
        self._build = build
        self.ttl = ttl
        self._now = monotonic
        self._lock = threading.Lock()
        self._value: T | None = None
        self._built_at = 0.0

    def _fresh(self) -> bool:
        return self._value is not None and self._now() - self._built_at < self.ttl

    def get(self) -> T:
        if self._fresh():
            return self._value
        with self._lock:
            if not self._fresh():
                self._value = self._build()
                self._built_at = self._now()
            return self._value

    def reset(self) -> None:
        with self._lock:
            self._value = None
