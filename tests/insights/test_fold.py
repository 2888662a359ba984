"""The fold takes only committed deltas, each exactly once, whatever order
transactions commit in (no watermark)."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from imbizo.core.periodic import periodic_tasks
from imbizo.insights.models import CaseDelta, DailyCases, OpenLoad
from imbizo.insights.rollups import rollups_fold


def delta(**counts) -> CaseDelta:
    day = datetime.date(2026, 3, 2)
    return CaseDelta(day=day, month=day.replace(day=1), ward_id=1, service_id=1, office_id=1,
                     channel="web", **counts)


@pytest.mark.django_db(transaction=True)
def test_a_delta_committed_after_a_later_one_is_folded_next_time():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: a second writer cannot commit meanwhile")
    inserted, release, done = threading.Event(), threading.Event(), threading.Event()

    def slow_writer():
        with transaction.atomic():
            delta(opened=1, open=1).save()  # takes the lower id, commits last
            inserted.set()
            release.wait(10)
        connection.close()
        done.set()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    inserted.wait(10)
    delta(opened=10, open=10).save()  # a higher id, committed at once

    first = rollups_fold()
    release.set()
    done.wait(10)
    second = rollups_fold()
    thread.join()

    assert (first, second) == (1, 1)
    assert DailyCases.objects.get().opened == 11
    assert OpenLoad.objects.get().open == 11


@pytest.mark.django_db
def test_deltas_whose_sum_is_zero_leave_no_row():
    delta(opened=1, open=1).save()
    delta(opened=-1, open=-1).save()

    rollups_fold()

    assert not DailyCases.objects.exists() and not OpenLoad.objects.exists()


def test_the_worker_folds_every_ten_seconds():
    from imbizo.insights import tasks

    entry = periodic_tasks()[tasks.rollups_fold_task.module_path]

    assert entry.every_seconds == 10
