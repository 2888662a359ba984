"""Two writers queueing the same message (same dedupe key) at once: the second
finds the first's row and carries on; its transaction is not spoiled."""

import threading

import pytest
from django.db import connection, transaction

from imbizo.notify.models import OutboxMessage
from imbizo.notify.services import message_enqueue

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="an insert waiting on another's uncommitted row needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

DIGEST = {"channel": "email", "recipient": "manager@example.org", "template": "client_survey",
          "context": {"url": "https://example.org/survey/x/", "name": "Thandi"},
          "dedupe_key": "digest:2026-11:7"}


def test_the_second_writer_of_a_deduplicated_message_yields_to_the_first(world):
    queued, release = threading.Event(), threading.Event()

    def first_worker():
        try:
            with transaction.atomic():
                message_enqueue(**DIGEST)
                queued.set()
                release.wait(timeout=10)  # commits while the second waits on its row
        finally:
            connection.close()

    first = threading.Thread(target=first_worker)
    first.start()
    assert queued.wait(timeout=10)
    threading.Timer(0.5, release.set).start()

    with transaction.atomic():
        second = message_enqueue(**DIGEST)
        also = message_enqueue(**{**DIGEST, "dedupe_key": "digest:2026-11:8"})
    first.join(timeout=10)

    assert second is None and also is not None
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == [
        "digest:2026-11:7", "digest:2026-11:8"]
