"""A task for tests/ops/test_reclaim.py that a real worker process imports
(started in the repository's root, where `tests` is importable)."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def append_when_released(hold: str, effects: str) -> int:
    """Wait while the file `hold` exists, then append this process's id to
    `effects`: the one visible effect of a run that completed."""
    while Path(hold).exists():
        time.sleep(0.05)
    with open(effects, "a") as out:
        out.write(f"{os.getpid()}\n")
    return os.getpid()
