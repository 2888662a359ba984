"""`imbizo demo`: create the demo municipality in an empty database."""

import datetime
import time
from zoneinfo import ZoneInfo

import environ
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from imbizo.core import clock
from imbizo.demo.channels_email import channels_email_build
from imbizo.demo.channels_sms import channels_sms_build
from imbizo.demo.channels_ussd import ussd_build
from imbizo.demo.channels_whatsapp import whatsapp_build
from imbizo.demo.client_groups import client_groups_build
from imbizo.demo.client_survey import client_survey_build
from imbizo.demo.content_translations import content_translations_build
from imbizo.demo.feedback import feedback_build
from imbizo.demo.field_visits import field_visits_build
from imbizo.demo.history import history_build
from imbizo.demo.key_clients import key_clients_build
from imbizo.demo.languages import languages_build
from imbizo.demo.municipality import INSTITUTION, demo_build
from imbizo.demo.outreach_alerts import alerts_build
from imbizo.demo.outreach_interruptions import interruptions_build
from imbizo.demo.outreach_meetings import outreach_meetings_build
from imbizo.demo.people_dev import people_dev_build
from imbizo.demo.people_log import people_log_build
from imbizo.demo.province import ProvinceError, engine_check, province_build
from imbizo.demo.quality import quality_build
from imbizo.demo.triage_duplicates import duplicates_plant
from imbizo.demo.triage_model import triage_model_build
from imbizo.insights.rollups import rollups_rebuild
from imbizo.org.models import Institution

PROVINCE_CASES = 12_000_000
PROVINCE_CONTACTS = 60_000_000
DEMO_CASES = 200_000


class Command(BaseCommand):
    help = "Create the demo municipality (deterministic for a given --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--cases", type=int, default=None,
                            help="Historical cases over the last 18 months (default 200,000; "
                                 "12,000,000 with --province).")
        parser.add_argument("--until", type=datetime.date.fromisoformat, default=None,
                            help="Last day of the history (default: today).")
        parser.add_argument("--province", default=None, metavar="NAME",
                            help="Build a whole province instead (PostgreSQL only): 580 wards, "
                                 "--cases (default 12,000,000) over a year, --contacts.")
        parser.add_argument("--contacts", type=int, default=PROVINCE_CONTACTS,
                            help="With --province: contacts (default 60,000,000).")
        parser.add_argument("--wards", type=int, default=580, help="With --province: wards.")
        parser.add_argument("--database", default=None, metavar="URL",
                            help="With --province: the database (migrated first); default "
                                 "the configured one.")

    def handle(self, *args, seed: int, cases: int, until, **options):
        if options["province"]:
            return self._province(options, seed=seed, cases=cases, until=until)
        cases = DEMO_CASES if cases is None else cases
        if Institution.objects.exists():
            raise CommandError(
                "This database already has an institution; the demo only fills an empty "
                "database. Start from a new one (for SQLite: delete var/imbizo.sqlite3)."
            )
        started = time.monotonic()
        summary = demo_build(seed=seed)
        counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
        self.stdout.write(
            f"{INSTITUTION}: {counts} (seed {seed}, {time.monotonic() - started:.1f} s)"
        )
        if cases:
            started = time.monotonic()
            end = clock.now() if until is None else datetime.datetime.combine(
                until, datetime.time(17, 0), tzinfo=ZoneInfo("Africa/Johannesburg"))
            made = history_build(seed=seed, cases=cases, until=end)
            rated = feedback_build(seed=seed, until=end)
            # Before the rollups: the cases raised at meetings move to the outreach channel.
            met = outreach_meetings_build(seed=seed, until_day=end.date())
            self.stdout.write("Imbizo meetings: " + ", ".join(f"{n} {k}" for k, n in met.items()))
            self.stdout.write(f"History: {made:,} cases over 18 months, {rated:,} rated by "
                              f"their citizens ({time.monotonic() - started:.1f} s)")
            emailed = channels_email_build(seed=seed, until=end)  # before the figures: ratings
            self.stdout.write("Email: " + ", ".join(f"{n} {k}" for k, n in emailed.items()))
            started = time.monotonic()
            rollups_rebuild()
            self.stdout.write(f"Dashboard figures built ({time.monotonic() - started:.1f} s)")
            started = time.monotonic()
            self.stdout.write(f"Triage model {triage_model_build()} trained "
                              f"({time.monotonic() - started:.1f} s)")
        made = quality_build(seed=seed, until_day=until)
        self.stdout.write("Service quality: " + ", ".join(f"{n} {k}" for k, n in made.items()))
        self.stdout.write("Key clients: " + ", ".join(f"{n:,} {k}" for k, n in key_clients_build(
            seed=seed, until_day=until).items()))
        self.stdout.write("Client groups: " + ", ".join(f"{n:,} {k}" for k, n in client_groups_build(
            seed=seed, until_day=until).items()))
        started = time.monotonic()
        made = field_visits_build(seed=seed)
        self.stdout.write("Field work: " + ", ".join(f"{n:,} {k}" for k, n in made.items())
                          + f" ({time.monotonic() - started:.1f} s)")
        made = alerts_build(seed=seed)
        self.stdout.write("Ward alerts: " + ", ".join(f"{n} {k}" for k, n in made.items()))
        self.stdout.write("Interruptions: " + ", ".join(f"{n} {k}" for k, n in interruptions_build(
            seed=seed, until=end if cases else None).items()))
        self.stdout.write("People: " + ", ".join(f"{n} {k}" for k, n in people_dev_build(
            seed=seed, until_day=until).items()))
        self.stdout.write("People's time, feedback and contacts: " + ", ".join(
            f"{n:,} {k}" for k, n in people_log_build(seed=seed).items()))
        self.stdout.write("SMS: " + ", ".join(f"{n} {k}" for k, n in channels_sms_build(seed=seed).items()))
        self.stdout.write("WhatsApp: " + ", ".join(f"{n} {k}" for k, n in whatsapp_build(
            seed=seed).items()))
        started = time.monotonic()
        made = ussd_build(seed=seed)
        self.stdout.write("USSD: " + ", ".join(f"{n} {k}" for k, n in made.items())
                          + f" ({time.monotonic() - started:.1f} s)")
        self.stdout.write("Client survey: " + ", ".join(
            f"{n:,} {k}" for k, n in client_survey_build(seed=seed).items()))
        self.stdout.write("Content translations (drafts): " + ", ".join(
            f"{n} {k}" for k, n in content_translations_build().items()))
        self.stdout.write(f"Planted duplicates: {len(duplicates_plant(seed=seed))} pairs")
        self.stdout.write("Languages: " + ", ".join(
            f"{n:,} {k}" for k, n in languages_build(seed=seed).items()))

    def _province(self, options, *, seed: int, cases: int | None, until) -> None:
        if options["database"]:
            _database_use(options["database"])
        try:
            engine_check()  # before migrating: never touch a SQLite file for nothing
        except ProvinceError as error:
            raise CommandError(str(error)) from error
        call_command("migrate", verbosity=0)
        end = None if until is None else datetime.datetime.combine(
            until, datetime.time(17, 0), tzinfo=ZoneInfo("Africa/Johannesburg"))
        cases = PROVINCE_CASES if cases is None else cases
        name = f"{options['province'].replace('-', ' ').title()} Province"
        started = time.monotonic()
        try:
            report = province_build(name=name, cases=cases, contacts=options["contacts"],
                                    wards=options["wards"], seed=seed, until=end,
                                    say=self.stdout.write)
        except ProvinceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{name}: {report.line()}; {time.monotonic() - started:.0f} s in all")


def _database_use(url: str) -> None:
    """Point the default connection (and those threads open later) at `url`."""
    connections.close_all()
    connections.settings["default"].clear()
    connections.settings["default"].update(
        {**environ.Env.db_url_config(url), "OPTIONS": {}, "TIME_ZONE": None, "CONN_MAX_AGE": 0,
         "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False,
         "TEST": {}})
    del connections["default"]
