"""Field capture over OpenRosa: SUBMISSIONS household records sent by CLIENTS
concurrent phones to a real server (gunicorn on PostgreSQL), as ODK Collect
sends them, with REPEATS of them sent again and SPLIT of them split over two
POSTs; then the database is checked against what the phones were told.

Each phone is a field worker of its own (HTTP Basic, as Collect signs in).
It sends HEAD /openrosa/submission once, then each record as
multipart/form-data with `xml_submission_file`; a split record goes as the
XML alone with `*isIncomplete*=yes`, then the XML again with its photo. A
repeat is the whole record sent again after its 201 (a phone that never
heard the answer); half of the repeats race instead: the record is sent
twice at the same moment on two connections (a phone that timed out and
retried while the first request was still being served), and exactly one of
the two must be 201, the other 202. A try that fails on the network or with a 5xx is retried
with the same instanceID, as Collect retries.

Reported:
- submissions per second: distinct records acknowledged (201) / wall time;
- duplicates stored: records whose bench marker appears more than once (goal 0);
- lost: acknowledged instanceIDs missing, or split records left incomplete (goal 0);
- repeats answered 202 (goal: all), racing pairs answered one 201 and one
  202 (goal: all), and p50/p99 of every POST.

Ends with: field: N submissions in S s = R/s, duplicates D, lost L, p99 P ms

Usage: .venv/bin/python bench/field.py [--submissions 10000] [--clients 20]
       [--repeats 0.10] [--split 0.05] [--workers 4] [--keep]
"""

import argparse
import base64
import collections
import http.client
import io
import os
import random
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

from _harness import (
    VAR,
    Processes,
    django_setup,
    free_port,
    gunicorn_argv,
    postgres_database_create,
    postgres_database_drop,
    wait_http,
)
from _setup import machine

DATABASE = "imbizo_bench_field"
PASSWORD = "bench field worker passphrase"  # noqa: S105 - a bench account on a throwaway database
NEEDS = ("water", "sanitation", "electricity", "refuse", "housing", "roads", "safety",
         "social_grants", "health", "education", "jobs")
# One 0.1-degree ward per client's assignment, side by side from 28.0 E.
WARD_SIZE = 0.1


def seed(clients: int) -> list[str]:
    """An institution, one ward per client, the household survey, and one field
    worker per client assigned to its ward; their user names."""
    from django.contrib.auth import get_user_model

    from imbizo.field.models import FieldAssignment
    from imbizo.field.services import household_survey_ensure
    from imbizo.geo.services import ward_save
    from imbizo.org.models import Department, Institution, Office, Role, Staff

    Institution.objects.create(pk=1, name="Bench Metro")
    household_survey_ensure()
    department = Department.objects.create(code="field", name="Community development")
    office = Office.objects.create(code="field", name="Field office", department=department)
    names = []
    password_hash = None
    for n in range(clients):
        west = 28.0 + n * WARD_SIZE
        ward = ward_save(code=f"F{n + 1}", name=f"Field ward {n + 1}", boundary={
            "type": "Polygon", "coordinates": [[[west, -26.3], [west + WARD_SIZE, -26.3],
                                                [west + WARD_SIZE, -26.2], [west, -26.2],
                                                [west, -26.3]]]})
        user = get_user_model()(username=f"cdw{n + 1}", is_active=True)
        if password_hash is None:
            user.set_password(PASSWORD)  # Argon2 once; every worker shares the passphrase
            password_hash = user.password
        user.password = password_hash
        user.save()
        Staff.objects.create(user=user, role=Role.OFFICER, office=office, department=department)
        FieldAssignment.objects.create(worker=user, ward=ward, target_households=1000)
        names.append(user.username)
    return names


def png_bytes() -> bytes:
    """A small real photo (the server checks that an image is one)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png_bytes()


def instance_xml(instance_id: str, ward: int, marker: str, photo: bool) -> bytes:
    rng = random.Random(instance_id)
    west = 28.0 + ward * WARD_SIZE
    lat, lon = -26.3 + rng.uniform(0.01, 0.09), west + rng.uniform(0.01, 0.09)
    needs = " ".join(rng.sample(NEEDS, rng.randint(1, 4)))
    photo_part = "<photo>door.png</photo>" if photo else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<household-needs xmlns:jr="http://openrosa.org/javarosa" id="household-needs" version="1">'
        "<start>2026-12-07T09:00:00.000+02:00</start><end>2026-12-07T09:06:00.000+02:00</end>"
        f"<ward/><location>{lat:.6f} {lon:.6f} 1500 4</location><needs>{needs}</needs>"
        f"<urgency>{rng.choice(['urgent', 'soon', 'can_wait'])}</urgency>"
        f"<people>{rng.randint(1, 9)}</people><notes>{marker}</notes>{photo_part}"
        f"<meta><instanceID>{instance_id}</instanceID></meta></household-needs>").encode()


def multipart(xml: bytes, files: dict[str, bytes], incomplete: bool) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [(b'Content-Disposition: form-data; name="xml_submission_file"; '
              b'filename="instance.xml"\r\nContent-Type: text/xml', xml)]
    for name, data in files.items():
        parts.append((f'Content-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
                      "Content-Type: image/png".encode(), data))
    if incomplete:
        parts.append((b'Content-Disposition: form-data; name="*isIncomplete*"', b"yes"))
    body = b"".join(f"--{boundary}\r\n".encode() + head + b"\r\n\r\n" + data + b"\r\n"
                    for head, data in parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: set = field(default_factory=set)  # instanceIDs answered 201 (or 202)
    split: set = field(default_factory=set)
    repeats_sent: int = 0
    repeats_202: int = 0
    races: int = 0
    races_one_each: int = 0  # racing pairs answered exactly one 201 and one 202
    statuses: collections.Counter = field(default_factory=collections.Counter)
    retries: int = 0
    latencies: list = field(default_factory=list)


class Phone(threading.Thread):
    def __init__(self, *, port: int, username: str, index: int, jobs: list, marker: str,
                 tally: Tally):
        super().__init__(daemon=True)
        self.port, self.index, self.jobs, self.marker, self.tally = port, index, jobs, marker, tally
        self.auth = "Basic " + base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
        self.failure: str | None = None

    def _request(self, method: str, body: bytes = b"", content_type: str = "") -> int:
        headers = {"Authorization": self.auth, "X-OpenRosa-Version": "1.0"}
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in range(8):
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                connection.request(method, "/openrosa/submission", body=body or None,
                                   headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
            except OSError:
                status = 0
            else:
                status = response.status
            if method == "POST":
                with self.tally.lock:
                    self.tally.latencies.append(time.monotonic() - started)
            if status and status < 500:
                return status
            with self.tally.lock:
                self.tally.retries += 1
            time.sleep(0.2 * (attempt + 1))
        return status

    def _send(self, instance_id: str, split: bool) -> int:
        xml = instance_xml(instance_id, self.index, self.marker, photo=split)
        if split:
            body, kind = multipart(xml, {}, incomplete=True)
            first = self._request("POST", body, kind)
            if first not in (201, 202):
                return first
            body, kind = multipart(xml, {"door.png": PNG}, incomplete=False)
            return self._request("POST", body, kind)
        body, kind = multipart(xml, {}, incomplete=False)
        return self._request("POST", body, kind)

    def _race(self, instance_id: str) -> None:
        """The same record on two connections at once."""
        statuses = []
        rival = threading.Thread(target=lambda: statuses.append(self._send(instance_id, False)))
        rival.start()
        statuses.append(self._send(instance_id, False))
        rival.join()
        with self.tally.lock:
            self.tally.races += 1
            self.tally.races_one_each += sorted(statuses) == [201, 202]
            for status in statuses:
                self.tally.statuses[f"race {status}"] += 1
            if 201 in statuses:
                self.tally.acknowledged.add(instance_id)

    def run(self):
        try:
            head = self._request("HEAD")
            if head != 204:
                raise RuntimeError(f"HEAD /openrosa/submission answered {head}")
            for instance_id, split, repeat in self.jobs:
                if repeat and not split and random.random() < 0.5:
                    self._race(instance_id)
                    continue
                status = self._send(instance_id, split)
                with self.tally.lock:
                    self.tally.statuses[status] += 1
                    if status == 201:
                        self.tally.acknowledged.add(instance_id)
                        if split:
                            self.tally.split.add(instance_id)
                if repeat and status == 201:
                    again = self._send(instance_id, split)
                    with self.tally.lock:
                        self.tally.repeats_sent += 1
                        self.tally.repeats_202 += again == 202
                        self.tally.statuses[f"repeat {again}"] += 1
        except Exception as exc:  # noqa: BLE001 - reported, and the bench fails
            self.failure = f"{type(exc).__name__}: {exc}"


def verify(tally: Tally, marker: str) -> dict:
    from django.db.models import Count

    from imbizo.field.models import FieldRecord, FieldRecordRevision

    records = FieldRecord.objects.filter(answers__notes=marker)
    stored = set(records.values_list("instance_id", flat=True))
    incomplete = set(records.filter(complete=False).values_list("instance_id", flat=True))
    # Every submission's answers differ by instance (its seeded random
    # answers), so two records with the same instanceID's answers would be a
    # duplicate; the UNIQUE instance_id makes that impossible, and this counts
    # what a bug would leave: more rows, or more revisions, than submissions.
    duplicated = records.values("answers").annotate(n=Count("id")).filter(n__gt=1).count()
    revisions = FieldRecordRevision.objects.filter(record__answers__notes=marker).count()
    return {
        "stored": len(stored),
        "lost": len(tally.acknowledged - stored) + len(tally.split & incomplete),
        "duplicated": duplicated + max(0, revisions - len(stored)),
        "unacknowledged_stored": len(stored - tally.acknowledged),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--repeats", type=float, default=0.10, help="share sent twice")
    parser.add_argument("--split", type=float, default=0.05, help="share split over two POSTs")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    port = free_port()
    url = postgres_database_create(DATABASE)
    media = VAR / "bench-field" / "media"
    env_extra = {"ACCESS_LOG_LEVEL": "WARNING", "LOG_LEVEL": "WARNING",
                 "SITE_URL": f"http://127.0.0.1:{port}", "MEDIA_ROOT": str(media)}
    processes = Processes(VAR / "bench-field")
    try:
        django_setup(url, env_extra)
        usernames = seed(args.clients)
        from django.db import connection

        connection.close()
        print(f"database: PostgreSQL ({DATABASE}); machine: {machine()}; "
              f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        web = processes.start("gunicorn", gunicorn_argv(port, args.workers), {**os.environ})
        wait_http(f"http://127.0.0.1:{port}/healthz", process=web)

        marker = f"bench-{uuid.uuid4().hex[:8]}"
        rng = random.Random(17)
        jobs: list[list] = [[] for _ in range(args.clients)]
        for n in range(args.submissions):
            jobs[n % args.clients].append((f"uuid:{uuid.UUID(int=rng.getrandbits(128))}",
                                           rng.random() < args.split, rng.random() < args.repeats))
        tally = Tally()
        phones = [Phone(port=port, username=usernames[i], index=i, jobs=jobs[i], marker=marker,
                        tally=tally) for i in range(args.clients)]
        started = time.monotonic()
        for phone in phones:
            phone.start()
        for phone in phones:
            phone.join()
        seconds = time.monotonic() - started
        failures = [phone.failure for phone in phones if phone.failure]
        result = verify(tally, marker)
    finally:
        processes.stop_all()
        if not args.keep:
            from django.db import connections

            connections.close_all()
            postgres_database_drop(DATABASE)

    latencies = sorted(tally.latencies)
    p50 = statistics.median(latencies) * 1000 if latencies else 0.0
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0
    rate = len(tally.acknowledged) / seconds if seconds else 0.0
    print(f"clients {args.clients}, gunicorn workers {args.workers}; "
          f"records {args.submissions}, of them split {len(tally.split)}, "
          f"repeats sent {tally.repeats_sent} (answered 202: {tally.repeats_202}), "
          f"racing pairs {tally.races} (one 201 and one 202: {tally.races_one_each}); "
          f"POSTs {len(latencies)}, network or 5xx retries {tally.retries}")
    print(f"statuses: {dict(sorted(tally.statuses.items(), key=str))}")
    print(f"stored {result['stored']}, acknowledged {len(tally.acknowledged)}, "
          f"stored but never acknowledged {result['unacknowledged_stored']}")
    print(f"POST latency p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    for failure in failures:
        print(f"phone failed: {failure}", file=sys.stderr)
    print(f"field: {len(tally.acknowledged)} submissions in {seconds:.1f} s = {rate:.1f}/s, "
          f"duplicates {result['duplicated']}, lost {result['lost']}, p99 {p99:.0f} ms")
    ok = (not failures and result["duplicated"] == 0 and result["lost"] == 0
          and len(tally.acknowledged) == args.submissions
          and tally.repeats_202 == tally.repeats_sent and tally.races_one_each == tally.races)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
