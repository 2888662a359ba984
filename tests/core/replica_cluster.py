"""A throwaway PostgreSQL primary and a real streaming replica on loopback ports.

For the replica test (tests/core/test_replica_streaming.py) and the replica
benchmark (bench/replica.py). The machine's own cluster allows no replication
connections, so both servers are new clusters: `initdb` into a temporary
directory, `pg_basebackup -R -X stream` from it for the replica. PostgreSQL
refuses to run as root, so when we are root every server command runs as the
postgres OS user (runuser). The servers are tuned to start fast and write
little (fsync off): they hold nothing that must survive.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

POSTGRES_ROOT = Path("/usr/lib/postgresql")
OS_USER = "postgres"
SUPERUSER = "postgres"

# Throwaway servers: nothing to keep, so no durability; small, so two fit beside the main one.
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "hot_standby": "on",
    "max_connections": "40",
    "logging_collector": "off",
}


class ClusterError(RuntimeError):
    """A throwaway server could not be made or started; the message says which step."""


def postgres_bin_dir(major: int | None = None) -> Path:
    """The bin directory of PostgreSQL `major` when installed, else of the newest installed."""
    versions = sorted((p for p in POSTGRES_ROOT.glob("*/bin") if p.parent.name.isdigit()),
                      key=lambda p: int(p.parent.name))
    if not versions:
        raise ClusterError(f"no PostgreSQL server binaries under {POSTGRES_ROOT}/<version>/bin")
    for path in versions:
        if major is not None and int(path.parent.name) == major:
            return path
    return versions[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", OS_USER, "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], *, step: str, timeout: float = 120) -> str:
    try:
        done = subprocess.run(_as_postgres(command), capture_output=True, text=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClusterError(f"{step}: {exc}") from exc
    if done.returncode != 0:
        raise ClusterError(f"{step} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return done.stdout


@dataclass
class Cluster:
    """One PostgreSQL server in `data_dir`, listening on 127.0.0.1:`port`."""

    bin_dir: Path
    data_dir: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        log = self.data_dir.parent / f"{self.data_dir.name}.log"
        _run([str(self.bin_dir / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(self.data_dir),
              "-l", str(log), "-o", f"-p {self.port} -k {self.data_dir.parent}"],
             step=f"starting the server in {self.data_dir} (log: {log})")

    def stop(self) -> None:
        """Stop the server at once (nothing in it must survive); quiet when it is not running."""
        if (self.data_dir / "postmaster.pid").exists():
            _run([str(self.bin_dir / "pg_ctl"), "stop", "-w", "-m", "immediate",
                  "-D", str(self.data_dir)], step=f"stopping the server in {self.data_dir}")

    def configure(self, settings: dict[str, str]) -> None:
        with open(self.data_dir / "postgresql.conf", "a") as conf:
            conf.write("".join(f"{name} = {value}\n" for name, value in settings.items()))


@dataclass
class StreamingPair:
    """A primary and its streaming replica, both throwaway, under one temporary directory."""

    root: Path
    primary: Cluster
    replica: Cluster

    @classmethod
    def create(cls, *, major: int | None = None, shared_buffers: str = "32MB",
               parent: str = "/tmp") -> "StreamingPair":
        """Make and start the primary; `replica_start` follows once the primary holds its data."""
        bin_dir = postgres_bin_dir(major)
        root = Path(tempfile.mkdtemp(prefix="imbizo-replica-", dir=parent))
        if os.geteuid() == 0:
            shutil.chown(root, OS_USER, OS_USER)
        pair = cls(root=root,
                   primary=Cluster(bin_dir, root / "primary", free_port()),
                   replica=Cluster(bin_dir, root / "replica", free_port()))
        try:
            _run([str(bin_dir / "initdb"), "-D", str(pair.primary.data_dir), "-U", SUPERUSER,
                  "-A", "trust", "-N", "-E", "UTF8", "--locale=C.UTF-8"],
                 step="initdb of the throwaway primary")
            pair.primary.configure({**SERVER_SETTINGS, "shared_buffers": shared_buffers})
            pair.primary.start()
        except ClusterError:
            pair.remove()
            raise
        return pair

    def replica_start(self) -> None:
        """Copy the primary with pg_basebackup (-R: it follows the primary) and start it."""
        _run([str(self.primary.bin_dir / "pg_basebackup"), "-h", "127.0.0.1",
              "-p", str(self.primary.port), "-U", SUPERUSER, "-D", str(self.replica.data_dir),
              "-R", "-X", "stream", "-c", "fast", "--no-sync"],
             step="pg_basebackup of the throwaway primary", timeout=3600)
        self.replica.start()

    def caught_up_wait(self, *, timeout: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        import psycopg

        with psycopg.connect(self.primary.url("postgres"), autocommit=True) as conn:
            target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with psycopg.connect(self.replica.url("postgres"), autocommit=True) as conn:
            while time.monotonic() < deadline:
                if conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn",
                                (target,)).fetchone()[0]:
                    return
                time.sleep(0.05)
        raise ClusterError(f"the replica did not reach the primary's WAL position {target} "
                           f"in {timeout} s")

    def stop(self) -> None:
        for cluster in (self.replica, self.primary):
            # A server already gone: removing its directory is what matters now.
            with contextlib.suppress(ClusterError):
                cluster.stop()

    def remove(self) -> None:
        """Stop both servers and delete every file they wrote."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
