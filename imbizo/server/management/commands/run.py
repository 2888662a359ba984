"""`imbizo run`: migrate, seed the demo on an empty database, serve web and worker.

Ctrl-C (or SIGTERM) stops both processes.
"""

import io
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from imbizo.core.links import site_url_for
from imbizo.demo.logins import DEMO_LOGINS
from imbizo.org.models import Institution


def metrics_dir_fresh() -> str:
    """The directory web and worker processes share for metrics, emptied (counts
    start again with the processes). PROMETHEUS_MULTIPROC_DIR, or var/metrics."""
    path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.VAR_DIR / "metrics")
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    return str(path)


def site_url_follow(host: str, port: int) -> str:
    """Unless SITE_URL is set, links in messages point at the address served
    here: for this process (the demo may queue messages) and for the web and
    worker processes it starts, which inherit the environment."""
    if not os.environ.get("SITE_URL"):
        os.environ["SITE_URL"] = site_url_for(host=host, port=port)
        # This process read its settings before --host/--port were known.
        settings.SITE_URL = os.environ["SITE_URL"]
    return os.environ["SITE_URL"]


class Command(BaseCommand):
    help = "Run Imbizo: web server and background worker, with a demo municipality if empty."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--no-demo", action="store_true", help="Do not seed an empty database.")

    def handle(self, *args, host, port, web_workers, no_demo, **options):
        started = time.monotonic()
        site_url_follow(host, port)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("compile_catalogues", stdout=io.StringIO())  # the .mo files Django reads
        seeded = False
        if not no_demo and not Institution.objects.exists():
            self.stdout.write("Empty database: creating the demo municipality ...")
            # A smaller history than `imbizo demo` makes, so the first start is quick.
            call_command("demo", cases=int(os.environ.get("DEMO_CASES", "20000")))
            seeded = True
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
               "PROMETHEUS_MULTIPROC_DIR": metrics_dir_fresh()}
        web = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable, "-m", "gunicorn", "config.wsgi:application",
                "--bind", f"{host}:{port}", "--workers", str(web_workers),
                "--graceful-timeout", "5",
            ],
            env=env,
        )
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "imbizo.cli", "worker"], env=env
        )
        # Long tasks (triage's training) on a worker of their own.
        trainer = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "imbizo.cli", "worker", "--queue", "triage"], env=env
        )
        children = [web, worker, trainer]

        def stop(signum=None, frame=None):
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        try:
            url = f"http://{host}:{port}"
            if self._wait_healthy(f"{url}/healthz", web):
                elapsed = time.monotonic() - started
                self._banner(url, elapsed, seeded)
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        self.stdout.write("Stopped.")

    def _wait_healthy(self, url: str, web: subprocess.Popen, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and web.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local)
                    if response.status == 200:
                        return True
            except OSError:
                time.sleep(0.3)
        self.stderr.write(f"The web server did not answer at {url}.")
        return False

    def _message_files(self) -> list[str]:
        """Where the demo's emails and texts are written, when they go to files."""
        lines = []
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            lines.append(f"  emails sent:  {settings.EMAIL_FILE_PATH}/")
        if settings.SMS_BACKEND.endswith(".FileSmsBackend"):
            lines.append(f"  texts sent:   {getattr(settings, 'SMS_FILE_PATH', '')}/")
        return lines

    def _banner(self, url: str, elapsed: float, seeded: bool) -> None:
        lines = [
            "",
            f"Imbizo is running at {url}/  (ready in {elapsed:.1f} s"
            f"{', demo seeded' if seeded else ''})",
            f"  public site:  {url}/services/",
            f"  back office:  {url}/staff/",
            f"  admin:        {url}/admin/",
            *self._message_files(),
            "Demo logins:",
        ]
        for username, role, password in DEMO_LOGINS:
            lines.append(f"  {username:<14} {role:<14} {password}")
        lines.append("Press Ctrl-C to stop.")
        self.stdout.write("\n".join(lines))
