from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "imbizo.core"
    label = "core"

    def ready(self) -> None:
        # Core has no models, so Django sends it no post_migrate of its own: listen
        # to every app's (the command is idempotent and cheap).
        post_migrate.connect(_cache_tables_create, dispatch_uid="imbizo.core.cache_tables")


def _cache_tables_create(**kwargs) -> None:
    """`migrate` also creates the DatabaseCache tables (the rate limits use one)."""
    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)
