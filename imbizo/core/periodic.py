"""Periodic work: which tasks the worker's ticker enqueues, and how often.

Apps register their sweeps here at import time of their `tasks` module; the
ticker (`imbizo worker`) enqueues each one when it falls due, unless one is
already waiting, so a slow sweep never piles up copies of itself.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicTask:
    task: object  # a django_tasks Task
    every_seconds: float


_registry: dict[str, PeriodicTask] = {}


def periodic(every_seconds: float):
    """Decorator for a django_tasks Task: run it every `every_seconds` from the worker."""

    def register(task):
        _registry[task.module_path] = PeriodicTask(task=task, every_seconds=every_seconds)
        return task

    return register


def periodic_tasks() -> dict[str, PeriodicTask]:
    return dict(_registry)
