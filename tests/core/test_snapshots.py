from imbizo.core.snapshots import ProcessSnapshot


def test_a_snapshot_is_built_once_until_reset_or_stale():
    builds, now = [], [0.0]
    snapshot = ProcessSnapshot(lambda: builds.append(1) or len(builds), ttl=30,
                               monotonic=lambda: now[0])

    assert snapshot.get() == snapshot.get() == 1
    snapshot.reset()
    assert snapshot.get() == 2
    now[0] = 29.0
    assert snapshot.get() == 2
    now[0] = 31.0
    assert snapshot.get() == 3
