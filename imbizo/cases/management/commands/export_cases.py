"""`imbizo export-cases [--output FILE.csv|FILE.xlsx] [filters] [--with-personal-data]`."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from imbizo.cases.bulk_export import ExportFilter, cases_export_csv, cases_export_xlsx
from imbizo.core.errors import DomainError

PERSONAL_WARNING = (
    "This export contains personal data: names, phone numbers, email addresses, street "
    "addresses and exact locations. Keep it to the people who need it, and delete it when "
    "the work is done.")


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(_("'%(value)s' is not a date such as 2025-03-01.") % {"value": text}) \
            from exc


class Command(BaseCommand):
    help = ("Export cases as CSV (to standard output or --output) or XLSX (--output "
            "FILE.xlsx), with the columns the import reads. Without personal data unless "
            "--with-personal-data is given.")

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                            help="write here (.csv or .xlsx); CSV goes to standard output without it")
        parser.add_argument("--format", choices=["csv", "xlsx"],
                            help="default: from the --output name, else csv")
        parser.add_argument("--from", dest="opened_from", type=_date, metavar="DATE",
                            help="cases opened on or after this date (YYYY-MM-DD)")
        parser.add_argument("--until", dest="opened_until", type=_date, metavar="DATE",
                            help="cases opened on or before this date (YYYY-MM-DD)")
        for name, what in (("service", "service code"), ("ward", "ward code"),
                           ("office", "office code"), ("status", "status")):
            parser.add_argument(f"--{name}", action="append", default=[], metavar="CODE",
                                help=f"only this {what} (repeat for several)")
        personal = parser.add_mutually_exclusive_group()
        personal.add_argument("--no-personal-data", dest="personal_data", action="store_false",
                              help="leave out names, phones, emails and addresses, round "
                                   "locations, mask contacts in free text (the default)")
        personal.add_argument("--with-personal-data", dest="personal_data", action="store_true",
                              help="for administrators: export every column as stored")
        parser.set_defaults(personal_data=False)

    def handle(self, *args, output: Path | None, format: str | None, opened_from, opened_until,
               service, ward, office, status, personal_data: bool, **options) -> None:
        kind = format or ("xlsx" if output and output.suffix.lower() == ".xlsx" else "csv")
        if kind == "xlsx" and output is None:
            raise CommandError(_("An XLSX export needs --output FILE.xlsx."))
        filters = ExportFilter(opened_from=opened_from, opened_until=opened_until,
                               services=tuple(service), wards=tuple(ward), offices=tuple(office),
                               statuses=tuple(status))
        if personal_data:
            self.stderr.write(_(PERSONAL_WARNING))
        try:
            if kind == "xlsx":
                summary = cases_export_xlsx(output, filters=filters, personal_data=personal_data)
            elif output is None:
                self.stdout.ending = ""
                summary = cases_export_csv(self.stdout, filters=filters,
                                           personal_data=personal_data)
            else:
                with output.open("w", newline="", encoding="utf-8") as stream:
                    summary = cases_export_csv(stream, filters=filters,
                                               personal_data=personal_data)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except OSError as exc:
            raise CommandError(_("Cannot write %(file)s: %(reason)s")
                               % {"file": output, "reason": exc.strerror}) from exc
        where = str(output) if output else _("standard output")
        which = _("with personal data") if personal_data else _("without personal data")
        self.stderr.write(_("Exported %(n)s cases to %(where)s, %(which)s.")
                          % {"n": f"{summary.cases:,}", "where": where, "which": which})
