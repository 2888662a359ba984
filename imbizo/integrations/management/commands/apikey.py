"""`imbizo apikey create NAME --scopes open311,read [--department CODE]`, `list`, `revoke PREFIX`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.integrations.models import ApiKey
from imbizo.integrations.services import apikey_create, apikey_revoke
from imbizo.org.models import Department


class Command(BaseCommand):
    help = "Create, list and revoke the API keys integrations use (REST API and Open311)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a key; the key is the last word printed")
        create.add_argument("name")
        create.add_argument("--scopes", required=True, help="comma list: read, write, open311, personal")
        create.add_argument("--department", help="department code: limit the key to it")
        actions.add_parser("list", help="list keys (prefixes only, never the keys)")
        revoke = actions.add_parser("revoke", help="revoke a key by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _create(self, *, name: str, scopes: str, department: str | None, **_options) -> None:
        dept = None
        if department:
            dept = Department.objects.filter(code=department).first()
            if dept is None:
                raise CommandError(_("No department has the code %(code)s.") % {"code": department})
        try:
            key, raw_key = apikey_create(name=name, scopes=scopes, department=dept)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_("Created %(key)s with scopes %(scopes)s. It is shown only now:")
                          % {"key": key, "scopes": ", ".join(key.scopes)})
        self.stdout.write(raw_key)

    def _list(self, **_options) -> None:
        for key in ApiKey.objects.select_related("department"):
            state = _("revoked") if key.revoked_at else _("active")
            self.stdout.write(f"{key.prefix}  {key.name}  {','.join(key.scopes)}  "
                              f"{key.department.code if key.department else '*'}  {state}")

    def _revoke(self, *, prefix: str, **_options) -> None:
        key = ApiKey.objects.filter(prefix=prefix.strip()).first()
        if key is None:
            raise CommandError(_("No key has the prefix %(prefix)s.") % {"prefix": prefix})
        apikey_revoke(key=key)
        self.stdout.write(_("Revoked %(key)s.") % {"key": key})
